package dev.deneb.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mnist.load on synthetic IDX files: every pixel exact across the conversion blocks, and the header-only shape. */
class MnistSyntheticTest {
    @TempDir
    Path dir;

    private void write(String prefix, int n, int rows, int cols) throws IOException {
        IdxFiles.write(dir.resolve(prefix + "-images-idx3-ubyte.gz"), IdxReader.IMAGES_MAGIC,
                new int[] {n, rows, cols}, IdxFiles.images(n, rows, cols), true);
        IdxFiles.write(dir.resolve(prefix + "-labels-idx1-ubyte"), IdxReader.LABELS_MAGIC, new int[] {n},
                IdxFiles.labels(n), false);
    }

    @Test
    void pixelsAreExactAcrossBlocksAndTheShapeComesFromTheHeader() throws IOException {
        int n = 300; // two full conversion blocks of 128 and a partial one
        write("train", n, 3, 4);
        write("t10k", 5, 3, 4);
        assertArrayEquals(new int[] {n, 3, 4}, Mnist.imageShape(dir, true));
        assertArrayEquals(new int[] {5, 3, 4}, Mnist.imageShape(dir, false));
        TensorDataset train = Mnist.load(dir, true);
        Tensor x = train.inputs();
        assertArrayEquals(new int[] {n, 1, 3, 4}, x.shape());
        assertEquals(DType.F32, x.dtype());
        byte[] raw = IdxFiles.images(n, 3, 4);
        float[] got = x.toFloatArray();
        for (int i = 0; i < raw.length; i++) {
            assertEquals((raw[i] & 0xFF) / 255f, got[i], "pixel " + i);
        }
        assertArrayEquals(new long[] {0, 1, 2, 3, 4}, train.targets().slice(0, 0, 5).toLongArray());
    }
}
