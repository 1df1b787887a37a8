package dev.deneb.examples.sdss;

import dev.deneb.examples.common.ConfusionPlot;
import dev.deneb.examples.common.RocPlot;
import dev.deneb.examples.common.TrainingCurvesPlot;
import dev.deneb.metrics.ConfusionMatrix;
import dev.deneb.metrics.PrCurve;
import dev.deneb.metrics.RocCurve;
import dev.deneb.nn.train.CvScores;
import dev.deneb.nn.train.HyperParams;
import dev.deneb.nn.train.ParameterSearch;
import dev.deneb.tensor.Threads;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Classifies SDSS DR14 objects from photometry (u, g, r, i, z and the colours u-g, g-r, r-i, i-z): star vs quasar,
 * or star / galaxy / quasar. Trains an MLP with early stopping on one or several seeds, prints the test confusion
 * matrix, per-class precision/recall/F1 and ROC AUC, writes plots, the model bundle and the split, and (with
 * {@code --baselines}) runs scikit-learn's random forest, gradient boosting and logistic regression on the same split.
 */
@Command(name = "sdss", mixinStandardHelpOptions = true, subcommands = {PredictCommand.class, PcaCommand.class},
        description = {"Star / quasar (/ galaxy) classification of SDSS DR14 photometry with an MLP.",
                "Without a subcommand: train and evaluate (or cross-validate with --cv, tune with --search).",
                "'sdss predict' applies a saved model to a CSV; 'sdss pca' plots a 2-D projection of the classes."})
public final class SdssCommand implements Callable<Integer> {
    @Option(names = "--task", description = "star-qso or three-class (default: ${DEFAULT-VALUE})")
    String task = "star-qso";

    @Option(names = "--seed", description = "seed of the split, initialisation and shuffling (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--seeds", description = "repeat with seeds seed, seed+1, … and report mean ± std (default: ${DEFAULT-VALUE})")
    int seeds = 1;

    @Option(names = "--data", description = "folder with " + SdssData.FILE + ", or the CSV itself (default: ../shared/data/sdss)")
    Path data;

    @Option(names = "--out", description = "where the model, split, history and plots go (default: ${DEFAULT-VALUE})")
    Path out = Path.of("runs", "sdss");

    @Option(names = "--hidden", split = ",", description = "hidden layer widths (default: 64,64)")
    int[] hidden;

    @Option(names = "--dropout", description = "(default: ${DEFAULT-VALUE})")
    double dropout = SdssRun.Settings.defaults().dropout();

    @Option(names = "--lr", description = "AdamW learning rate, cosine-decayed (default: ${DEFAULT-VALUE})")
    double lr = SdssRun.Settings.defaults().lr();

    @Option(names = "--weight-decay", description = "(default: ${DEFAULT-VALUE})")
    double weightDecay = SdssRun.Settings.defaults().weightDecay();

    @Option(names = "--batch-size", description = "(default: ${DEFAULT-VALUE})")
    int batchSize = SdssRun.Settings.defaults().batchSize();

    @Option(names = "--epochs", description = "at most this many epochs (default: ${DEFAULT-VALUE})")
    int epochs = SdssRun.Settings.defaults().maxEpochs();

    @Option(names = "--patience", description = "early stopping: epochs without improvement (default: ${DEFAULT-VALUE})")
    int patience = SdssRun.Settings.defaults().patience();

    @Option(names = "--monitor", description = "validation metric for early stopping: loss, auc, balanced-accuracy, accuracy (default: ${DEFAULT-VALUE})")
    String monitor = SdssRun.Settings.defaults().monitor();

    @Option(names = "--no-class-weights", description = "do not weight the loss by inverse class frequency")
    boolean noClassWeights;

    @Option(names = "--no-prior-correction", description = "keep the class-weighted output bias (favours the minority "
            + "class) instead of subtracting log w_c after training")
    boolean noPriorCorrection;

    @Option(names = "--input-clip", description = "clip standardised inputs to ±this (0 = off) (default: ${DEFAULT-VALUE})")
    double inputClip = SdssRun.Settings.defaults().inputClip();

    @Option(names = "--baselines", description = "also run scikit-learn's models on the same split (needs python3 with scikit-learn)")
    boolean baselines;

    @Option(names = "--python", description = "Python for --baselines (default: ${DEFAULT-VALUE})")
    String python = java.nio.file.Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

    @Option(names = "--threads", description = "CPU threads (default: all cores)")
    Integer threads;

    @Option(names = "--verbose", description = "print every epoch")
    boolean verbose;

