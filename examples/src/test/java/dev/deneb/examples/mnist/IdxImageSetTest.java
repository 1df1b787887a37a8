package dev.deneb.examples.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.data.Normalize;
import dev.deneb.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The mnist command on a tiny synthetic IDX image set written here (as Fashion-MNIST, KMNIST or EMNIST would be):
 * named after its folder, normalised with its own pixel statistics, sized by its image side and class count.
 */
class IdxImageSetTest {
    /** IDX file: magic, sizes, then the bytes (MNIST's layout, uncompressed). */
    static void idx(Path file, int magic, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
        Files.write(file, bytes.toByteArray());
    }

    /**
     * {@code n} images of {@code side × side}: class c lights up (bright, 200..255) the band of rows
     * {@code c·side/classes ..} on a dim noisy background, so the classes are easy to tell apart and the pixel
     * statistics are far from MNIST's.
     */
    static void write(Path dir, String prefix, int n, int side, int classes, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] images = new byte[n * side * side];
        byte[] labels = new byte[n];
        int band = side / classes;
        for (int i = 0; i < n; i++) {
            int c = i % classes;
            labels[i] = (byte) c;
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    boolean on = y >= c * band && y < (c + 1) * band;
                    images[(i * side + y) * side + x] = (byte) (on ? 200 + r.nextInt(56) : 60 + r.nextInt(40));
                }
            }
        }
        idx(dir.resolve(prefix + "-images-idx3-ubyte"), 0x803, new int[] {n, side, side}, images);
        idx(dir.resolve(prefix + "-labels-idx1-ubyte"), 0x801, new int[] {n}, labels);
    }

    @Test
    void trainsOnAnotherIdxSetWithItsOwnStatisticsAndClassCount(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("tiny-fashion"));
        write(dir, "train", 120, 16, 4, 1);
        write(dir, "t10k", 40, 16, 4, 2);
        Path out = tmp.resolve("runs");
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = new CommandLine(new MnistCommand()).execute("--data", dir.toString(), "--model", "cnn", "--epochs",
                    "3", "--batch-size", "16", "--lr", "3e-3", "--threads", "1", "--out", out.toString());
        } finally {
            System.setOut(saved);
        }
        String log = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, log);
        assertTrue(log.startsWith("tiny-fashion cnn:"), log);
        assertTrue(log.contains("120 training and 40 test images of 16x16, 4 classes"), log);
        // Mean pixel: a quarter of the rows at about 227/255, the rest at about 79.5/255.
        Matcher m = Pattern.compile("mean (\\d\\.\\d{4}) and std (\\d\\.\\d{4})").matcher(log);
        assertTrue(m.find(), log);
        double mean = Double.parseDouble(m.group(1));
        assertEquals((0.25 * 227.5 + 0.75 * 79.5) / 255, mean, 0.01);
        assertTrue(Double.parseDouble(m.group(2)) > 0.2, log);
        Matcher acc = Pattern.compile("test accuracy: ([0-9.]+)%").matcher(log);
        assertTrue(acc.find(), log);
        assertTrue(Double.parseDouble(acc.group(1)) > 90, "bands are easy to tell apart: " + log);
        assertTrue(Files.size(out.resolve("tiny-fashion-cnn.safetensors")) > 0);
    }

    @Test
    void statisticsAreRoundedAndNamesComeFromTheFolder() {
        // Pixels 0 and 1 in equal numbers: mean 0.5, std 0.5.
        Tensor images = Tensor.of(new float[] {0, 1, 0, 1, 1, 0, 1, 0}, 2, 1, 2, 2);
        Normalize n = MnistCommand.statistics(images);
        assertEquals(0.5, n.mean()[0]);
        assertEquals(0.5, n.std()[0]);
        assertEquals("MNIST", MnistCommand.dataSetName(Path.of("/data/mnist")));
        assertEquals("kmnist", MnistCommand.dataSetName(Path.of("/data/kmnist/")));
        assertEquals(10, MnistModels.cnn(16, 16, 10).forward(Tensor.zeros(2, 1, 16, 16)).size(1));
        assertEquals(47, MnistModels.mlp(28, 28, 47).forward(Tensor.zeros(2, 1, 28, 28)).size(1));
        assertThrows(IllegalArgumentException.class, () -> MnistModels.cnn(8, 8, 10));
    }
}
