package dev.deneb.examples.spark;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spark sdss}: star vs quasar from the SDSS DR14 table, read as a DataFrame and trained on Spark. */
@Command(name = "sdss", mixinStandardHelpOptions = true,
        description = "Star vs quasar from the SDSS DR14 CSV (u, g, r, i, z and colours), trained on Spark.")
public final class SparkSdssCommand implements Runnable {
    @Mixin
    ClusterOptions cluster;

    @Option(names = "--data", description = "folder with the SDSS CSV, or the CSV itself (default: ../shared/data/sdss)")
    Path data;

    @Option(names = "--epochs", description = "(default: ${DEFAULT-VALUE})")
    int epochs = 40;

    @Option(names = "--batch-size", description = "global batch (default: ${DEFAULT-VALUE})")
    int batchSize = 64;

    @Option(names = "--lr", description = "Adam learning rate (default: ${DEFAULT-VALUE})")
    double lr = 3e-3;

    @Option(names = "--hidden", split = ",", description = "hidden layer widths (default: 64,64)")
    int[] hidden = {64, 64};

    @Option(names = "--seed", description = "(default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Override
    public void run() {
        SdssOnSpark.run(this);
    }
}
