package dev.deneb.nn;

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
 * A user who starts Java without {@code --add-modules jdk.incubator.vector} can still train: a small CNN run in a
 * child JVM without the flag ({@link SmallTrainingRun}) gives the losses and weights of the same run with it, within
 * float tolerance (the scalar kernels round differently from the vector ones), and the JVM says once what it costs.
 */
class TrainingWithoutVectorFlagTest {
    @TempDir
    Path dir;

    @Test
    void aTrainingRunWithoutTheFlagMatchesTheRunWithIt() throws Exception {
        Run with = run("with", List.of("--add-modules", "jdk.incubator.vector"));
        Run without = run("without", List.of());

        assertEquals(1, count(without.stderr, "--add-modules jdk.incubator.vector"),
                "one warning naming the flag:\n" + without.stderr);
        assertFalse(with.stderr.contains("Deneb:"), with.stderr);
        assertEquals(with.values.keySet(), without.values.keySet());
        float[] losses = with.values.get("losses");
        assertTrue(losses[losses.length - 1] < losses[0], "the run should learn: losses " + List.of(losses));
        for (String name : with.values.keySet()) {
            float[] e = with.values.get(name);
            float[] a = without.values.get(name);
            assertEquals(e.length, a.length, name);
            for (int i = 0; i < e.length; i++) {
                // Six steps amplify rounding differences a little: relative 1e-3, absolute 1e-4.
                double tol = 1e-3 * Math.abs(e[i]) + 1e-4;
                assertTrue(Math.abs(e[i] - a[i]) <= tol,
                        name + "[" + i + "]: with the flag " + e[i] + ", without " + a[i]);
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

    private record Run(String stderr, Map<String, float[]> values) {}

    private Run run(String name, List<String> flags) throws IOException, InterruptedException {
        Path out = dir.resolve(name + ".bin");
        Path err = dir.resolve(name + ".err");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(flags);
        cmd.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"),
                SmallTrainingRun.class.getName(), out.toString()));
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), name + ": the child JVM did not finish");
        String stderr = Files.readString(err);
        assertEquals(0, p.exitValue(), name + " child failed:\n" + stdout + stderr);
        return new Run(stderr, read(out));
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
