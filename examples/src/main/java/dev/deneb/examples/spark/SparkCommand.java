package dev.deneb.examples.spark;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code spark sdss|mnist}: the examples trained on a Spark cluster ({@code local[2]} by default). The command
 * classes only parse options; everything that touches Spark sits in the {@code *OnSpark} classes, so the other
 * examples run without Spark on the class path.
 */
@Command(name = "spark", mixinStandardHelpOptions = true, subcommands = {SparkSdssCommand.class,
        SparkMnistCommand.class},
        description = "Train on Apache Spark: data-parallel in one barrier stage, or by parameter averaging. Needs "
                + "Spark 4.2 on the class path (see the README).")
public final class SparkCommand implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
