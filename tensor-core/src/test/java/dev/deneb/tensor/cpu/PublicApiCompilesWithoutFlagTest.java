package dev.deneb.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A program using Deneb's public API compiles with plain {@code javac}, without {@code --add-modules}. */
class PublicApiCompilesWithoutFlagTest {
    @TempDir
    Path dir;

    @Test
    void consumerCompilesWithoutTheIncubatorModule() throws Exception {
        Path src = dir.resolve("Consumer.java");
        Files.writeString(src, """
                import dev.deneb.tensor.Backends;
                import dev.deneb.tensor.ConvOptions;
                import dev.deneb.tensor.Tensor;
                import dev.deneb.tensor.Threads;
                import dev.deneb.tensor.cpu.FastCpuBackend;
                import dev.deneb.tensor.cpu.Parallel;
                import dev.deneb.tensor.cpu.Sgemm;

                class Consumer {
                    static float run() {
                        Threads.set(Threads.count());
                        Parallel.setThreads(Parallel.threads());
                        Backends.setCurrent(FastCpuBackend.INSTANCE);
                        Tensor x = Tensor.randn(2, 1, 5, 5);
                        Tensor y = Tensor.conv2d(x, Tensor.randn(3, 1, 3, 3), null, ConvOptions.defaults());
                        float[] c = new float[4];
                        Sgemm.gemm(2, 2, 2, new float[4], 0, 2, 1, new float[4], 0, 2, 1, c, 0, 2, false);
                        return y.softmax(1).sum().toFloatArray()[0] + c[0];
                    }
                }
                """);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests run on a JDK");
        String classPath = Path.of(FastCpuBackend.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        StringWriter out = new StringWriter();
        // No --add-modules: javac resolves only the default modules, as for a user's build.
        int rc = javac.getTask(out, null, null, List.of("-cp", classPath, "-d", dir.toString(), "-Xlint:none"), null,
                javac.getStandardFileManager(null, null, null).getJavaFileObjects(src)).call() ? 0 : 1;
        assertEquals(0, rc, "javac without --add-modules failed:\n" + out);
    }
}
