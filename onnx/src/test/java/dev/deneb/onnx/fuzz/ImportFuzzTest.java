package dev.deneb.onnx.fuzz;

import dev.deneb.fuzz.SmallHeapRun;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs {@link ImportFuzz} in a child JVM with a 64 MB heap; the report is kept in target/import-fuzz-report.txt. */
class ImportFuzzTest {
    @Test
    void importerRefusesMutatedModelsCleanly() throws IOException, InterruptedException {
        SmallHeapRun.run(ImportFuzz.class, "import-fuzz-report.txt", 240, List.of(
                "--add-modules=jdk.incubator.vector", "-XX:+IgnoreUnrecognizedVMOptions"));
    }
}
