package dev.deneb.examples.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.examples.Main;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** When the examples re-execute themselves with a sized heap, and with which budget. */
class HeapLauncherTest {
    private static final String MODULES = "--add-modules=jdk.incubator.vector";

    @Test
    void onlyTheReadmeCommandIsRelaunched() {
        assertTrue(HeapLauncher.unconfigured(List.of(MODULES), Map.of()));
        assertTrue(HeapLauncher.unconfigured(List.of(MODULES, "-Ddeneb.threads=1",
                "--enable-native-access=ALL-UNNAMED"), Map.of("JDK_JAVA_OPTIONS", " ")));
        for (String option : List.of("-Xmx2g", "-Xms1g", "-XX:MaxRAMPercentage=50", "-XX:+UseZGC", "-Xlog:gc",
                "-XX:StartFlightRecording", "-agentlib:jdwp=transport=dt_socket", "-javaagent:a.jar", "-ea")) {
            assertFalse(HeapLauncher.unconfigured(List.of(MODULES, option), Map.of()), option);
        }
        for (String env : List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS")) {
            assertFalse(HeapLauncher.unconfigured(List.of(MODULES), Map.of(env, "-Xmx1g")), env);
        }
    }

    /** IDX headers of MNIST's sizes, without the pixels: the budget reads only the headers. */
    private static void header(Path file, int n) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.writeInt(0x00000803);
            out.writeInt(n);
            out.writeInt(28);
            out.writeInt(28);
        }
    }

    private static OptionalLong budget(String... args) {
        return HeapLauncher.budget(new CommandLine(new Main()), args);
    }

    @Test
    void mnistAsksForItsImagesPlusTheLargestBatchPlusYoungRoom(@TempDir Path dir) throws IOException {
        header(dir.resolve("train-images-idx3-ubyte"), 60_000);
        header(dir.resolve("t10k-images-idx3-ubyte"), 10_000);
        String data = dir.toString();
        // 70,000 × (784 f32 + one i64) = 210 MiB of images, then 96 MiB
        assertEquals(OptionalLong.of(326), budget("mnist", "--model", "mlp", "--data", data));
        assertEquals(OptionalLong.of(556), budget("mnist", "--data", data));              // the test pass: 250 MiB
        assertEquals(OptionalLong.of(818), budget("mnist", "--batch-size", "512", "--data", data)); // 512 MiB
        assertEquals(OptionalLong.empty(), budget("mnist", "--data", dir.resolve("missing").toString()));
        assertEquals(OptionalLong.empty(), budget("mnist", "--help"));
        assertEquals(OptionalLong.empty(), budget("mnist", "--no-such-option"));
        assertEquals(OptionalLong.empty(), budget("--help"));
        assertEquals(OptionalLong.empty(), budget("cora"));
    }

    @Test
    void theNewCommandRepeatsTheLaunchWithTheHeap() {
        String[] args = {"mnist", "--model", "mlp"};
        String main = Main.class.getName();
        List<String> jar = HeapLauncher.command(326, args, main, "x/deneb-examples.jar mnist --model mlp",
                "x/deneb-examples.jar");
        assertTrue(jar.getFirst().endsWith("java"), jar.toString());
        assertEquals(List.of("-Xmx326m", "-jar", "x/deneb-examples.jar", "mnist", "--model", "mlp"),
                jar.subList(jar.size() - 6, jar.size()));
        List<String> cp = HeapLauncher.command(326, args, main, main + " mnist --model mlp", "a.jar:b.jar");
        assertEquals(List.of("-Xmx326m", "-cp", "a.jar:b.jar", main, "mnist", "--model", "mlp"),
                cp.subList(cp.size() - 7, cp.size()));
        // Inside another program's JVM (e.g. Maven's exec:java) the launch cannot be repeated.
        assertEquals(List.of(), HeapLauncher.command(326, args, main,
                "org.codehaus.plexus.classworlds.launcher.Launcher exec:java", "boot/plexus-classworlds.jar"));
    }
}
