package dev.deneb.spark.inference;

import dev.deneb.nn.Layer;
import dev.deneb.spark.LabeledData;
import dev.deneb.spark.ModelFactory;
import dev.deneb.spark.StateBytes;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The body of {@link BatchPredictor}'s tasks: builds the model once per partition from the broadcast weights and
 * yields the partition's rows, each with its output appended, one batch at a time (a partition never has to fit in
 * memory at once).
 */
final class PredictPartition implements FlatMapFunction<Iterator<Row>, Row> {
    private final ModelFactory factory;
    private final Broadcast<byte[]> state;
    private final int featuresIndex;
    private final String featuresCol;
    private final int batchSize;
    private final boolean softmax;
    private final boolean arrayOutput;
    private final int expectedWidth;

    PredictPartition(ModelFactory factory, Broadcast<byte[]> state, int featuresIndex, String featuresCol,
            int batchSize, boolean softmax, boolean arrayOutput, int expectedWidth) {
        this.factory = factory;
        this.state = state;
        this.featuresIndex = featuresIndex;
        this.featuresCol = featuresCol;
        this.batchSize = batchSize;
        this.softmax = softmax;
        this.arrayOutput = arrayOutput;
        this.expectedWidth = expectedWidth;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        if (!rows.hasNext()) {
            return rows; // an empty partition needs no model
        }
        Layer model = StateBytes.load(factory.create(), state.value());
        model.eval();
        return new Batches(rows, model);
    }

    /** Pulls {@code batchSize} input rows, runs them through the model, then hands out the extended rows. */
    private final class Batches implements Iterator<Row> {
        private final Iterator<Row> input;
        private final Layer model;
        private List<Row> ready = List.of();
        private int next;
        private long seen;

        Batches(Iterator<Row> input, Layer model) {
            this.input = input;
            this.model = model;
        }

        @Override
        public boolean hasNext() {
            if (next < ready.size()) {
                return true;
            }
            if (!input.hasNext()) {
                return false;
            }
            ready = runBatch();
            next = 0;
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.get(next++);
        }

        private List<Row> runBatch() {
            List<Row> batch = new ArrayList<>(batchSize);
            float[] x = null;
            int width = -1;
            while (batch.size() < batchSize && input.hasNext()) {
                Row row = input.next();
                float[] f = features(row);
                if (width < 0) {
                    width = f.length;
                    x = new float[batchSize * width];
                } else if (f.length != width) {
                    throw new IllegalArgumentException("BatchPredictor: row " + seen + " of this partition has "
                            + f.length + " values in '" + featuresCol + "' but the rows before it had " + width);
                }
                System.arraycopy(f, 0, x, batch.size() * width, width);
                batch.add(row);
                seen++;
            }
            int n = batch.size();
            float[] out = forward(Arrays.copyOf(x, n * width), n, width);
            int k = out.length / n;
            List<Row> result = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                float[] values = Arrays.copyOfRange(out, i * k, (i + 1) * k);
                result.add(append(batch.get(i), values));
            }
            return result;
        }

        private float[] features(Row row) {
            if (row.isNullAt(featuresIndex)) {
                throw new IllegalArgumentException("BatchPredictor: row " + seen + " of this partition has no value"
                        + " (null) in the features column '" + featuresCol + "'");
            }
            float[] f = LabeledData.featureValues(row, featuresIndex);
            if (expectedWidth > 0 && f.length != expectedWidth) {
                throw new IllegalArgumentException("BatchPredictor: the features column '" + featuresCol + "' has "
                        + f.length + " values in a row but the model takes " + expectedWidth);
            }
            return f;
        }

        private float[] forward(float[] x, int n, int width) {
            try (GradMode.Scope ignored = GradMode.noGrad()) {
                Tensor out = model.forward(Tensor.of(x, n, width));
                if (softmax) {
                    out = out.softmax(out.dim() - 1);
                }
                if (out.dim() == 0 || out.size(0) != n) {
                    throw new IllegalStateException("BatchPredictor: the model turned " + n + " rows into an output"
                            + " of shape " + Arrays.toString(out.shape()) + "; expected " + n
                            + " rows first");
                }
                return out.toFloatArray();
            }
        }

        private Row append(Row row, float[] values) {
            Object[] cells = new Object[row.length() + 1];
            for (int i = 0; i < row.length(); i++) {
                cells[i] = row.get(i);
            }
            if (arrayOutput) {
                cells[row.length()] = values;
            } else {
                double[] d = new double[values.length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = values[i];
                }
                cells[row.length()] = Vectors.dense(d);
            }
            return RowFactory.create(cells);
        }
    }
}
