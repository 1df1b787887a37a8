package dev.deneb.metrics;

/**
 * A precision-recall curve, as scikit-learn's {@code precision_recall_curve}: one point per distinct score with
 * thresholds increasing (so recall decreases), then a last point precision 1, recall 0 with no threshold
 * ({@code thresholds} is one shorter than the rates). Average precision is the step-function integral
 * {@code AP = Σ (R_n − R_{n−1}) P_n}, as {@code average_precision_score} (no interpolation).
 *
 * <p>Where no sample is predicted positive the precision is 0 (scikit-learn's zero_division behaviour). With no
 * positive labels at all, recall is 1 at every threshold (scikit-learn warns) and AP comes out as 0 (the only
 * step is the final drop to recall 0, weighted by the precision at the highest threshold, which is 0).
 */
public record PrCurve(double[] precision, double[] recall, double[] thresholds, double averagePrecision) {

    /** The curve of binary labels ({@code positive} is the positive class, anything else negative). */
    public static PrCurve of(long[] yTrue, double[] scores, long positive) {
        BinaryCounts c = BinaryCounts.of(yTrue, scores, positive, "precision-recall curve");
        int k = c.thresholds().length;
        double[] precision = new double[k + 1];
        double[] recall = new double[k + 1];
        double[] thr = new double[k];
        double p = c.positives();
        for (int j = 0; j < k; j++) {
            int at = k - 1 - j; // reversed: thresholds increasing
            double tp = c.tps()[at];
            double predicted = tp + c.fps()[at];
            precision[j] = predicted == 0 ? 0 : tp / predicted;
            recall[j] = p == 0 ? 1 : tp / p;
            thr[j] = c.thresholds()[at];
        }
        precision[k] = 1;
        recall[k] = 0;
        double ap = 0;
        for (int j = 0; j < k; j++) {
            ap -= (recall[j + 1] - recall[j]) * precision[j];
        }
        return new PrCurve(precision, recall, thr, ap);
    }

    /** The curve with class 1 positive. */
    public static PrCurve of(long[] yTrue, double[] scores) {
        return of(yTrue, scores, 1);
    }

    public int size() {
        return precision.length;
    }
}
