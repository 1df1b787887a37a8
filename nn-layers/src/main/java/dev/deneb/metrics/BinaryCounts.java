package dev.deneb.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * scikit-learn's {@code _binary_clf_curve}: scores sorted in decreasing order, and for each distinct score (the
 * thresholds, decreasing) the number of positives ({@code tps}) and negatives ({@code fps}) scoring at least that
 * much. Tied scores form one threshold, so the curves do not depend on the order of tied samples.
 */
record BinaryCounts(double[] fps, double[] tps, double[] thresholds) {

    static BinaryCounts of(long[] yTrue, double[] scores, long positive, String what) {
        Checks.sameLength(yTrue.length, scores.length, what);
        Checks.nonEmpty(yTrue.length, what);
        Checks.finite(scores, what);
        int n = scores.length;
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        double[] fps = new double[n];
        double[] tps = new double[n];
        double[] thr = new double[n];
        int k = 0;
        long tp = 0;
        long fp = 0;
        for (int j = 0; j < n; j++) {
            int i = order[j];
            if (yTrue[i] == positive) {
                tp++;
            } else {
                fp++;
            }
            // A threshold ends where the next score is strictly lower (or at the end).
            if (j == n - 1 || scores[order[j + 1]] != scores[i]) {
                tps[k] = tp;
                fps[k] = fp;
                thr[k] = scores[i];
                k++;
            }
        }
        return new BinaryCounts(Arrays.copyOf(fps, k), Arrays.copyOf(tps, k), Arrays.copyOf(thr, k));
    }

    double positives() {
        return tps[tps.length - 1];
    }

    double negatives() {
        return fps[fps.length - 1];
    }
}
