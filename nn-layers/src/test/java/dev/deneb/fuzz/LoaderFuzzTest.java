package dev.deneb.fuzz;

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
 * Runs {@link LoaderFuzz} in a child JVM with a 64 MB heap, 16 MB of direct memory and explicit GC disabled, so an
 * allocation sized by a corrupt header, or a direct buffer per call, fails there whatever heap the build gives its
 * tests. The report (cases and largest allocation per loader) is printed and kept in
 * {@code target/loader-fuzz-report.txt}.
 */
class LoaderFuzzTest {
    private static final long TIMEOUT_SECONDS = 240;

    @Test
    void everyLoaderSurvivesMutatedFilesInASmallHeap() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path report = Path.of("target", "loader-fuzz-report.txt");
        Files.createDirectories(report.getParent());
        List<String> command = List.of(java.toString(), "-Xmx64m", "-XX:MaxDirectMemorySize=16m",
                "-XX:+DisableExplicitGC", "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-XX:+IgnoreUnrecognizedVMOptions", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"), LoaderFuzz.class.getName());
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
