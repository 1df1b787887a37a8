package dev.deneb.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Per-class precision, recall, F1 and support with accuracy and the macro and weighted averages, as scikit-learn's
 * {@code classification_report(..., zero_division=0)}: a precision (or recall) whose denominator is 0 is 0, and so
 * is an F1 whose precision and recall are both 0. Every class {@code 0 .. n-1} is listed, even one that never
 * occurs, and counts in the macro average (as when scikit-learn is given {@code labels=range(n)}).
 */
public record ClassificationReport(List<String> classNames, List<Scores> perClass, double accuracy, Scores macroAvg,
        Scores weightedAvg) {

    /** Precision, recall and F1 of one class (or an average), and its support (number of true samples). */
    public record Scores(double precision, double recall, double f1, long support) {}

    public ClassificationReport {
        classNames = List.copyOf(classNames);
        perClass = List.copyOf(perClass);
    }

    /** The report of a confusion matrix; {@code classNames} label its rows. */
    public static ClassificationReport of(ConfusionMatrix cm, List<String> classNames) {
        int n = cm.numClasses();
        if (classNames.size() != n) {
            throw new IllegalArgumentException("ClassificationReport: " + classNames.size() + " names for " + n
                    + " classes");
        }
        List<Scores> per = new ArrayList<>();
        long total = cm.total();
        long correct = 0;
        double[] macro = new double[3];
        double[] weighted = new double[3];
        for (int c = 0; c < n; c++) {
            long tp = cm.count(c, c);
            correct += tp;
            long support = cm.support(c);
            long predicted = cm.predicted(c);
            double p = ratio(tp, predicted);
            double r = ratio(tp, support);
            double f = p + r == 0 ? 0 : 2 * p * r / (p + r);
            per.add(new Scores(p, r, f, support));
            macro[0] += p / n;
            macro[1] += r / n;
            macro[2] += f / n;
            weighted[0] += p * support;
            weighted[1] += r * support;
            weighted[2] += f * support;
        }
        for (int k = 0; k < 3; k++) {
            weighted[k] = total == 0 ? 0 : weighted[k] / total;
        }
        return new ClassificationReport(classNames, per, ratio(correct, total),
                new Scores(macro[0], macro[1], macro[2], total), new Scores(weighted[0], weighted[1], weighted[2],
                        total));
    }

    /** The report of labels and predictions in {@code 0 .. classNames.size()-1}. */
    public static ClassificationReport of(long[] yTrue, long[] yPred, List<String> classNames) {
        return of(ConfusionMatrix.of(yTrue, yPred, classNames.size()), classNames);
    }

    static double ratio(long num, long den) {
        return den == 0 ? 0 : (double) num / den;
    }

    public Scores scores(int c) {
        return perClass.get(c);
    }

    /** The table with 4 decimals. */
    @Override
    public String toString() {
        return toTable(4);
    }

    /** The table in scikit-learn's layout, with {@code digits} decimals. */
    public String toTable(int digits) {
        String[] headers = {"precision", "recall", "f1-score", "support"};
        int width = Math.max("weighted avg".length(), digits);
        for (String s : classNames) {
            width = Math.max(width, s.length());
        }
        String fmt = "%" + Math.max(9, digits + 3) + "." + digits + "f";
        int col = Math.max(9, digits + 3);
        StringBuilder sb = new StringBuilder();
        sb.append(" ".repeat(width));
        for (String h : headers) {
            sb.append(' ').append(ConfusionMatrix.pad(h, col, true));
        }
        sb.append("\n\n");
        for (int c = 0; c < perClass.size(); c++) {
            row(sb, classNames.get(c), perClass.get(c), width, col, fmt);
        }
        sb.append('\n');
        sb.append(ConfusionMatrix.pad("accuracy", width, true)).append(' ').append(" ".repeat(col)).append(' ')
                .append(" ".repeat(col)).append(' ').append(String.format(Locale.ROOT, fmt, accuracy)).append(' ')
                .append(ConfusionMatrix.pad(Long.toString(macroAvg.support()), col, true)).append('\n');
        row(sb, "macro avg", macroAvg, width, col, fmt);
        row(sb, "weighted avg", weightedAvg, width, col, fmt);
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, Scores s, int width, int col, String fmt) {
        sb.append(ConfusionMatrix.pad(name, width, true));
        sb.append(' ').append(String.format(Locale.ROOT, fmt, s.precision()));
        sb.append(' ').append(String.format(Locale.ROOT, fmt, s.recall()));
        sb.append(' ').append(String.format(Locale.ROOT, fmt, s.f1()));
        sb.append(' ').append(ConfusionMatrix.pad(Long.toString(s.support()), col, true)).append('\n');
    }
}
