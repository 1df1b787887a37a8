package dev.deneb.metrics;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;

/**
 * Classification metrics with scikit-learn's definitions. Labels are class indices {@code 0 .. C-1} ({@code long[]}
 * or an integer tensor {@code [N]}); scores are probabilities (or any monotone score) per class,
 * {@code double[N][C]} or a tensor {@code [N, C]}; binary scores are those of the positive class.
 *
 * <pre>{@code
 * long[] pred = Metrics.argmax(probs);
 * double acc = Metrics.accuracy(labels, pred);
 * double auc = Metrics.rocAucOvr(labels, probs, Metrics.Average.MACRO);
 * }</pre>
 *
 * <p>Undefined ratios follow scikit-learn's {@code zero_division=0}: they are 0, not NaN. For the record types
 * see {@link ConfusionMatrix}, {@link ClassificationReport}, {@link RocCurve} and {@link PrCurve}.
 */
public final class Metrics {
    /** Machine epsilon of f64, the log-loss clipping of {@code double} input (scikit-learn's {@code eps="auto"}). */
    public static final double EPS_F64 = Math.ulp(1.0);
    /** Machine epsilon of f32, the log-loss clipping of f32 tensors. */
    public static final double EPS_F32 = Math.ulp(1.0f);

    /** How per-class values are combined: unweighted mean, or weighted by each class's support. */
    public enum Average { MACRO, WEIGHTED }

    private Metrics() {}

    // ---- label metrics ----

    /** Fraction of predictions equal to the labels. */
    public static double accuracy(long[] yTrue, long[] yPred) {
        Checks.sameLength(yTrue.length, yPred.length, "accuracy");
        Checks.nonEmpty(yTrue.length, "accuracy");
        long correct = 0;
        for (int i = 0; i < yTrue.length; i++) {
            if (yTrue[i] == yPred[i]) {
                correct++;
            }
        }
        return (double) correct / yTrue.length;
    }

    /**
     * Mean recall over the classes that occur in {@code yTrue} (scikit-learn's {@code balanced_accuracy_score}): a
     * class that is only ever predicted, never true, is left out.
     */
    public static double balancedAccuracy(long[] yTrue, long[] yPred) {
        Checks.nonEmpty(yTrue.length, "balanced accuracy");
        ConfusionMatrix cm = ConfusionMatrix.of(yTrue, yPred, numClasses(yTrue, yPred));
        double sum = 0;
        int present = 0;
        for (int c = 0; c < cm.numClasses(); c++) {
            long support = cm.support(c);
            if (support > 0) {
                sum += (double) cm.count(c, c) / support;
                present++;
            }
        }
        return sum / present;
    }

    /** The confusion matrix over classes {@code 0 .. numClasses-1}. */
    public static ConfusionMatrix confusionMatrix(long[] yTrue, long[] yPred, int numClasses) {
        return ConfusionMatrix.of(yTrue, yPred, numClasses);
    }

    /** Per-class precision {@code tp / (tp + fp)}, 0 for a class never predicted. */
    public static double[] precision(long[] yTrue, long[] yPred, int numClasses) {
        return perClass(yTrue, yPred, numClasses, 0);
    }

    /** Per-class recall {@code tp / (tp + fn)}, 0 for a class with no samples. */
    public static double[] recall(long[] yTrue, long[] yPred, int numClasses) {
        return perClass(yTrue, yPred, numClasses, 1);
    }

    /** Per-class F1, the harmonic mean of precision and recall (0 where both are 0). */
    public static double[] f1(long[] yTrue, long[] yPred, int numClasses) {
        return perClass(yTrue, yPred, numClasses, 2);
    }

    /** Macro or support-weighted F1 over classes {@code 0 .. numClasses-1}. */
    public static double f1(long[] yTrue, long[] yPred, int numClasses, Average average) {
        ClassificationReport r = report(yTrue, yPred, numClasses);
        return average == Average.MACRO ? r.macroAvg().f1() : r.weightedAvg().f1();
    }

    /** The classification report with classes named {@code 0, 1, …}. */
    public static ClassificationReport report(long[] yTrue, long[] yPred, int numClasses) {
        return ClassificationReport.of(yTrue, yPred, java.util.stream.IntStream.range(0, numClasses)
                .mapToObj(Integer::toString).toList());
    }

