package dev.deneb.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deneb runs in a JVM started without {@code --add-modules jdk.incubator.vector}: the fast backend then takes its
 * scalar kernels (same threads, same cache blocking) and says so once. Each case starts a child JVM (the JDK's own
 * {@code java}, this test's class path, flags of its own: Surefire's flag does not reach it) running
 * {@link VectorFreeOps}.
 */
class VectorModuleAbsenceTest {
    private static final String WARNING = "Deneb: the Vector API module";

    @TempDir
    Path dir;

    @Test
    void withoutTheModuleEveryKernelRunsScalarAndWarnsOnce() throws Exception {
        Child none = run("none", List.of());
        Child vector = run("vector", List.of("--add-modules", "jdk.incubator.vector"));
        Child off = run("off", List.of("--add-modules", "jdk.incubator.vector", "-Ddeneb.vector=false"));

        assertTrue(none.stdout.contains("vector=off gemmBits=0 elementwise=off"), none.stdout);
        assertTrue(vector.stdout.contains("vector=on"), "the child with the flag should use vectors: " + vector.stdout);
        assertTrue(off.stdout.contains("vector=off gemmBits=0 elementwise=off"), off.stdout);

        assertEquals(1, count(none.stderr, WARNING), "one warning per JVM, got:\n" + none.stderr);
        assertEquals(1, count(none.stderr, VectorSupport.FLAG), "the warning names the flag:\n" + none.stderr);
        assertFalse(vector.stderr.contains(WARNING), vector.stderr);
        assertFalse(off.stderr.contains(WARNING), "-Ddeneb.vector=false is a choice, not worth a warning:\n"
                + off.stderr);

        assertEquals(vector.results.keySet(), none.results.keySet());
        for (String op : none.results.keySet()) {
            // Missing module or switched off: the same scalar kernels, so the same bits.
            assertArrayEquals(off.results.get(op), none.results.get(op), op + ": module missing vs switched off");
            assertClose(op, vector.results.get(op), none.results.get(op));
        }
    }

    @Test
    void switchedOffLoadsNoVectorClass() throws Exception {
        Path log = dir.resolve("classes.log");
        Child off = run("off", List.of("--add-modules", "jdk.incubator.vector", "-Ddeneb.vector=false",
                "-Xlog:class+load=info:file=" + log));
        List<String> loaded = Files.readAllLines(log);
        assertTrue(loaded.stream().anyMatch(l -> l.contains(" dev.deneb.tensor.cpu.FastCpuBackend ")),
                "the class-load log should list the backend's classes");
        List<String> vectorClasses = loaded.stream().filter(l -> l.contains(" jdk.incubator.vector.")).toList();
        assertEquals(List.of(), vectorClasses, "-Ddeneb.vector=false must load no Vector API class");
        assertFalse(off.results.isEmpty());
    }

    @Test
    void switchedOffWithoutTheModuleIsSilent() throws Exception {
        Child quiet = run("quiet", List.of("-Ddeneb.vector=false"));
        assertFalse(quiet.stderr.contains(WARNING), quiet.stderr);
        assertTrue(quiet.stdout.contains("vector=off"), quiet.stdout);
    }

    /** Float tolerance for f32 kernels that round differently (FMA, polynomial exp, sums in lane groups): relative
     *  1e-4 plus 1e-5 of the largest magnitude in the expected result (matrix products of depth up to 600). */
    private static void assertClose(String op, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, op + ": length");
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-4 * Math.abs(expected[i]) + 1e-5 * Math.max(1, scale);
            if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
                throw new AssertionError(op + "[" + i + "]: with vectors " + expected[i] + ", scalar "
                        + actual[i] + " (tolerance " + tol + ")");
            }
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private record Child(String stdout, String stderr, Map<String, float[]> results) {}

    private Child run(String name, List<String> flags) throws IOException, InterruptedException {
        Path results = dir.resolve(name + ".bin");
        Path stderr = dir.resolve(name + ".err");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(flags);
        cmd.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"), VectorFreeOps.class.getName(),
                results.toString()));
        Process p = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), name + ": the child JVM did not finish");
        String err = Files.readString(stderr);
        assertEquals(0, p.exitValue(), name + " child failed:\n" + out + err);
        return new Child(out, err, read(results));
    }

    private static Map<String, float[]> read(Path file) throws IOException {
        Map<String, float[]> r = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            while (true) {
                String key;
                try {
                    key = in.readUTF();
                } catch (EOFException end) {
                    return r;
                }
                float[] v = new float[in.readInt()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = in.readFloat();
                }
                r.put(key, v);
            }
        }
    }
}
