package dev.deneb.examples.sdss;

import dev.deneb.data.Csv;
import dev.deneb.data.CsvTable;
import dev.deneb.metrics.ClassificationReport;
import dev.deneb.metrics.ConfusionMatrix;
import dev.deneb.metrics.Metrics;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Applies a saved SDSS model bundle (network + standardiser + class and feature names) to any CSV that has the
 * model's features (after {@code --rename}; colours a-b are computed when the table has a and b). Rows with an
 * unusable value are skipped and counted (or stop the run with {@code --bad-rows fail}); objects beyond the
 * training distribution are counted and flagged. Writes one prediction per usable row, keyed by the data-row number
 * and, with {@code --id-column}, the table's own ID; if the CSV has a {@code class} column, reports the metrics on
 * the rows whose class the model knows and counts the others.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Apply a saved SDSS model to a CSV with the model's feature columns (and class, to score it).")
public final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "the .safetensors bundle written by 'sdss', or its folder")
    Path model;

    @Option(names = "--csv", required = true, description = "CSV with the model's features, e.g. u, g, r, i, z "
            + "(LF or CRLF line ends)")
    Path csv;

    @Option(names = "--output", description = "where to write the predictions (default: print a summary only)")
    Path output;

    @Option(names = "--id-column", description = "a column copied into the predictions (e.g. objid), as text")
    String idColumn;

    @CommandLine.Mixin
    TableOptions table = new TableOptions();

    public static void main(String[] args) {
        System.exit(new CommandLine(new PredictCommand()).execute(args));
    }

    @Override
    public Integer call() {
        try {
            return run();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println("sdss predict: " + e.getMessage());
            return 2;
        }
    }

    private int run() {
        SdssModel m = SdssModel.load(model);
        if (table.features != null && !table.options().features().equals(m.features())) {
            throw new IllegalArgumentException("--features " + String.join(",", table.features) + " differs from the "
                    + "model's features " + m.features() + "; leave --features out (the model knows its inputs)");
        }
        CsvTable t = Csv.read(csv);
        String[] ids = null;
        if (idColumn != null) {
            if (!t.hasColumn(idColumn)) {
                throw new IllegalArgumentException("--id-column: " + csv + " has no column '" + idColumn
                        + "'; columns are: " + String.join(", ", t.columns()));
            }
            ids = t.strings(idColumn);
        }
        CatalogueReader.Rows rows = CatalogueReader.read(t, csv.toString(), table.options().features(m.features()),
                null, 0);
        List<String> classes = m.task().classes;
        System.out.printf(Locale.ROOT, "model %s (%s, inputs %s), %d rows of %s%n", model, m.task(), m.features(),
                t.rows(), csv);
        if (rows.bad().count() > 0) {
            System.out.printf(Locale.ROOT, "skipped %d rows with unusable values (--bad-rows skip), not predicted:%n",
                    rows.bad().count());
            rows.bad().summary().forEach(line -> System.out.println("  " + line));
        }
        if (rows.size() == 0) {
            System.out.println("no usable rows: nothing to predict");
            return 1;
        }
        double[][] probs = m.predictProba(rows.inputs());
        long[] pred = Metrics.argmax(probs);
        List<List<String>> ood = m.outOfDistribution(rows.inputs());
        long[] counts = new long[classes.size()];
        for (long p : pred) {
            counts[(int) p]++;
        }
        StringBuilder c = new StringBuilder("predicted:");
        for (int k = 0; k < classes.size(); k++) {
            c.append(String.format(Locale.ROOT, " %s %d", classes.get(k), counts[k]));
        }
        System.out.println(c);
        reportOutOfDistribution(ood, m.oodThreshold());
        if (output != null) {
            write(rows, ids, classes, pred, probs, ood);
        }
        if (t.hasColumn(SdssData.CLASS)) {
            String[] all = t.strings(SdssData.CLASS);
            String[] truth = new String[rows.size()];
            for (int i = 0; i < truth.length; i++) {
                truth[i] = all[rows.tableRows()[i]];
            }
            score(truth, m.task(), probs, pred);
        }
        return 0;
    }

    private static void reportOutOfDistribution(List<List<String>> ood, double threshold) {
        Map<String, Long> byFeature = new LinkedHashMap<>();
        long n = 0;
        for (List<String> f : ood) {
            n += f.isEmpty() ? 0 : 1;
            f.forEach(name -> byFeature.merge(name, 1L, Long::sum));
        }
        if (n == 0) {
            System.out.printf(Locale.ROOT, "all %d objects lie within ±%.0fσ of the training distribution%n",
                    ood.size(), threshold);
        } else {
            System.out.printf(Locale.ROOT, "warning: %d of %d objects lie beyond ±%.0fσ of the training distribution "
                    + "in at least one feature %s; their inputs are clipped and their scores are extrapolations "
                    + "(column ood = 1 in the output)%n", n, ood.size(), threshold, byFeature);
        }
    }

    /** {@code [id,]row,predicted,p_<class>...,ood,ood_features}; row is the data row (0 = first after the header). */
    private void write(CatalogueReader.Rows rows, String[] ids, List<String> classes, long[] pred, double[][] probs,
            List<List<String>> ood) {
        StringBuilder sb = new StringBuilder();
        if (ids != null) {
            sb.append(csvCell(idColumn)).append(',');
        }
        sb.append("row,predicted");
        classes.forEach(n -> sb.append(",p_").append(n));
        sb.append(",ood,ood_features\n");
        for (int i = 0; i < pred.length; i++) {
            int r = rows.tableRows()[i];
            if (ids != null) {
                sb.append(csvCell(ids[r])).append(',');
            }
            sb.append(r).append(',').append(classes.get((int) pred[i]));
            for (double p : probs[i]) {
                sb.append(String.format(Locale.ROOT, ",%.6f", p));
            }
            sb.append(',').append(ood.get(i).isEmpty() ? 0 : 1).append(',').append(String.join(";", ood.get(i)))
                    .append('\n');
        }
        SdssCommand.write(output, sb.toString());
        System.out.println("wrote " + output);
    }

    /** Quotes a cell that holds a comma, quote or line break (RFC 4180). */
    static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
                ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static void score(String[] truth, SdssData.Task task, double[][] probs, long[] pred) {
        List<String> classes = task.classes;
        List<Integer> known = new ArrayList<>();
        Map<String, Long> other = new TreeMap<>();
        for (int i = 0; i < truth.length; i++) {
            if (task.indexOf(truth[i]) >= 0) {
                known.add(i);
            } else {
                String c = truth[i].strip();
                other.merge(c.isEmpty() ? "(empty)" : c.toUpperCase(Locale.ROOT), 1L, Long::sum);
            }
        }
        int skipped = truth.length - known.size();
        if (skipped > 0) {
            System.out.printf(Locale.ROOT, "%d rows have a class the model does not know (not in %s: %s); they are "
                    + "not scored%n", skipped, classes, other);
        }
        if (known.isEmpty()) {
            return;
        }
        long[] y = new long[known.size()];
        long[] p = new long[known.size()];
        double[][] pr = new double[known.size()][];
        for (int k = 0; k < y.length; k++) {
            int i = known.get(k);
            y[k] = task.indexOf(truth[i]);
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