    private static double[] perClass(long[] yTrue, long[] yPred, int numClasses, int which) {
        ClassificationReport r = report(yTrue, yPred, numClasses);
        double[] out = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            ClassificationReport.Scores s = r.scores(c);
            out[c] = which == 0 ? s.precision() : which == 1 ? s.recall() : s.f1();
        }
        return out;
    }

    // ---- score metrics ----

    /** Area under the ROC curve of binary labels (class 1 positive); both classes must occur, as scikit-learn. */
    public static double rocAuc(long[] yTrue, double[] scores) {
        RocCurve roc = RocCurve.of(yTrue, scores, 1);
        if (Double.isNaN(roc.auc())) {
            throw new IllegalArgumentException("rocAuc: only one class is present in the labels; the ROC AUC is "
                    + "not defined");
        }
        return roc.auc();
    }

    /**
     * One-vs-rest ROC AUC of {@code C}-class probabilities (scikit-learn's {@code roc_auc_score(multi_class="ovr")}):
     * the AUC of each class against the others, averaged. Every class must occur in {@code yTrue}. With two
     * columns this is the binary AUC of column 1.
     */
    public static double rocAucOvr(long[] yTrue, double[][] probs, Average average) {
        int c = Checks.columns(probs, "rocAucOvr");
        Checks.sameLength(yTrue.length, probs.length, "rocAucOvr");
        if (c == 2) {
            return rocAuc(yTrue, Checks.column(probs, 1));
        }
        return perClassAverage(yTrue, probs, c, average, true);
    }

    /** Average precision of binary labels (class 1 positive): {@code Σ (R_n − R_{n−1}) P_n}. */
    public static double averagePrecision(long[] yTrue, double[] scores) {
        return PrCurve.of(yTrue, scores, 1).averagePrecision();
    }

    /** One-vs-rest average precision of {@code C}-class probabilities (binary: that of column 1). */
    public static double averagePrecisionOvr(long[] yTrue, double[][] probs, Average average) {
        int c = Checks.columns(probs, "averagePrecisionOvr");
        Checks.sameLength(yTrue.length, probs.length, "averagePrecisionOvr");
        if (c == 2) {
            return averagePrecision(yTrue, Checks.column(probs, 1));
        }
        return perClassAverage(yTrue, probs, c, average, false);
    }

    private static double perClassAverage(long[] yTrue, double[][] probs, int c, Average average, boolean roc) {
        Checks.labels(yTrue, c, "labels");
        long[] support = new long[c];
        for (long y : yTrue) {
            support[(int) y]++;
        }
        double sum = 0;
        for (int k = 0; k < c; k++) {
            if (roc && support[k] == 0) {
                throw new IllegalArgumentException("rocAucOvr: class " + k + " never occurs in the labels; the "
                        + "one-vs-rest ROC AUC is not defined");
            }
            double[] col = Checks.column(probs, k);
            double v = roc ? RocCurve.of(yTrue, col, k).auc() : PrCurve.of(yTrue, col, k).averagePrecision();
            sum += average == Average.MACRO ? v / c : v * support[k] / yTrue.length;
        }
        return sum;
    }

    /**
     * Mean negative log-likelihood of the labels under {@code probs} {@code [N][C]}, as scikit-learn 1.2's
     * {@code log_loss(eps="auto")}: probabilities are clipped to {@code [eps, 1 - eps]} with {@code eps} the machine
     * epsilon of f64 ({@link #EPS_F64}), each row is then divided by its sum, and {@code -mean(log p[y])} is
     * returned (natural log). Classes are the columns {@code 0 .. C-1}; unlike scikit-learn, {@code yTrue} need
     * not contain them all.
     */
    public static double logLoss(long[] yTrue, double[][] probs) {
        return logLoss(yTrue, probs, EPS_F64);
    }

    /** {@link #logLoss(long[], double[][])} with a given clipping {@code eps}. */
    public static double logLoss(long[] yTrue, double[][] probs, double eps) {
        int c = Checks.columns(probs, "logLoss");
        Checks.sameLength(yTrue.length, probs.length, "logLoss");
        if (c < 2) {
            throw new IllegalArgumentException("logLoss: need at least 2 classes (columns), got " + c);
        }
        Checks.labels(yTrue, c, "labels");
        double total = 0;
        for (int i = 0; i < yTrue.length; i++) {
            double rowSum = 0;
            for (int k = 0; k < c; k++) {
                rowSum += clip(probs[i][k], eps);
            }
            total -= Math.log(clip(probs[i][(int) yTrue[i]], eps) / rowSum);
        }
        return total / yTrue.length;
    }

    /** Binary log-loss of the positive-class probabilities {@code p} (class 1). */
    public static double logLoss(long[] yTrue, double[] p) {
        double[][] probs = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
            probs[i] = new double[] {1 - p[i], p[i]};
        }
        return logLoss(yTrue, probs, EPS_F64);
    }

    private static double clip(double p, double eps) {
        return Math.min(Math.max(p, eps), 1 - eps);
    }

    // ---- tensors ----

    /** The predicted class of each row of scores {@code [N, C]}: the column of the largest score. */
    public static long[] argmax(double[][] scores) {
        long[] out = new long[scores.length];
        for (int i = 0; i < scores.length; i++) {
            int best = 0;
            for (int k = 1; k < scores[i].length; k++) {
                if (scores[i][k] > scores[i][best]) {
                    best = k;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** Labels of a 1-D tensor. */
    public static long[] labels(Tensor labels) {
        return Checks.labels(labels);
    }

    /** Rows of a tensor {@code [N, C]} as {@code double[N][C]}. */
    public static double[][] rows(Tensor scores) {
        return Checks.rows(scores);
    }

    public static double accuracy(Tensor yTrue, Tensor yPred) {
        return accuracy(labels(yTrue), labels(yPred));
    }

    public static double balancedAccuracy(Tensor yTrue, Tensor yPred) {
        return balancedAccuracy(labels(yTrue), labels(yPred));
    }

    public static ConfusionMatrix confusionMatrix(Tensor yTrue, Tensor yPred, int numClasses) {
        return confusionMatrix(labels(yTrue), labels(yPred), numClasses);
    }

    /** ROC AUC of probabilities {@code [N, C]}: binary for C = 2, else one-vs-rest macro. */
    public static double rocAuc(Tensor yTrue, Tensor probs) {
        return rocAucOvr(labels(yTrue), rows(probs), Average.MACRO);
    }

    /** Log-loss of probabilities {@code [N, C]}, clipped with the machine epsilon of their dtype (f32 or f64). */
    public static double logLoss(Tensor yTrue, Tensor probs) {
        return logLoss(labels(yTrue), rows(probs), probs.dtype() == DType.F64 ? EPS_F64 : EPS_F32);
    }

    static int numClasses(long[] yTrue, long[] yPred) {
        Checks.sameLength(yTrue.length, yPred.length, "metrics");
        long max = Math.max(Arrays.stream(yTrue).max().orElse(0), Arrays.stream(yPred).max().orElse(0));
        return (int) max + 1;
    }
}
