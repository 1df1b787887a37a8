package dev.deneb.onnx.proto;

import dev.deneb.fuzz.SmallHeapRun;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link OnnxFuzz} in a child JVM with a 64 MB heap, so that an allocation sized by a corrupt length fails
 * there whatever heap the build gives its tests. The report is printed and kept in
 * {@code target/onnx-fuzz-report.txt}.
 */
class OnnxFuzzTest {
    private static final long TIMEOUT_SECONDS = 120;

    @Test
    void decoderSurvivesMutatedModelsInASmallHeap() throws IOException, InterruptedException {
        SmallHeapRun.run(OnnxFuzz.class, "onnx-fuzz-report.txt", TIMEOUT_SECONDS, List.of("-Xss512k"));
    }
}
