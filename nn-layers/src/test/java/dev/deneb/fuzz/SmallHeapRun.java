package dev.deneb.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a fuzz driver's {@code main} in a child JVM with a 64 MB heap, so an allocation far beyond what an input
 * holds fails the run (an OutOfMemoryError there, not a slow test here); the driver exits non-zero on a violation.
 * Shared with other modules' fuzz tests through this module's test jar.
 */
public final class SmallHeapRun {
    private SmallHeapRun() {}

    /** Runs {@code driver} with this test's class path and {@code jvmFlags}; fails on a violation or a hang. */
    public static void run(Class<?> driver, String reportName, long timeoutSeconds, List<String> jvmFlags)
            throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path report = Path.of("target", reportName);
        Files.createDirectories(report.getParent());
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx64m", "-XX:+DisableExplicitGC"));
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), driver.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(report.toFile()).start();
        boolean finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly().waitFor();
        }
        String out = Files.readString(report, StandardCharsets.UTF_8);
        System.out.println(out);
        assertTrue(finished, "the fuzz run did not finish in " + timeoutSeconds + " s (a hang?):\n" + out);
        assertEquals(0, p.exitValue(), "the fuzz run found violations:\n" + out);
    }
}
