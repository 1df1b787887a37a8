package dev.deneb.examples.mnist;

import dev.deneb.nn.Activation;
import dev.deneb.nn.Conv2d;
import dev.deneb.nn.Dropout;
import dev.deneb.nn.Flatten;
import dev.deneb.nn.Linear;
import dev.deneb.nn.MaxPool2d;
import dev.deneb.nn.Sequential;

/**
 * The two networks of the example; by default both take {@code [N, 1, 28, 28]} images and give 10 logits, and both
 * can be sized for other IDX image sets (image side, number of classes).
 */
public final class MnistModels {
    private MnistModels() {}

    /** 784-256-128-10 with ReLU. */
    public static Sequential mlp() {
        return mlp(28, 28, 10);
    }

    /** (rows·cols)-256-128-classes with ReLU. */
    public static Sequential mlp(int rows, int cols, int classes) {
        return new Sequential(new Flatten(), new Linear(rows * cols, 256), Activation.relu(), new Linear(256, 128),
                Activation.relu(), new Linear(128, classes));
    }

    /**
     * Two 3×3 convolutions (32 and 64 channels) with ReLU and 2×2 max pooling, then 1600-128-10 with dropout: the
     * network of the {@code cnn} benchmark workload, plus dropout against over-fitting.
     */
    public static Sequential cnn() {
        return cnn(28, 28, 10);
    }

    /** The same CNN for {@code rows × cols} images (at least 10 × 10) and {@code classes} outputs. */
    public static Sequential cnn(int rows, int cols, int classes) {
        // 3x3 valid convolution, 2x2 pooling, twice: 28 -> 26 -> 13 -> 11 -> 5.
        int h = ((rows - 2) / 2 - 2) / 2;
        int w = ((cols - 2) / 2 - 2) / 2;
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("MnistModels.cnn: images of " + rows + " x " + cols + " are too small"
                    + " for two 3x3 convolutions with 2x2 pooling (need at least 10 x 10); use the mlp");
        }
        return new Sequential(
                new Conv2d(1, 32, 3), Activation.relu(), new MaxPool2d(2),
                new Conv2d(32, 64, 3), Activation.relu(), new MaxPool2d(2),
                new Flatten(), new Dropout(0.25),
                new Linear(64 * h * w, 128), Activation.relu(), new Dropout(0.5),
                new Linear(128, classes));
    }
}
