package dev.deneb.nn.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Scores a list of hyper-parameter points (from {@link SearchSpace#sample} or {@link SearchSpace#grid}), each by a
 * caller's function, usually a {@link CrossValidation} over the same folds so the points are compared on equal
 * terms, and ranks them by the mean of one metric.
 */
public final class ParameterSearch {
    private ParameterSearch() {}

    /** One scored point; {@code index} is its position in the list given to {@link #run} (0-based). */
    public record Trial(int index, HyperParams params, CvScores scores, double seconds) {}

    /** Evaluates each point in turn; {@code log} (null for none) gets a line before and after each. */
    public static List<Trial> run(List<HyperParams> points, Function<HyperParams, CvScores> evaluate,
            String metric, PrintStream log) {
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            HyperParams p = points.get(i);
            if (log != null) {
                log.printf(Locale.ROOT, "configuration %d/%d: %s%n", i + 1, points.size(), p);
            }
            long start = System.nanoTime();
            CvScores s = evaluate.apply(p);
            double seconds = (System.nanoTime() - start) / 1e9;
            trials.add(new Trial(i, p, s, seconds));
            if (log != null) {
                log.printf(Locale.ROOT, "configuration %d/%d: %s %s (%.1f s)%n", i + 1, points.size(), metric,
                        s.format(metric, 1, 4), seconds);
            }
        }
        return trials;
    }

    /** The trials best first by the mean of {@code metric} (ties: the earlier trial first). */
    public static List<Trial> ranked(List<Trial> trials, String metric, boolean higherIsBetter) {
        Comparator<Trial> byMean = Comparator.comparingDouble(t -> t.scores().mean(metric));
        if (higherIsBetter) {
            byMean = byMean.reversed();
        }
        return trials.stream().sorted(byMean.thenComparingInt(Trial::index)).toList();
    }

    /**
     * A text table of ranked trials: rank, the trial's number, the hyper-parameters, then mean ± std of each metric
     * (scaled by {@code scale[i]}, e.g. 100 for percentages, with {@code digits[i]} decimals), one row per trial.
     */
    public static String table(List<Trial> ranked, List<String> metrics, double[] scale, int[] digits) {
        if (ranked.isEmpty()) {
            return "(no trials)\n";
        }
        List<String> names = ranked.get(0).params().values().keySet().stream().toList();
        List<String[]> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("rank", "#"));
        header.addAll(names);
        header.addAll(metrics);
        rows.add(header.toArray(String[]::new));
        for (int r = 0; r < ranked.size(); r++) {
            Trial t = ranked.get(r);
            List<String> row = new ArrayList<>(List.of(Integer.toString(r + 1), Integer.toString(t.index() + 1)));
            names.forEach(n -> row.add(HyperParams.format(t.params().get(n))));
            for (int m = 0; m < metrics.size(); m++) {
                row.add(t.scores().format(metrics.get(m), scale[m], digits[m]));
            }
            rows.add(row.toArray(String[]::new));
        }
        int[] width = new int[header.size()];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                sb.append(c == 0 ? "" : "  ").append(String.format("%" + width[c] + "s", row[c]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
