package dev.deneb.metrics;

/**
 * A receiver operating characteristic curve, as scikit-learn's {@code roc_curve(..., drop_intermediate=False)}:
 * one point per distinct score, thresholds decreasing, preceded by the point (0, 0) whose threshold is
 * {@code +Infinity} (scikit-learn 1.3 and later; 1.2 wrote {@code max score + 1} there). The area is the
 * trapezoidal rule over all points, as {@code roc_auc_score}.
 *
 * <p>With no negatives the false-positive rates are NaN, with no positives the true-positive rates are NaN, and
 * then the area is NaN too (scikit-learn warns there and {@code roc_auc_score} raises; see
 * {@link Metrics#rocAuc}).
 */
public record RocCurve(double[] fpr, double[] tpr, double[] thresholds, double auc) {

    /** The curve of binary labels ({@code positive} is the positive class, anything else negative). */
    public static RocCurve of(long[] yTrue, double[] scores, long positive) {
        BinaryCounts c = BinaryCounts.of(yTrue, scores, positive, "ROC curve");
        int k = c.thresholds().length;
        double[] fpr = new double[k + 1];
        double[] tpr = new double[k + 1];
        double[] thr = new double[k + 1];
        thr[0] = Double.POSITIVE_INFINITY;
        double p = c.positives();
        double n = c.negatives();
        for (int j = 0; j < k; j++) {
            fpr[j + 1] = n > 0 ? c.fps()[j] / n : Double.NaN;
            tpr[j + 1] = p > 0 ? c.tps()[j] / p : Double.NaN;
            thr[j + 1] = c.thresholds()[j];
        }
        fpr[0] = n > 0 ? 0 : Double.NaN;
        tpr[0] = p > 0 ? 0 : Double.NaN;
        return new RocCurve(fpr, tpr, thr, trapezoid(fpr, tpr));
    }

    /** The curve with class 1 positive. */
    public static RocCurve of(long[] yTrue, double[] scores) {
        return of(yTrue, scores, 1);
    }

    /** Trapezoidal area under y(x), x non-decreasing (NaN if any value is NaN). */
    static double trapezoid(double[] x, double[] y) {
        double area = 0;
        for (int i = 1; i < x.length; i++) {
            area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
        }
        return area;
    }

    public int size() {
        return thresholds.length;
    }
}
