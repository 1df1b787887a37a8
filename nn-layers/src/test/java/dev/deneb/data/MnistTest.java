package dev.deneb.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The real MNIST files from ../shared/data/mnist; skipped when they are absent. */
class MnistTest {
    private static Path mnistDir() {
        Optional<Path> dir = DataPaths.find("mnist");
        Assumptions.assumeTrue(dir.isPresent(), "MNIST data not found at " + DataPaths.describeSearch()
                + " (expected a folder mnist/); skipping");
        return dir.get();
    }

    @Test
    void trainingSet() {
        Path dir = mnistDir();
        long t0 = System.nanoTime();
        TensorDataset train = Mnist.load(dir, true);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("MNIST training set loaded in %.2f s%n", seconds);
        assertEquals(60000, train.size());
        assertArrayEquals(new int[] {60000, 1, 28, 28}, train.inputs().shape());
        assertEquals(DType.F32, train.inputs().dtype());
        assertEquals(DType.I64, train.targets().dtype());
        assertEquals(0.0, train.inputs().min().item());
        assertEquals(1.0, train.inputs().max().item());
        long[] labels = train.targets().toLongArray();
        assertEquals(5, labels[0]);
        assertEquals(0, labels[1]);
        assertEquals(4, labels[2]);
        int[] perClass = new int[10];
        for (long l : labels) {
            perClass[(int) l]++;
        }
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, perClass);
        // Mean pixel of the training set is the well-known 0.1307.
        double sum = 0;
        for (float v : train.inputs().toFloatArray()) {
            sum += v;
        }
        assertEquals(0.1307, sum / train.inputs().numel(), 1e-4);
    }

    @Test
    void testSet() {
        TensorDataset test = Mnist.load(mnistDir(), false);
        assertEquals(10000, test.size());
        assertArrayEquals(new int[] {10000, 1, 28, 28}, test.inputs().shape());
        assertEquals(7, test.targets().toLongArray()[0]);
        Tensor normalized = Normalize.MNIST.apply(test.inputs());
        assertTrue(normalized.min().item() < -0.42 && normalized.max().item() > 2.8);
    }

    @Test
    void defaultDirectoryFindsSharedData() {
        Path dir = mnistDir();
        assertEquals(dir, Mnist.defaultDirectory());
    }
}
