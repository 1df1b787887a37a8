package dev.deneb.spark;

import dev.deneb.tensor.Tensor;
import java.util.Arrays;
import java.util.Iterator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import scala.collection.Seq;

/**
 * The rows of one partition as a feature matrix and class labels, the form a task trains on. Features come from one
 * column holding a Spark ML {@link Vector} (dense or sparse) or an array of numbers; labels from a numeric column
 * holding class indices {@code 0, 1, …} (as Spark ML's classifiers expect). Every row must have the same width.
 *
 * @param features row-major {@code [rows, width]}
 * @param labels   class indices, or an empty array for unlabelled data
 * @param width    features per row
 */
public record LabeledData(float[] features, long[] labels, int width) {

    public int rows() {
        return width == 0 ? 0 : features.length / width;
    }

    /** Reads {@code rows}: features from column {@code featuresIndex}, labels from {@code labelIndex} (-1: none). */
    public static LabeledData fromRows(Iterator<Row> rows, int featuresIndex, int labelIndex) {
        float[] x = new float[1024];
        long[] y = new long[labelIndex < 0 ? 0 : 64];
        int n = 0;
        int width = -1;
        int used = 0;
        while (rows.hasNext()) {
            Row row = rows.next();
            float[] f = featureValues(row, featuresIndex);
            if (width < 0) {
                width = f.length;
            } else if (f.length != width) {
                throw new IllegalArgumentException("LabeledData: row " + n + " has " + f.length
                        + " features but the first row had " + width + " (every row must have the same width)");
            }
            if (used + f.length > x.length) {
                x = Arrays.copyOf(x, Math.max(used + f.length, 2 * x.length));
            }
            System.arraycopy(f, 0, x, used, f.length);
            used += f.length;
            if (labelIndex >= 0) {
                if (n == y.length) {
                    y = Arrays.copyOf(y, 2 * y.length);
                }
                y[n] = classIndex(row, labelIndex, n);
            }
            n++;
        }
        return new LabeledData(Arrays.copyOf(x, used), labelIndex < 0 ? new long[0] : Arrays.copyOf(y, n),
                Math.max(width, 0));
    }

    /** The feature values of one cell: a Spark ML vector, or an array of numbers. */
    public static float[] featureValues(Row row, int index) {
        Object cell = row.get(index);
        if (cell instanceof Vector v) {
            double[] d = v.toArray();
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            return f;
        }
        if (cell instanceof Seq<?> seq) {
            float[] f = new float[seq.length()];
            for (int i = 0; i < f.length; i++) {
                f[i] = ((Number) seq.apply(i)).floatValue();
            }
            return f;
        }
        throw new IllegalArgumentException("LabeledData: features column '" + row.schema().fields()[index].name()
                + "' holds " + (cell == null ? "null" : cell.getClass().getSimpleName())
                + "; expected a Spark ML vector or an array of numbers (use VectorAssembler for numeric columns)");
    }

    private static long classIndex(Row row, int index, int n) {
        Object cell = row.get(index);
        if (!(cell instanceof Number num)) {
            throw new IllegalArgumentException("LabeledData: label of row " + n + " is "
                    + (cell == null ? "null" : cell.getClass().getSimpleName()) + "; expected a class index 0, 1, …");
        }
        double d = num.doubleValue();
        if (d < 0 || d != Math.rint(d) || d > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("LabeledData: label of row " + n + " is " + d
                    + "; expected a class index 0, 1, … (StringIndexer makes them from strings)");
        }
        return (long) d;
    }

    /** Features of the rows {@code index} as {@code [index.length, width]}. */
    public Tensor inputs(int[] index) {
        float[] out = new float[index.length * width];
        for (int i = 0; i < index.length; i++) {
            System.arraycopy(features, index[i] * width, out, i * width, width);
        }
        return Tensor.of(out, index.length, width);
    }

    /** Labels of the rows {@code index} as an i64 tensor {@code [index.length]}. */
    public Tensor targets(int[] index) {
        long[] out = new long[index.length];
        for (int i = 0; i < index.length; i++) {
            out[i] = labels[index[i]];
        }
        return Tensor.of(out, index.length);
    }
}
