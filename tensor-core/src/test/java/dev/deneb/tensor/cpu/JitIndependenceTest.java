package dev.deneb.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Same seed, same bits — whether or not the JIT has compiled a kernel yet. The Vector API runs a loop either as
 * SIMD code (once C2 compiles it) or through its Java fallback (interpreter, C1); a kernel whose two forms round
 * differently (a lane reduction in another order, a vector math library) makes results depend on timing. This
 * test fingerprints the kernels in a JVM limited to C1 (fallback everywhere) and in a warmed-up default JVM.
 */
class JitIndependenceTest {
    @Test
    void kernelsGiveTheSameBitsInterpretedAndCompiled() throws Exception {
        String fallback = run(List.of("-XX:TieredStopAtLevel=1"), 0);
        String compiled = run(List.of(), 400);
        assertTrue(fallback.startsWith("checksum "), fallback);
        assertEquals(fallback, compiled, "the fast kernels' bits depend on whether the JIT compiled them");
    }

    private static String run(List<String> jvmFlags, int warmup) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "-Ddeneb.threads=1", "-cp",
                System.getProperty("java.class.path"), KernelChecksum.class.getName(), String.valueOf(warmup)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the checksum run did not finish");
        assertEquals(0, p.exitValue(), out);
        return out.lines().filter(l -> l.startsWith("checksum ")).findFirst().orElse(out);
    }
}
