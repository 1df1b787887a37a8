package dev.deneb.examples.sdss;

import dev.deneb.data.Csv;
import dev.deneb.data.CsvTable;
import dev.deneb.metrics.ClassificationReport;
import dev.deneb.metrics.ConfusionMatrix;
import dev.deneb.metrics.Metrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Applies a saved SDSS model bundle (network + standardiser + class names) to any CSV with the columns u, g, r, i, z.
 * Writes one prediction per row; if the CSV has a {@code class} column, reports the metrics on the rows whose class
 * the model knows (e.g. a star-vs-quasar model skips galaxies and says how many).
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Apply a saved SDSS model to a CSV with columns u, g, r, i, z (and class, to score it).")
public final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "the .safetensors bundle written by 'sdss', or its folder")
    Path model;

    @Option(names = "--csv", required = true, description = "CSV with columns u, g, r, i, z (LF or CRLF line ends)")
    Path csv;

    @Option(names = "--output", description = "where to write the predictions (default: print a summary only)")
    Path output;

    public static void main(String[] args) {
        System.exit(new CommandLine(new PredictCommand()).execute(args));
    }

    @Override
    public Integer call() {
        SdssModel m = SdssModel.load(model);
        CsvTable table = Csv.read(csv);
        List<String> classes = m.task().classes;
        double[][] probs = m.predictProba(SdssData.features(table));
        long[] pred = Metrics.argmax(probs);
        long[] counts = new long[classes.size()];
        for (long p : pred) {
            counts[(int) p]++;
        }
        System.out.printf(Locale.ROOT, "model %s (%s), %d rows of %s%n", model, m.task(), pred.length, csv);
        StringBuilder c = new StringBuilder("predicted:");
        for (int k = 0; k < classes.size(); k++) {
            c.append(String.format(Locale.ROOT, " %s %d", classes.get(k), counts[k]));
        }
        System.out.println(c);
        if (output != null) {
            StringBuilder sb = new StringBuilder("row,predicted");
            classes.forEach(n -> sb.append(",p_").append(n));
            sb.append('\n');
            for (int i = 0; i < pred.length; i++) {
                sb.append(i).append(',').append(classes.get((int) pred[i]));
                for (double p : probs[i]) {
                    sb.append(String.format(Locale.ROOT, ",%.6f", p));
                }
                sb.append('\n');
            }
            SdssCommand.write(output, sb.toString());
            System.out.println("wrote " + output);
        }
        if (table.hasColumn(SdssData.CLASS)) {
            score(table.strings(SdssData.CLASS), classes, probs, pred);
        }
        return 0;
    }

    private static void score(String[] truth, List<String> classes, double[][] probs, long[] pred) {
        List<Integer> known = new ArrayList<>();
        for (int i = 0; i < truth.length; i++) {
            if (classes.contains(truth[i].strip())) {
                known.add(i);
            }
        }
        int skipped = truth.length - known.size();
        if (skipped > 0) {
            System.out.printf(Locale.ROOT, "%d rows have a class the model does not know (not in %s); they are not "
                    + "scored%n", skipped, classes);
        }
        if (known.isEmpty()) {
            return;
        }
        long[] y = new long[known.size()];
        long[] p = new long[known.size()];
        double[][] pr = new double[known.size()][];
        for (int k = 0; k < y.length; k++) {
            int i = known.get(k);
            y[k] = classes.indexOf(truth[i].strip());
            p[k] = pred[i];
            pr[k] = probs[i];
        }
        ConfusionMatrix cm = ConfusionMatrix.of(y, p, classes.size());
        System.out.printf(Locale.ROOT, "%nscored on %d rows: accuracy %.2f%%, balanced accuracy %.2f%%%n", y.length,
                100 * Metrics.accuracy(y, p), 100 * Metrics.balancedAccuracy(y, p));
        System.out.print(cm.toTable(classes));
        System.out.println();
        System.out.print(ClassificationReport.of(cm, classes).toTable(4));
        try {
            System.out.printf(Locale.ROOT, "%nROC AUC: %.4f  log-loss: %.4f%n",
                    Metrics.rocAucOvr(y, pr, Metrics.Average.MACRO), Metrics.logLoss(y, pr));
        } catch (IllegalArgumentException e) {
            System.out.println("ROC AUC not defined here: " + e.getMessage());
        }
    }
}
