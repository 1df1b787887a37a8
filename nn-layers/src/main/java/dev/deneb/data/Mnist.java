package dev.deneb.data;

import dev.deneb.tensor.Tensor;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The MNIST handwritten digits from the four IDX files ({@code train-images-idx3-ubyte[.gz]},
 * {@code train-labels-idx1-ubyte[.gz]}, {@code t10k-…}). Images become f32 {@code [N, 1, rows, cols]} scaled to
 * [0, 1] (apply {@link Normalize#MNIST} for the usual standardisation); labels become i64 {@code [N]}.
 */
public final class Mnist {
    public static final int NUM_CLASSES = 10;

    private Mnist() {}

    /** The {@code mnist} folder under the shared data root (see {@link DataPaths}). */
    public static Path defaultDirectory() {
        return DataPaths.require("mnist");
    }

    /** The training (60,000) or test (10,000) split from {@link #defaultDirectory()}. */
    public static TensorDataset load(boolean train) {
        return load(defaultDirectory(), train);
    }

    /** The training or test split from the IDX files in {@code dir}, gzipped or not. */
    public static TensorDataset load(Path dir, boolean train) {
        return load(dir, train, NUM_CLASSES);
    }

    /**
     * The training or test split of any data set in MNIST's IDX layout (Fashion-MNIST, KMNIST, EMNIST…) whose
     * labels lie in {@code 0 .. numClasses-1} (at most 256: labels are bytes).
     */
    public static TensorDataset load(Path dir, boolean train, int numClasses) {
        String prefix = train ? "train" : "t10k";
        Path imagesFile = locate(dir, prefix + "-images-idx3-ubyte");
        Path labelsFile = locate(dir, prefix + "-labels-idx1-ubyte");
        // Headers first: a mismatch is reported before tens of megabytes of pixels are read.
        int n = IdxReader.readDims(imagesFile, 3)[0];
        int labelCount = IdxReader.readDims(labelsFile, 1)[0];
        if (labelCount != n) {
            throw new IllegalArgumentException("MNIST: " + imagesFile + " holds " + n + " images but "
                    + labelsFile + " holds " + labelCount + " labels");
        }
        IdxArray labels = IdxReader.read(labelsFile, 1);
        IdxArray images = IdxReader.read(imagesFile, 3);
        return new TensorDataset(imageTensor(images), labelTensor(labels, labelsFile, numClasses));
    }

    /**
     * {@code {images, rows, cols}} of the training or test split in {@code dir}, from the IDX header alone (to size
     * memory before loading).
     */
    public static int[] imageShape(Path dir, boolean train) {
        return IdxReader.readDims(locate(dir, (train ? "train" : "t10k") + "-images-idx3-ubyte"), 3);
    }

    /**
     * Images converted per block into the result, so loading never holds a second full-size copy; 128 images
     * (400 KB) stay below the JVM's humongous-object size, so the blocks are ordinary short-lived objects.
     */
    private static final int BLOCK = 128;

    /** Pixels 0..255 to f32 in [0, 1], with a channel axis. */
    private static Tensor imageTensor(IdxArray images) {
        byte[] raw = images.data();
        int[] d = images.dims();
        int n = d[0];
        int size = d[1] * d[2];
        Tensor out = Tensor.zeros(n, 1, d[1], d[2]);
        float[] pixels = new float[Math.min(n, BLOCK) * size];
        for (int start = 0; start < n; start += BLOCK) {
            int count = Math.min(BLOCK, n - start);
            for (int i = 0; i < count * size; i++) {
                pixels[i] = (raw[start * size + i] & 0xFF) / 255f;
            }
            Tensor block = Tensor.of(count == BLOCK ? pixels : Arrays.copyOf(pixels, count * size), count,
                    1, d[1], d[2]);
            out.slice(0, start, start + count).copyFrom(block);
        }
        return out;
    }

    private static Tensor labelTensor(IdxArray labels, Path file, int numClasses) {
        byte[] raw = labels.data();
        long[] values = new long[raw.length];
        for (int i = 0; i < raw.length; i++) {
            int v = raw[i] & 0xFF;
            if (v >= numClasses) {
                throw new IllegalArgumentException("MNIST: label " + i + " in " + file + " is " + v
                        + ", outside 0.." + (numClasses - 1));
            }
            values[i] = v;
        }
        return Tensor.of(values, raw.length);
    }

    /** {@code name.gz} or {@code name} in {@code dir}; which one is compressed is decided from the content. */
    private static Path locate(Path dir, String name) {
        for (Path p : new Path[] {dir.resolve(name + ".gz"), dir.resolve(name)}) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new UncheckedIOException("MNIST: neither " + name + ".gz nor " + name + " found in " + dir,
                new NoSuchFileException(dir.resolve(name).toString()));
    }
}
