package dev.deneb.examples.mnist;

import dev.deneb.nn.Activation;
import dev.deneb.nn.Conv2d;
import dev.deneb.nn.Dropout;
import dev.deneb.nn.Flatten;
import dev.deneb.nn.Linear;
import dev.deneb.nn.MaxPool2d;
import dev.deneb.nn.Sequential;

/** The two networks of the example; both take {@code [N, 1, 28, 28]} images and give 10 logits. */
public final class MnistModels {
    private MnistModels() {}

    /** 784-256-128-10 with ReLU. */
    public static Sequential mlp() {
        return new Sequential(new Flatten(), new Linear(784, 256), Activation.relu(), new Linear(256, 128),
                Activation.relu(), new Linear(128, 10));
    }

    /**
     * Two 3×3 convolutions (32 and 64 channels) with ReLU and 2×2 max pooling, then 1600-128-10 with dropout: the
     * network of the {@code cnn} benchmark workload, plus dropout against over-fitting.
     */
    public static Sequential cnn() {
        return new Sequential(
                new Conv2d(1, 32, 3), Activation.relu(), new MaxPool2d(2),
                new Conv2d(32, 64, 3), Activation.relu(), new MaxPool2d(2),
                new Flatten(), new Dropout(0.25),
                new Linear(1600, 128), Activation.relu(), new Dropout(0.5),
                new Linear(128, 10));
    }
}
