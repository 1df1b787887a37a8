package dev.deneb.nn.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The scores of one model over the folds of a cross-validation: for each metric (in the order first seen) one value
 * per fold, with the mean and the sample standard deviation (n-1) over folds.
 */
public final class CvScores {
    private final Map<String, double[]> values;

    /** {@code perFold.get(f)} maps metric names to fold f's value; every fold must name the same metrics. */
    public static CvScores of(List<Map<String, Double>> perFold) {
        if (perFold.isEmpty()) {
            throw new IllegalArgumentException("CvScores: no folds");
        }
        Map<String, double[]> v = new LinkedHashMap<>();
        for (String name : perFold.get(0).keySet()) {
            double[] column = new double[perFold.size()];
            for (int f = 0; f < column.length; f++) {
                Double x = perFold.get(f).get(name);
                if (x == null) {
                    throw new IllegalArgumentException("CvScores: fold " + f + " has no '" + name + "' (it has "
                            + perFold.get(f).keySet() + ")");
                }
                column[f] = x;
            }
            v.put(name, column);
        }
        return new CvScores(v);
    }

    private CvScores(Map<String, double[]> values) {
        this.values = values;
    }

    public List<String> metrics() {
        return new ArrayList<>(values.keySet());
    }

    public int folds() {
        return values.values().iterator().next().length;
    }

    /** The per-fold values of a metric. */
    public double[] values(String metric) {
        return column(metric).clone();
    }

    public double mean(String metric) {
        return Arrays.stream(column(metric)).average().orElse(Double.NaN);
    }

    /** Sample standard deviation over folds (n-1); 0 for one fold. */
    public double std(String metric) {
        double[] v = column(metric);
        if (v.length < 2) {
            return 0;
        }
        double m = mean(metric);
        double ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        return Math.sqrt(ss / (v.length - 1));
    }

    /** {@code "mean ± std"} of {@code scale · metric} with {@code digits} decimals, e.g. {@code "98.12 ± 0.40"}. */
    public String format(String metric, double scale, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f ± %." + digits + "f", scale * mean(metric),
                scale * std(metric));
    }

    private double[] column(String metric) {
        double[] v = values.get(metric);
        if (v == null) {
            throw new IllegalArgumentException("CvScores: no metric '" + metric + "'; have " + values.keySet());
        }
        return v;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("CvScores(" + folds() + " folds");
        for (String m : values.keySet()) {
            sb.append(", ").append(m).append(' ').append(format(m, 1, 4));
        }
        return sb.append(')').toString();
    }
}
