package dev.deneb.fuzz;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link LoaderFuzz} in a child JVM with a 64 MB heap, 16 MB of direct memory and explicit GC disabled, so an
 * allocation sized by a corrupt header, or a direct buffer per call, fails there whatever heap the build gives its
 * tests. The report (cases and largest allocation per loader) is printed and kept in
 * {@code target/loader-fuzz-report.txt}.
 */
class LoaderFuzzTest {
    private static final long TIMEOUT_SECONDS = 240;

    @Test
    void everyLoaderSurvivesMutatedFilesInASmallHeap() throws IOException, InterruptedException {
        SmallHeapRun.run(LoaderFuzz.class, "loader-fuzz-report.txt", TIMEOUT_SECONDS, List.of(
                "-XX:MaxDirectMemorySize=16m", "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-XX:+IgnoreUnrecognizedVMOptions", "--sun-misc-unsafe-memory-access=allow"));
    }
}
