package dev.deneb.examples;

import dev.deneb.examples.common.HeapLauncher;
import dev.deneb.examples.anomaly.AnomalyCommand;
import dev.deneb.examples.cora.CoraCommand;
import dev.deneb.examples.download.DownloadCommand;
import dev.deneb.examples.onnx.ExportOnnxCommand;
import dev.deneb.examples.generative.AutoencoderCommand;
import dev.deneb.examples.generative.GanCommand;
import dev.deneb.examples.lightcurves.LightCurvesCommand;
import dev.deneb.examples.mnist.MnistCommand;
import dev.deneb.examples.sdss.SdssCommand;
import dev.deneb.examples.spark.SparkCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java --add-modules jdk.incubator.vector -jar deneb-examples.jar <example> [options]}. */
@Command(name = "deneb-examples", mixinStandardHelpOptions = true, version = "Deneb examples 0.1.0",
        description = "Deneb's runnable examples.", subcommands = {MnistCommand.class, SdssCommand.class, LightCurvesCommand.class, CoraCommand.class,
                AutoencoderCommand.class, GanCommand.class, AnomalyCommand.class, SparkCommand.class,
                DownloadCommand.class, ExportOnnxCommand.class})
public final class Main implements Runnable {
    public static void main(String[] args) {
        // Runs the example in a JVM whose heap fits it, unless the user configured the JVM (see HeapLauncher).
        HeapLauncher.sizeHeap(args, new CommandLine(new Main()));
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
