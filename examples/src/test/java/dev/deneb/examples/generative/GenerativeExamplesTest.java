package dev.deneb.examples.generative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.data.DataPaths;
import dev.deneb.examples.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The autoencoder and GAN commands end to end on a few hundred real digits: they train and write their PNGs. */
class GenerativeExamplesTest {

    private static String run(String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(buf, true));
        try {
            int code = new CommandLine(new Main()).execute(args);
            assertEquals(0, code, "exit code of " + String.join(" ", args) + "; output:\n" + buf);
        } finally {
            System.setOut(old);
        }
        return buf.toString();
    }

    @Test
    void denoisingAutoencoderReconstructsBetterAfterTraining(@TempDir Path out) {
        Assumptions.assumeTrue(DataPaths.find("mnist").isPresent(), "MNIST data not found; skipping");
        String log = run("autoencoder", "--limit", "512", "--epochs", "3", "--denoise", "0.3", "--out",
                out.toString());
        double first = mse(log, "epoch 1/3");
        double last = mse(log, "epoch 3/3");
        assertTrue(last < first, "test mse did not fall: " + first + " -> " + last + "\n" + log);
        assertTrue(Files.exists(out.resolve("mnist-denoising-autoencoder.png")));
        assertTrue(Files.exists(out.resolve("mnist-denoising-autoencoder.safetensors")));
    }

    @Test
    void ganWritesAGridAndAVerdictPerEpoch(@TempDir Path out) {
        Assumptions.assumeTrue(DataPaths.find("mnist").isPresent(), "MNIST data not found; skipping");
        String log = run("gan", "--limit", "256", "--epochs", "1", "--out", out.toString(), "--classifier",
                out.resolve("none.safetensors").toString());
        assertTrue(log.contains("classifier recognises"), log);
        assertTrue(Files.exists(out.resolve("mnist-gan-epoch01.png")));
        assertTrue(Files.exists(out.resolve("mnist-gan-generator.safetensors")));
    }

    private static double mse(String log, String epoch) {
        for (String line : log.split("\n")) {
            if (line.startsWith(epoch)) {
                String rest = line.substring(line.indexOf("test mse") + 9).trim();
                return Double.parseDouble(rest.substring(0, rest.indexOf(' ')));
            }
        }
        throw new AssertionError("no line for " + epoch + " in\n" + log);
    }
}
