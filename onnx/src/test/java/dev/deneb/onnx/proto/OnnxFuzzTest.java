package dev.deneb.onnx.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path report = Path.of("target", "onnx-fuzz-report.txt");
        Files.createDirectories(report.getParent());
        List<String> command = List.of(java.toString(), "-Xmx64m", "-Xss512k", "-XX:+DisableExplicitGC",
                "-cp", System.getProperty("java.class.path"), OnnxFuzz.class.getName());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(report.toFile()).start();
        boolean finished = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly().waitFor();
        }
        String out = Files.readString(report, StandardCharsets.UTF_8);
        System.out.println(out);
        assertTrue(finished, "the fuzz run did not finish in " + TIMEOUT_SECONDS + " s (a hang?):\n" + out);
        assertEquals(0, p.exitValue(), "the fuzz run found violations:\n" + out);
    }
}