    @CommandLine.Mixin
    TableOptions table = new TableOptions();

    @Option(names = "--cv", paramLabel = "K", description = "score by stratified K-fold cross-validation instead of one "
            + "70/10/20 split: report each metric's mean ± std over the folds (no model is saved)")
    int cv;

    @Option(names = "--search", paramLabel = "N", description = "random search of N configurations (lr, hidden, "
            + "dropout, weight decay), each scored by K-fold CV (K from --cv, default 5); prints them ranked")
    int search;

    @Option(names = "--search-metric", description = "the metric that ranks --search: accuracy, balanced-accuracy, "
            + "macro-f1, auc, average-precision, log-loss (default: ${DEFAULT-VALUE})")
    String searchMetric = "accuracy";

    @Option(names = "--limit", hidden = true, description = "use only the first N rows of the task (quick runs, tests)")
    int limit;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SdssCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        try {
            return run();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            // Bad options and bad data (CatalogueReader.BadDataException) end with the message alone, no trace.
            System.err.println("sdss: " + e.getMessage());
            return 2;
        }
    }

    private Integer run() throws Exception {
        if (threads != null) {
            Threads.set(threads);
        }
        SdssData.Task t = SdssData.Task.parse(task);
        SdssRun.monitor(monitor); // fail early on a bad name
        SdssCrossValidation.Metric metric = SdssCrossValidation.Metric.parse(searchMetric);
        if (cv < 0 || cv == 1 || search < 0) {
            throw new IllegalArgumentException("--cv must be 0 (off) or at least 2 and --search at least 0, got --cv "
                    + cv + " --search " + search);
        }
        Path csv = csvFile(data);
        if (csv == null) {
            return 2;
        }
        CatalogueReader.Options reading = table.options();
        SdssData.Labelled d = SdssData.load(csv, t, limit, reading);
        SdssRun.Settings s = new SdssRun.Settings(hidden != null ? hidden : SdssRun.Settings.defaults().hidden(),
                dropout, lr, weightDecay, batchSize, epochs, patience, monitor, !noClassWeights,
                !noPriorCorrection, inputClip, SdssRun.Settings.defaults().fractions());
        Files.createDirectories(out);
        long[] counts = new long[t.classes.size()];
        Arrays.stream(d.labels()).forEach(y -> counts[(int) y]++);
        System.out.printf(Locale.ROOT, "SDSS %s: %d objects (%s), inputs %s%n", t, d.size(), classCounts(t, counts),
                d.features());
        reportLeftOut(d.otherClasses(), d.bad(), t, System.out);
        if (search > 0) {
            return search(d, t, s, metric);
        }
        if (cv > 0) {
            System.out.printf(Locale.ROOT, "%d-fold stratified cross-validation, seed %d, %s%n", cv, seed,
                    describe(s));
            CvScores scores = SdssCrossValidation.run(d, t, SdssCrossValidation.folds(d, cv, seed), seed, s,
                    System.out, verbose ? System.out : null);
            System.out.print(SdssCrossValidation.summary(scores));
            return 0;
        }
        System.out.println(describe(s) + "; split 70/10/20 stratified");

        List<SdssRun.Result> results = new ArrayList<>();
        for (int k = 0; k < seeds; k++) {
            long sd = seed + k;
            long start = System.nanoTime();
            SdssRun.Result r = SdssRun.run(d, t, sd, s, verbose ? System.out : null);
            results.add(r);
            SdssRun.Scores sc = r.scores();
            System.out.printf(Locale.ROOT, "seed %d: %d epochs (best %d)  test accuracy %.2f%%  balanced %.2f%%  "
                            + "macro F1 %.4f  ROC AUC %.4f  AP %.4f  log-loss %.4f  %.1f s%n", sd, r.history().size(),
                    r.history().best().epoch(), 100 * sc.accuracy(), 100 * sc.balancedAccuracy(), sc.macroF1(),
                    sc.rocAuc(), sc.averagePrecision(), sc.logLoss(), (System.nanoTime() - start) / 1e9);
        }
        SdssRun.Result first = results.get(0);
        printDetails(first, System.out);
        reportOutOfDistribution(first, d, System.out);
        String prefix = "sdss-" + t.id;
        Path splits = out.resolve(prefix + "-splits.csv");
        writeSplits(results, d, splits);
        writeResults(results, out.resolve(prefix + "-results.csv"));
        Files.writeString(out.resolve(prefix + "-history.csv"), first.history().toCsv());
        writePlots(first, out, prefix);
        Path modelFile = out.resolve(prefix + ".safetensors");
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put("seed", Long.toString(first.seed()));
        notes.put("test_accuracy", Double.toString(first.scores().accuracy()));
        notes.put("test_roc_auc", Double.toString(first.scores().rocAuc()));
        notes.put("best_epoch", Integer.toString(first.history().best().epoch()));
        first.model().save(modelFile, notes);
        System.out.println("wrote " + modelFile + " (model + standardiser + classes), " + splits + ", the history, "
                + "results and plots in " + out);

        Map<String, List<SdssRun.Scores>> table = new LinkedHashMap<>();
        table.put("Deneb MLP", results.stream().map(SdssRun.Result::scores).toList());
        if (baselines && (!d.features().equals(SdssData.FEATURES) || !this.table.renames.isEmpty())) {
            // The script computes the default features from columns u..z of the file itself.
            System.err.println("--baselines: skipped, the scikit-learn script knows only the default features "
                    + SdssData.FEATURES + " read from columns u, g, r, i, z without renames");
        } else if (baselines) {
            Path script = Baselines.findScript();
            if (script == null) {
                System.err.println("--baselines: " + Baselines.SCRIPT + " not found above " + Path.of("").toAbsolutePath());
            } else {
                System.out.println("running scikit-learn baselines: " + python + " " + script + " …");
                List<Baselines.Row> rows = Baselines.run(python, script, csv, splits, t.id,
                        out.resolve(prefix + "-baselines.csv"));
                table.putAll(Baselines.byModel(rows));
            }
        }
        System.out.print(summary(table, results.size()));
        return 0;
    }

    private static String describe(SdssRun.Settings s) {
        return String.format(Locale.ROOT, "MLP %s, dropout %.2f, AdamW lr %.1e, weight decay %.1e, batch %d, <= %d "
                        + "epochs, patience %d on validation %s, class weights %s", Arrays.toString(s.hidden()),
                s.dropout(), s.lr(), s.weightDecay(), s.batchSize(), s.maxEpochs(), s.patience(), s.monitor(),
                s.classWeights() ? "n/(C n_c)" + (s.priorCorrection() ? " (undone on the output bias after training)"
                        : "") : "none");
    }

    /** Random search: each configuration scored by K-fold CV on the same folds, then a ranked table. */
    private int search(SdssData.Labelled d, SdssData.Task t, SdssRun.Settings base,
            SdssCrossValidation.Metric metric) {
        int k = cv > 0 ? cv : 5;
        List<HyperParams> points = SdssCrossValidation.space().sample(search, seed);
        List<dev.deneb.data.Fold> folds = SdssCrossValidation.folds(d, k, seed);
        System.out.printf(Locale.ROOT, "random search: %d configurations, each by %d-fold CV (seed %d), ranked by %s;"
                + " batch %d, <= %d epochs, patience %d%n", search, k, seed, metric.key(), base.batchSize(),
                base.maxEpochs(), base.patience());
        List<ParameterSearch.Trial> trials = ParameterSearch.run(points, p -> SdssCrossValidation.run(d, t, folds,
                seed, SdssCrossValidation.apply(base, p), System.out, verbose ? System.out : null), metric.key(),
                System.out);
        List<ParameterSearch.Trial> ranked = ParameterSearch.ranked(trials, metric.key(), metric.higherIsBetter());
        List<String> shown = List.of("accuracy", "balanced_accuracy", "macro_f1", "roc_auc", "log_loss");
        System.out.printf(Locale.ROOT, "%nconfigurations by %s (mean ± std over %d folds; accuracies in %%):%n",
                metric.key(), k);
        System.out.print(ParameterSearch.table(ranked, shown, new double[] {100, 100, 1, 1, 1},
                new int[] {2, 2, 4, 4, 4}));
        ParameterSearch.Trial best = ranked.get(0);
        System.out.printf(Locale.ROOT, "%nbest: %s  (%s %s)%ntrain it: sdss --task %s %s%n", best.params(),
                metric.key(), best.scores().format(metric.key(), 1, 4), t, SdssCrossValidation.commandLine(
                        best.params()));
        StringBuilder sb = new StringBuilder("rank,config," + String.join(",", SdssCrossValidation.space().names()));
        SdssCrossValidation.METRICS.forEach(m -> sb.append(',').append(m).append("_mean,").append(m).append("_std"));
        sb.append('\n');
        for (int r = 0; r < ranked.size(); r++) {
            ParameterSearch.Trial tr = ranked.get(r);
            sb.append(r + 1).append(',').append(tr.index() + 1);
            tr.params().values().values().forEach(v -> sb.append(',').append(HyperParams.format(v).replace(',', ' ')));
            for (String m : SdssCrossValidation.METRICS) {
                sb.append(String.format(Locale.ROOT, ",%.6f,%.6f", tr.scores().mean(m), tr.scores().std(m)));
            }
            sb.append('\n');
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + out, e);
        }
        Path file = out.resolve("sdss-" + t.id + "-search.csv");
        write(file, sb.toString());
        System.out.println("wrote " + file);
        return 0;
    }

    /** Says which rows were left out: other classes, and bad rows per reason. */
    static void reportLeftOut(Map<String, Long> other, BadRows bad, SdssData.Task t, PrintStream o) {
        if (!other.isEmpty()) {
            List<String> parts = new ArrayList<>();
            other.forEach((c, k) -> parts.add(c + " " + k));
            o.printf(Locale.ROOT, "left out %d rows of classes outside %s: %s%n",
                    other.values().stream().mapToLong(Long::longValue).sum(), t.classes, String.join(", ", parts));
        }
        if (bad.count() > 0) {
            o.printf(Locale.ROOT, "skipped %d rows with unusable values (--bad-rows skip):%n", bad.count());
            bad.summary().forEach(line -> o.println("  " + line));
        }
    }

    /** How many test objects lie beyond the clip threshold of the training split in any feature. */
    static void reportOutOfDistribution(SdssRun.Result r, SdssData.Labelled d, PrintStream o) {
        long[] test = r.split().test();
        List<List<String>> ood = r.model().outOfDistribution(d.inputs().indexSelect(0,
                dev.deneb.tensor.Tensor.of(test, test.length)));
        Map<String, Long> byFeature = new LinkedHashMap<>();
        long n = 0;
        for (List<String> f : ood) {
            n += f.isEmpty() ? 0 : 1;
            f.forEach(name -> byFeature.merge(name, 1L, Long::sum));
        }
        o.printf(Locale.ROOT, "out of distribution: %d of %d test objects lie beyond ±%.0fσ of the training split in "
                + "at least one feature%s%s%n", n, test.length, r.model().oodThreshold(), n == 0 ? "" : " " + byFeature,
                n == 0 ? "" : " (clipped there: their scores are extrapolations)");
    }

    /** The data CSV from --data (a folder or the file), or null after printing where it was looked for. */
    public static Path csvFile(Path data) {
        Path dir = data != null ? data : SdssData.defaultDirectory();
        Path csv = dir == null ? null : Files.isDirectory(dir) ? dir.resolve(SdssData.FILE) : dir;
        if (csv == null || !Files.isRegularFile(csv)) {
            System.err.println("SDSS data not found " + (dir == null ? "(no shared/data/sdss folder above "
                    + Path.of("").toAbsolutePath() + ")" : "at " + dir) + "; pass --data <folder with "
                    + SdssData.FILE + ">");
            return null;
        }
        return csv;
    }

    static void printDetails(SdssRun.Result r, PrintStream o) {
        List<String> names = r.model().task().classes;
        ConfusionMatrix cm = SdssRun.confusion(r);
        o.println();
        o.printf(Locale.ROOT, "test set of seed %d (%d objects), confusion matrix (rows: true class):%n", r.seed(),
                r.testLabels().length);
        o.print(cm.toTable(names));
        o.println("normalised by true class:");
        o.print(cm.toTable(names, ConfusionMatrix.Normalization.TRUE));
        o.println();
        o.print(SdssRun.report(r).toTable(4));
        o.println();
        if (names.size() == 2) {
            o.printf(Locale.ROOT, "ROC AUC (QSO vs STAR): %.4f   average precision: %.4f%n", r.scores().rocAuc(),
                    r.scores().averagePrecision());
        } else {
            StringBuilder sb = new StringBuilder("ROC AUC one-vs-rest:");
            for (RocPlot.Curves c : curves(r)) {
                sb.append(String.format(Locale.ROOT, "  %s %.4f", c.name(), c.roc().auc()));
            }
            o.println(sb.append(String.format(Locale.ROOT, "  (macro %.4f)", r.scores().rocAuc())));
        }
        o.println();
    }

    /** The ROC and PR curves of the positive class (binary) or of each class against the rest. */
    static List<RocPlot.Curves> curves(SdssRun.Result r) {
        List<String> names = r.model().task().classes;
        List<RocPlot.Curves> out = new ArrayList<>();
        for (int c = names.size() == 2 ? 1 : 0; c < names.size(); c++) {
            double[] score = new double[r.testProbs().length];
            for (int i = 0; i < score.length; i++) {
                score[i] = r.testProbs()[i][c];
            }
            String name = names.size() == 2 ? names.get(c) + " vs " + names.get(0) : names.get(c) + " vs rest";
            out.add(new RocPlot.Curves(name, RocCurve.of(r.testLabels(), score, c),
                    PrCurve.of(r.testLabels(), score, c)));
        }
        return out;
    }

    static void writePlots(SdssRun.Result r, Path out, String prefix) {
        String title = "SDSS " + r.model().task();
        TrainingCurvesPlot.writePng(r.history(), title, out.resolve(prefix + "-curves.png"));
        ConfusionPlot.writePng(SdssRun.confusion(r), r.model().task().classes, title + ": test confusion matrix",
                out.resolve(prefix + "-confusion.png"));
        RocPlot.writePng(curves(r), title, out.resolve(prefix + "-roc-pr.png"));
    }

    /** {@code seed,row,part}: row is the data row in the CSV (0 = first after the header), part train/validation/test. */
    static void writeSplits(List<SdssRun.Result> results, SdssData.Labelled d, Path file) {
        StringBuilder sb = new StringBuilder("seed,row,part\n");
        for (SdssRun.Result r : results) {
            String[] names = {"train", "validation", "test"};
            long[][] parts = {r.split().train(), r.split().validation(), r.split().test()};
            for (int p = 0; p < 3; p++) {
                for (long i : parts[p]) {
                    sb.append(r.seed()).append(',').append(d.fileRows()[(int) i]).append(',').append(names[p])
                            .append('\n');
                }
            }
        }
        write(file, sb.toString());
    }

    static void writeResults(List<SdssRun.Result> results, Path file) {
        StringBuilder sb = new StringBuilder(
                "model,seed,epochs,best_epoch,accuracy,balanced_accuracy,macro_f1,roc_auc,average_precision,log_loss\n");
        for (SdssRun.Result r : results) {
            SdssRun.Scores s = r.scores();
            sb.append(String.format(Locale.ROOT, "deneb_mlp,%d,%d,%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f%n", r.seed(),
                    r.history().size(), r.history().best().epoch(), s.accuracy(), s.balancedAccuracy(), s.macroF1(),
                    s.rocAuc(), s.averagePrecision(), s.logLoss()));
        }
        write(file, sb.toString());
    }

    /** A table of mean ± std (sample std, n-1) of each model's test scores. */
    static String summary(Map<String, List<SdssRun.Scores>> table, int seeds) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%ntest scores over %d seed%s (mean ± std):%n", seeds,
                seeds == 1 ? "" : "s"));
        sb.append(String.format(Locale.ROOT, "%-30s %16s %16s %16s %18s %18s%n", "model", "accuracy %",
                "balanced acc. %", "macro F1", "ROC AUC", "avg precision"));
        table.forEach((name, scores) -> sb.append(String.format(Locale.ROOT, "%-30s %16s %16s %16s %18s %18s%n",
                name, stat(scores, s -> 100 * s.accuracy(), 2), stat(scores, s -> 100 * s.balancedAccuracy(), 2),
                stat(scores, SdssRun.Scores::macroF1, 4), stat(scores, SdssRun.Scores::rocAuc, 5),
                stat(scores, SdssRun.Scores::averagePrecision, 5))));
        return sb.toString();
    }

    static String stat(List<SdssRun.Scores> scores, ToDoubleFunction<SdssRun.Scores> f, int digits) {
        double[] v = scores.stream().mapToDouble(f).toArray();
        double mean = Arrays.stream(v).average().orElse(Double.NaN);
        if (v.length < 2) {
            return String.format(Locale.ROOT, "%." + digits + "f", mean);
        }
        double ss = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
        return String.format(Locale.ROOT, "%." + digits + "f ± %." + digits + "f", mean, Math.sqrt(ss / (v.length - 1)));
    }

    private static String classCounts(SdssData.Task t, long[] counts) {
        List<String> parts = new ArrayList<>();
        long n = Arrays.stream(counts).sum();
        for (int c = 0; c < counts.length; c++) {
            parts.add(String.format(Locale.ROOT, "%s %d = %.1f%%", t.classes.get(c), counts[c], 100.0 * counts[c] / n));
        }
        return String.join(", ", parts);
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }
}
