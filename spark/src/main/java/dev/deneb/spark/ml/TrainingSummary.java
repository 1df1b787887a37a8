package dev.deneb.spark.ml;

import dev.deneb.spark.LabeledData;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What {@link DenebClassifier} learns about its training data in one Spark job before training: row count, feature
 * width, number of classes (largest label + 1) and per-feature mean and population standard deviation. Labels are
 * checked here, on the driver's side of the job, so a bad label fails once with a clear message instead of inside a
 * retried barrier stage. Partition summaries merge with Chan's parallel mean/variance formulas, in partition order
 * (same data and partitioning: same statistics).
 */
final class TrainingSummary implements Serializable {
    private long rows;
    private int width = -1;
    private long maxLabel = -1;
    private double[] mean = new double[0];
    private double[] m2 = new double[0];

    static TrainingSummary of(Dataset<Row> data, String featuresCol, String labelCol) {
        List<TrainingSummary> parts;
        try {
            parts = data.select(featuresCol, labelCol).toJavaRDD().mapPartitions(TrainingSummary::ofPartition)
                    .collect();
        } catch (Exception e) { // Spark throws its checked SparkException without declaring it
            throw badDataOr(e);
        }
        TrainingSummary all = new TrainingSummary();
        for (TrainingSummary p : parts) {
            all.merge(p, featuresCol);
        }
        if (all.rows == 0) {
            throw new IllegalArgumentException("DenebClassifier: the training data has no rows");
        }
        if (all.maxLabel < 1) {
            throw new IllegalArgumentException("DenebClassifier: every label in '" + labelCol + "' is 0; a classifier"
                    + " needs at least two classes (labels 0, 1, …)");
        }
        return all;
    }

    /** The task's own IllegalArgumentException (bad data) rather than Spark's "job aborted" wrapper, if it is one. */
    private static RuntimeException badDataOr(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException bad) {
                return new IllegalArgumentException(bad.getMessage(), e);
            }
        }
        return new IllegalStateException("DenebClassifier: the job that checks the training data failed: "
                + e.getMessage(), e);
    }

    private static Iterator<TrainingSummary> ofPartition(Iterator<Row> it) {
        TrainingSummary s = new TrainingSummary();
        while (it.hasNext()) {
            Row row = it.next();
            if (row.isNullAt(0)) {
                throw new IllegalArgumentException("DenebClassifier: a training row has no features (null in '"
                        + row.schema().fieldNames()[0] + "')");
            }
            s.add(LabeledData.featureValues(row, 0), label(row));
        }
        return List.of(s).iterator();
    }

    private static long label(Row row) {
        String name = row.schema().fieldNames()[1];
        Object cell = row.get(1);
        if (!(cell instanceof Number n)) {
            throw new IllegalArgumentException("DenebClassifier: label column '" + name + "' holds "
                    + (cell == null ? "null" : cell + " (" + cell.getClass().getSimpleName() + ")")
                    + "; expected class indices 0, 1, 2, … as numbers (StringIndexer makes them from strings)");
        }
        double d = n.doubleValue();
        if (!(d >= 0) || d != Math.rint(d) || d > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("DenebClassifier: label column '" + name + "' holds " + d
                    + "; expected class indices 0, 1, 2, … (whole, non-negative numbers)");
        }
        return (long) d;
    }

    private void add(float[] x, long label) {
        if (width < 0) {
            width = x.length;
            mean = new double[width];
            m2 = new double[width];
        } else if (x.length != width) {
            throw new IllegalArgumentException("DenebClassifier: training rows have " + width + " and " + x.length
                    + " features; every row must have the same width");
        }
        rows++;
        for (int j = 0; j < width; j++) { // Welford's update
            double d = x[j] - mean[j];
            mean[j] += d / rows;
            m2[j] += d * (x[j] - mean[j]);
        }
        maxLabel = Math.max(maxLabel, label);
    }

    private void merge(TrainingSummary o, String featuresCol) {
        if (o.rows == 0) {
            return;
        }
        if (rows == 0) {
            rows = o.rows;
            width = o.width;
            maxLabel = o.maxLabel;
            mean = o.mean.clone();
            m2 = o.m2.clone();
            return;
        }
        if (o.width != width) {
            throw new IllegalArgumentException("DenebClassifier: rows of '" + featuresCol + "' have " + width + " and "
                    + o.width + " features; every row must have the same width");
        }
        long n = rows + o.rows;
        for (int j = 0; j < width; j++) {
            double d = o.mean[j] - mean[j];
            mean[j] += d * o.rows / n;
            m2[j] += o.m2[j] + d * d * ((double) rows * o.rows / n);
        }
        rows = n;
        maxLabel = Math.max(maxLabel, o.maxLabel);
    }

    long rows() {
        return rows;
    }

    int width() {
        return width;
    }

    int classes() {
        return (int) maxLabel + 1;
    }

    double[] mean() {
        return mean.clone();
    }

    /** Population standard deviations; a constant feature gets 1 so it maps to 0 rather than NaN. */
    double[] std() {
        double[] s = new double[width];
        for (int j = 0; j < width; j++) {
            double v = Math.sqrt(m2[j] / rows);
            s[j] = v > 1e-12 ? v : 1;
        }
        return s;
    }
}
