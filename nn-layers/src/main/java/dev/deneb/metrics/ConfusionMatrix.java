package dev.deneb.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Counts of (true class, predicted class) pairs, as scikit-learn's {@code confusion_matrix}: row {@code t} is the
 * true class, column {@code p} the predicted one, classes {@code 0 .. n-1}.
 *
 * <pre>{@code
 * ConfusionMatrix cm = ConfusionMatrix.of(yTrue, yPred, 3);
 * System.out.print(cm.toTable(List.of("STAR", "GALAXY", "QSO")));
 * }</pre>
 */
public record ConfusionMatrix(long[][] counts) {
    /** How {@link #normalized} divides the counts (scikit-learn's {@code normalize=None|'true'|'pred'|'all'}). */
    public enum Normalization {
        /** The counts themselves. */
        NONE,
        /** Each row sums to 1: the rate at which each true class gets each prediction (recall on the diagonal). */
        TRUE,
        /** Each column sums to 1 (precision on the diagonal). */
        PRED,
        /** The whole matrix sums to 1. */
        ALL
    }

    public ConfusionMatrix {
        int n = counts.length;
        long[][] copy = new long[n][];
        for (int i = 0; i < n; i++) {
            if (counts[i].length != n) {
                throw new IllegalArgumentException("ConfusionMatrix: expected a square matrix, row " + i + " has "
                        + counts[i].length + " entries for " + n + " classes");
            }
            copy[i] = counts[i].clone();
        }
        counts = copy;
    }

    /** The matrix of labels {@code yTrue} and predictions {@code yPred}, both in {@code 0 .. numClasses-1}. */
    public static ConfusionMatrix of(long[] yTrue, long[] yPred, int numClasses) {
        Checks.sameLength(yTrue.length, yPred.length, "confusion matrix");
        if (numClasses < 1) {
            throw new IllegalArgumentException("ConfusionMatrix: numClasses must be >= 1, got " + numClasses);
        }
        Checks.labels(yTrue, numClasses, "labels");
        Checks.labels(yPred, numClasses, "predictions");
        long[][] c = new long[numClasses][numClasses];
        for (int i = 0; i < yTrue.length; i++) {
            c[(int) yTrue[i]][(int) yPred[i]]++;
        }
        return new ConfusionMatrix(c);
    }

    @Override
    public long[][] counts() {
        long[][] out = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            out[i] = counts[i].clone();
        }
        return out;
    }

    public int numClasses() {
        return counts.length;
    }

    public long count(int trueClass, int predictedClass) {
        return counts[trueClass][predictedClass];
    }

    public long total() {
        long s = 0;
        for (long[] row : counts) {
            for (long v : row) {
                s += v;
            }
        }
        return s;
    }

    /** Samples of class {@code c} (row sum). */
    public long support(int c) {
        long s = 0;
        for (long v : counts[c]) {
            s += v;
        }
        return s;
    }

    /** Samples predicted as {@code c} (column sum). */
    public long predicted(int c) {
        long s = 0;
        for (long[] row : counts) {
            s += row[c];
        }
        return s;
    }

    /** The matrix divided as {@code how} says; a row or column with no samples stays 0 (as scikit-learn). */
    public double[][] normalized(Normalization how) {
        int n = counts.length;
        double[][] out = new double[n][n];
        long all = total();
        for (int t = 0; t < n; t++) {
            for (int p = 0; p < n; p++) {
                long d = switch (how) {
                    case NONE -> 1;
                    case TRUE -> support(t);
                    case PRED -> predicted(p);
                    case ALL -> all;
                };
                out[t][p] = d == 0 ? 0 : (double) counts[t][p] / d;
            }
        }
        return out;
    }

    /** The counts as a labelled text table (rows: true class, columns: predicted class). */
    public String toTable(List<String> classNames) {
        return toTable(classNames, Normalization.NONE);
    }

    /** A labelled text table of the counts or, normalised, of the rates (printed with 3 decimals). */
    public String toTable(List<String> classNames, Normalization how) {
        int n = counts.length;
        if (classNames.size() != n) {
            throw new IllegalArgumentException("ConfusionMatrix.toTable: " + classNames.size() + " names for "
                    + n + " classes");
        }
        double[][] v = normalized(how);
        List<String[]> cells = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            String[] row = new String[n];
            for (int p = 0; p < n; p++) {
                row[p] = how == Normalization.NONE ? Long.toString(counts[t][p])
                        : String.format(Locale.ROOT, "%.3f", v[t][p]);
            }
            cells.add(row);
        }
        String corner = "true \\ pred";
        int first = corner.length();
        for (String s : classNames) {
            first = Math.max(first, s.length());
        }
        int width = 5;
        for (int p = 0; p < n; p++) {
            width = Math.max(width, classNames.get(p).length());
            for (String[] row : cells) {
                width = Math.max(width, row[p].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(pad(corner, first, false));
        for (String s : classNames) {
            sb.append("  ").append(pad(s, width, true));
        }
        sb.append('\n');
        for (int t = 0; t < n; t++) {
            sb.append(pad(classNames.get(t), first, false));
            for (int p = 0; p < n; p++) {
                sb.append("  ").append(pad(cells.get(t)[p], width, true));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfusionMatrix m && java.util.Arrays.deepEquals(counts, m.counts);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.deepHashCode(counts);
    }

    @Override
    public String toString() {
        return "ConfusionMatrix" + java.util.Arrays.deepToString(counts);
    }
}
