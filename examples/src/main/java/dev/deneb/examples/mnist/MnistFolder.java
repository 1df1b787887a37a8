package dev.deneb.examples.mnist;

import dev.deneb.data.Mnist;
import dev.deneb.data.TensorDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.LongStream;

/**
 * The MNIST folder of an example's {@code --data} (or the default data root), with a one-line message instead of a
 * stack trace; shared by {@code mnist}, {@code autoencoder} and {@code gan}.
 */
public final class MnistFolder {
    private MnistFolder() {}

    /** The data folder, or null after printing why there is none. */
    public static Path directory(Path data) {
        try {
            Path dir = data != null ? data : Mnist.defaultDirectory();
            if (Files.isDirectory(dir)) {
                return dir;
            }
            System.err.println("MNIST data not found at " + dir + "; pass --data <folder with the MNIST IDX files>"
                    + " or run `./deneb download mnist`.");
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage() + "; or pass --data <folder with the MNIST IDX files>.");
        }
        return null;
    }

    /** The first {@code limit} images of a split (all with null). */
    public static TensorDataset load(Path dir, boolean train, Integer limit) {
        TensorDataset d = Mnist.load(dir, train);
        return limit == null ? d : d.subset(LongStream.range(0, Math.min(limit, d.size())).toArray());
    }
}
