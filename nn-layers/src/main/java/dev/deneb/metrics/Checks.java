package dev.deneb.metrics;

import dev.deneb.tensor.Tensor;
import java.util.Arrays;

/** Argument checks and conversions shared by the metrics; messages name the metric and the problem. */
final class Checks {
    private Checks() {}

    static void sameLength(int a, int b, String what) {
        if (a != b) {
            throw new IllegalArgumentException(what + ": labels and predictions differ in length (" + a + " vs " + b
                    + ")");
        }
    }

    static void nonEmpty(int n, String what) {
        if (n == 0) {
            throw new IllegalArgumentException(what + ": no samples");
        }
    }

    static void labels(long[] y, int numClasses, String what) {
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0 || y[i] >= numClasses) {
                throw new IllegalArgumentException("metrics: " + what + "[" + i + "] = " + y[i] + " is not a class in 0.."
                        + (numClasses - 1));
            }
        }
    }

    static void finite(double[] scores, String what) {
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException(what + ": score[" + i + "] = " + scores[i] + " is not finite");
            }
        }
    }

    /** Labels of a 1-D integer (or integral float) tensor. */
    static long[] labels(Tensor t) {
        if (t.dim() != 1) {
            throw new IllegalArgumentException("metrics: expected 1-D labels [N], got shape "
                    + Arrays.toString(t.shape()));
        }
        return t.toLongArray();
    }

    /** Rows of a 2-D {@code [N, C]} tensor as {@code double[N][C]}. */
    static double[][] rows(Tensor t) {
        if (t.dim() != 2) {
            throw new IllegalArgumentException("metrics: expected scores of shape [N, C], got "
                    + Arrays.toString(t.shape()));
        }
        int n = t.size(0);
        int c = t.size(1);
        double[] flat = t.contiguous().toDoubleArray();
        double[][] out = new double[n][c];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * c, out[i], 0, c);
        }
        return out;
    }

    static double[] column(double[][] rows, int c) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length <= c) {
                throw new IllegalArgumentException("metrics: score row " + i + " has " + rows[i].length
                        + " columns, expected at least " + (c + 1));
            }
            out[i] = rows[i][c];
        }
        return out;
    }

    static int columns(double[][] rows, String what) {
        nonEmpty(rows.length, what);
        int c = rows[0].length;
        for (int i = 1; i < rows.length; i++) {
            if (rows[i].length != c) {
                throw new IllegalArgumentException(what + ": score rows differ in length (" + c + " and "
                        + rows[i].length + " at row " + i + ")");
            }
        }
        return c;
    }
}
