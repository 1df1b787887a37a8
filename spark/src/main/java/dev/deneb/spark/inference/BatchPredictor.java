package dev.deneb.spark.inference;

import dev.deneb.spark.ModelFactory;
import dev.deneb.spark.StateBytes;
import java.util.Arrays;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Applies a trained Deneb model to every row of a DataFrame: the weights travel to the executors once (a Spark
 * broadcast), each partition builds the model once and runs it in eval mode, without autograd, on batches of
 * {@code batchSize} rows. The output ({@code [rows, k]} per batch, one row's {@code k} values per input row) is
 * appended to the input rows as a Spark ML vector column, or an {@code array<float>} column.
 * <pre>{@code
 * BatchPredictor p = BatchPredictor.builder(() -> MyNets.mlp(9, 3), "hdfs:///models/sdss.safetensors")
 *         .featuresCol("features").outputCol("probabilities").batchSize(512).softmax(true).build();
 * Dataset<Row> scored = p.transform(df);
 * }</pre>
 */
public final class BatchPredictor {
    private final ModelFactory factory;
    private final byte[] state;
    private final String statePath;
    private final String featuresCol;
    private final String outputCol;
    private final int batchSize;
    private final boolean softmax;
    private final boolean arrayOutput;
    private final int expectedWidth;

    private BatchPredictor(Builder b) {
        this.factory = b.factory;
        this.state = b.state;
        this.statePath = b.statePath;
        this.featuresCol = b.featuresCol;
        this.outputCol = b.outputCol;
        this.batchSize = b.batchSize;
        this.softmax = b.softmax;
        this.arrayOutput = b.arrayOutput;
        this.expectedWidth = b.expectedWidth;
    }

    /** A predictor for {@code factory}'s network with the weights {@code state} (safetensors bytes). */
    public static Builder builder(ModelFactory factory, byte[] state) {
        Objects.requireNonNull(state, "BatchPredictor: state bytes are required");
        return new Builder(factory, state.clone(), null);
    }

    /** A predictor whose weights are read, on the driver, from a safetensors file (local or Hadoop path). */
    public static Builder builder(ModelFactory factory, String safetensorsPath) {
        Objects.requireNonNull(safetensorsPath, "BatchPredictor: the safetensors path is required");
        return new Builder(factory, null, safetensorsPath);
    }

    /** {@code data} with the output column appended; lazy, as any Spark transformation. */
    public Dataset<Row> transform(Dataset<Row> data) {
        StructType schema = data.schema();
        int featuresIndex = featuresIndex(schema);
        if (Arrays.asList(schema.fieldNames()).contains(outputCol)) {
            throw new IllegalArgumentException("BatchPredictor: the output column '" + outputCol
                    + "' already exists in the input; choose another outputCol");
        }
        byte[] weights = state != null ? state
                : HadoopFiles.read(statePath, data.sparkSession().sparkContext().hadoopConfiguration());
        checkFits(weights);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
        // Not destroyed here: the result is lazy and may be computed again; Spark's cleaner drops the broadcast
        // once nothing refers to it.
        Broadcast<byte[]> shared = sc.broadcast(weights);
        PredictPartition body = new PredictPartition(factory, shared, featuresIndex, featuresCol, batchSize, softmax,
                arrayOutput, expectedWidth);
        JavaRDD<Row> rows = data.toJavaRDD().mapPartitions(body);
        DataType outType = arrayOutput ? DataTypes.createArrayType(DataTypes.FloatType, false)
                : SQLDataTypes.VectorType();
        return data.sparkSession().createDataFrame(rows, schema.add(outputCol, outType, false));
    }

    private int featuresIndex(StructType schema) {
        if (!Arrays.asList(schema.fieldNames()).contains(featuresCol)) {
            throw new IllegalArgumentException("BatchPredictor: no features column '" + featuresCol
                    + "' in the input; its columns are " + Arrays.toString(schema.fieldNames()));
        }
        return schema.fieldIndex(featuresCol);
    }

    /** Fails on the driver, before any task starts, if the weights do not fit the network. */
    private void checkFits(byte[] weights) {
        try {
            StateBytes.load(factory.create(), weights);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("BatchPredictor: the weights"
                    + (statePath != null ? " in " + statePath : "") + " do not fit the model factory's network: "
                    + e.getMessage(), e);
        }
    }

    /** Settings of a {@link BatchPredictor}; every one has a default but the model and its weights. */
    public static final class Builder {
        private final ModelFactory factory;
        private final byte[] state;
        private final String statePath;
        private String featuresCol = "features";
        private String outputCol = "output";
        private int batchSize = 256;
        private boolean softmax;
        private boolean arrayOutput;
        private int expectedWidth;

        private Builder(ModelFactory factory, byte[] state, String statePath) {
            this.factory = Objects.requireNonNull(factory, "BatchPredictor: a model factory is required");
            this.state = state;
            this.statePath = statePath;
        }

        /** A Spark ML vector or array-of-numbers column; default {@code features}. */
        public Builder featuresCol(String v) {
            this.featuresCol = requireName("featuresCol", v);
            return this;
        }

        /** The appended column; default {@code output}. */
        public Builder outputCol(String v) {
            this.outputCol = requireName("outputCol", v);
            return this;
        }

        /** Rows per forward pass; default 256. */
        public Builder batchSize(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("BatchPredictor: batchSize must be at least 1, got " + v);
            }
            this.batchSize = v;
            return this;
        }

        /** Apply softmax over each row's outputs (logits to probabilities); default false. */
        public Builder softmax(boolean v) {
            this.softmax = v;
            return this;
        }

        /** Output {@code array<float>} instead of a Spark ML vector; default false. */
        public Builder arrayOutput(boolean v) {
            this.arrayOutput = v;
            return this;
        }

        /** Features per row the model takes; a row of another width fails with a clear error. 0 (default): any. */
        public Builder expectedWidth(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("BatchPredictor: expectedWidth must be >= 0, got " + v);
            }
            this.expectedWidth = v;
            return this;
        }

        public BatchPredictor build() {
            if (featuresCol.equals(outputCol)) {
                throw new IllegalArgumentException("BatchPredictor: featuresCol and outputCol are both '"
                        + outputCol + "'; the output must be a new column");
            }
            return new BatchPredictor(this);
        }

        private static String requireName(String what, String v) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("BatchPredictor: " + what + " must be a column name, got '" + v
                        + "'");
            }
            return v;
        }
    }
}
