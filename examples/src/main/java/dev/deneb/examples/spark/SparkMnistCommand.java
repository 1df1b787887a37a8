package dev.deneb.examples.spark;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spark mnist}: the MNIST MLP or CNN trained on Spark, test accuracy on the driver. */
@Command(name = "mnist", mixinStandardHelpOptions = true,
        description = "MNIST digits trained on Spark; prints per-epoch loss, accuracy, all-reduce time and throughput.")
public final class SparkMnistCommand implements Runnable {
    @Mixin
    ClusterOptions cluster;

    @Option(names = "--data", description = "folder with the MNIST IDX files (default: ../shared/data/mnist)")
    Path data;

    @Option(names = "--model", description = "mlp or cnn (default: ${DEFAULT-VALUE})")
    String model = "mlp";

    @Option(names = "--epochs", description = "(default: ${DEFAULT-VALUE})")
    int epochs = 3;

    @Option(names = "--batch-size", description = "global batch (default: ${DEFAULT-VALUE})")
    int batchSize = 128;

    @Option(names = "--lr", description = "Adam learning rate (default: ${DEFAULT-VALUE})")
    double lr = 1e-3;

    @Option(names = "--limit", description = "train on the first N images only (0: all 60,000) (default: ${DEFAULT-VALUE})")
    int limit = 0;

    @Option(names = "--seed", description = "(default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Override
    public void run() {
        MnistOnSpark.run(this);
    }
}
