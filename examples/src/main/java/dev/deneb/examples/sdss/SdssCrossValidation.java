package dev.deneb.examples.sdss;

import dev.deneb.data.Fold;
import dev.deneb.data.Splits;
import dev.deneb.nn.train.CrossValidation;
import dev.deneb.nn.train.CvScores;
import dev.deneb.nn.train.HyperParams;
import dev.deneb.nn.train.SearchSpace;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The SDSS classifier scored by stratified k-fold cross-validation ({@code --cv K}), and the hyper-parameter space
 * of {@code --search N}. Each fold trains a fresh MLP (seed + fold index) on the other folds, less a stratified
 * validation part for early stopping, and is scored on its own test fold; every configuration of a search sees the
 * same folds, so their scores are compared on equal terms.
 */
final class SdssCrossValidation {
    /** The scores of a fold, in table order; names as in the results CSV. */
    static final List<String> METRICS = List.of("accuracy", "balanced_accuracy", "macro_f1", "roc_auc",
            "average_precision", "log_loss");

    private SdssCrossValidation() {}

    /** A metric of {@code --search-metric}: its key in {@link #METRICS} and whether higher is better. */
    record Metric(String key, boolean higherIsBetter) {
        static Metric parse(String name) {
            return switch (name.toLowerCase(Locale.ROOT).replace('_', '-')) {
                case "accuracy" -> new Metric("accuracy", true);
                case "balanced-accuracy" -> new Metric("balanced_accuracy", true);
                case "macro-f1", "f1" -> new Metric("macro_f1", true);
                case "auc", "roc-auc" -> new Metric("roc_auc", true);
                case "average-precision", "ap" -> new Metric("average_precision", true);
                case "log-loss", "loss" -> new Metric("log_loss", false);
                default -> throw new IllegalArgumentException("--search-metric: unknown '" + name + "'; use accuracy, "
                        + "balanced-accuracy, macro-f1, auc, average-precision or log-loss");
            };
        }
    }

    static Map<String, Double> scores(SdssRun.Scores s) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("accuracy", s.accuracy());
        m.put("balanced_accuracy", s.balancedAccuracy());
        m.put("macro_f1", s.macroF1());
        m.put("roc_auc", s.rocAuc());
        m.put("average_precision", s.averagePrecision());
        m.put("log_loss", s.logLoss());
        return m;
    }

    /** The stratified folds of the data for {@code seed}. */
    static List<Fold> folds(SdssData.Labelled d, int k, long seed) {
        if (k < 2 || k > d.size()) {
            throw new IllegalArgumentException("--cv: expected 2 <= K <= " + d.size() + " (the number of rows), got "
                    + k);
        }
        return Splits.stratifiedKFold(d.labels(), k, seed);
    }

    /** Scores {@code settings} on each fold; {@code log} gets a line per fold (and every epoch with verbose). */
    static CvScores run(SdssData.Labelled d, SdssData.Task task, List<Fold> folds, long seed,
            SdssRun.Settings settings, PrintStream log, PrintStream epochLog) {
        return CrossValidation.run(folds, fold -> {
            long s = seed + fold.index();
            SdssRun.Split split = SdssRun.split(d.labels(), fold, settings.fractions(), s);
            return scores(SdssRun.run(d, task, split, s, settings, epochLog).scores());
        }, log);
    }

    /**
     * The space of {@code --search}: learning rate log-uniform in [3e-4, 1e-2), hidden widths one of 32, 64,
     * 64-64, 128-64, 128-128, dropout one of 0, 0.1, 0.2, 0.3, weight decay log-uniform in [1e-6, 1e-2).
     */
    static SearchSpace space() {
        return new SearchSpace()
                .logUniform("lr", 3e-4, 1e-2)
                .choice("hidden", new int[] {32}, new int[] {64}, new int[] {64, 64}, new int[] {128, 64},
                        new int[] {128, 128})
                .choice("dropout", 0.0, 0.1, 0.2, 0.3)
                .logUniform("weight_decay", 1e-6, 1e-2);
    }

    /** {@code base} with a point of {@link #space()}. */
    static SdssRun.Settings apply(SdssRun.Settings b, HyperParams p) {
        return new SdssRun.Settings(p.get("hidden", int[].class), p.getDouble("dropout"), p.getDouble("lr"),
                p.getDouble("weight_decay"), b.batchSize(), b.maxEpochs(), b.patience(), b.monitor(), b.classWeights(),
                b.priorCorrection(), b.inputClip(), b.fractions());
    }

    /** The options that train a point, for copying onto a command line. */
    static String commandLine(HyperParams p) {
        return String.format(Locale.ROOT, "--lr %s --hidden %s --dropout %s --weight-decay %s",
                HyperParams.format(p.getDouble("lr")), HyperParams.format(p.get("hidden")),
                HyperParams.format(p.getDouble("dropout")), HyperParams.format(p.getDouble("weight_decay")));
    }

    /** Mean ± std of each metric over the folds, one line each. */
    static String summary(CvScores s) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d-fold cross-validation (mean ± std over folds):%n", s.folds()));
        for (String m : METRICS) {
            boolean percent = m.equals("accuracy") || m.equals("balanced_accuracy");
            sb.append(String.format(Locale.ROOT, "  %-18s %s%s%n", m, s.format(m, percent ? 100 : 1, percent ? 2 : 4),
                    percent ? " %" : ""));
        }
        return sb.toString();
    }
}
