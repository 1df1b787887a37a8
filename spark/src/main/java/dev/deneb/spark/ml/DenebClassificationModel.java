package dev.deneb.spark.ml;

import dev.deneb.nn.Layer;
import dev.deneb.spark.EpochStats;
import dev.deneb.spark.StateBytes;
import dev.deneb.spark.inference.BatchPredictor;
import dev.deneb.spark.inference.HadoopFiles;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A trained {@link DenebClassifier}: appends the logits ({@code rawPrediction}, vector), the class probabilities
 * (softmax of the logits, vector) and the predicted class index ({@code prediction}, double) to every row, so
 * Spark's {@code MulticlassClassificationEvaluator} and, for two classes, {@code BinaryClassificationEvaluator}
 * work on its output. The network runs through {@link BatchPredictor}: weights broadcast once, batches of
 * {@value #BATCH} rows per forward pass in each partition.
 * <pre>{@code
 * DenebClassificationModel model = new DenebClassifier().setHiddenLayers("32").fit(train);
 * Dataset<Row> scored = model.transform(test);
 * model.write().overwrite().save("/tmp/deneb-clf");
 * DenebClassificationModel same = DenebClassificationModel.load("/tmp/deneb-clf");
 * Layer net = same.network(); // plain Deneb, standardisation included
 * }</pre>
 * Saved as Spark ML's metadata folder plus {@code model.safetensors}, which alone rebuilds the network
 * ({@link MlpFactory#fromMetadata}).
 */
public final class DenebClassificationModel extends Model<DenebClassificationModel>
        implements MLWritable, PersistedStage {
    /** Rows per forward pass at transform time. */
    static final int BATCH = 1024;

    private final String uid;
    private final ModelBundle bundle;
    private final List<EpochStats> history;
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> rawPredictionCol;

    DenebClassificationModel(String uid, ModelBundle bundle, List<EpochStats> history) {
        this.uid = uid;
        this.bundle = bundle;
        this.history = List.copyOf(history);
        featuresCol = SharedParams.featuresCol(this);
        predictionCol = SharedParams.predictionCol(this);
        probabilityCol = SharedParams.probabilityCol(this);
        rawPredictionCol = SharedParams.rawPredictionCol(this);
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(rawPredictionCol, "rawPrediction");
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        String raw = getRawPredictionCol();
        Dataset<Row> withRaw = BatchPredictor.builder(bundle.architecture(), bundle.state())
                .featuresCol(getFeaturesCol()).outputCol(raw).batchSize(BATCH)
                .expectedWidth(numFeatures()).build().transform(dataset.toDF());
        UserDefinedFunction probability = functions.udf(
                (UDF1<org.apache.spark.ml.linalg.Vector, org.apache.spark.ml.linalg.Vector>) Logits::softmax,
                SQLDataTypes.VectorType());
        UserDefinedFunction prediction = functions.udf(
                (UDF1<org.apache.spark.ml.linalg.Vector, Double>) Logits::argmax, DataTypes.DoubleType);
        return withRaw.withColumn(getProbabilityCol(), probability.apply(functions.col(raw)))
                .withColumn(getPredictionCol(), prediction.apply(functions.col(raw)));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        Columns.requireFeatures(schema, getFeaturesCol(), "DenebClassificationModel");
        return Columns.withOutputs(schema, getPredictionCol(), getProbabilityCol(), getRawPredictionCol(),
                "DenebClassificationModel");
    }

    @Override
    public DenebClassificationModel copy(ParamMap extra) {
        DenebClassificationModel copy = copyValues(new DenebClassificationModel(uid, bundle, history), extra);
        return parent() == null ? copy : copy.setParent(parent());
    }

    /** Features per row the network takes. */
    public int numFeatures() {
        return bundle.architecture().inputs();
    }

    /** Classes it scores (largest training label + 1). */
    public int numClasses() {
        return bundle.architecture().classes();
    }

    /** The network's architecture (with its standardisation statistics), a {@code ModelFactory}. */
    public MlpFactory architecture() {
        return bundle.architecture();
    }

    /** The trained weights as safetensors bytes (for {@link BatchPredictor} or {@code StateBytes.load}). */
    public byte[] state() {
        return bundle.state().clone();
    }

    /** A fresh copy of the trained network, in eval mode; it takes raw (unstandardised) features. */
    public Layer network() {
        Layer net = StateBytes.load(bundle.architecture().create(), bundle.state());
        net.eval();
        return net;
    }

    /** Per-epoch training statistics; empty for a loaded model. */
    public List<EpochStats> trainingHistory() {
        return history;
    }

    // ---- persistence ----

    @Override
    public MLWriter write() {
        return new StageWriter(this, bundle.toBytes());
    }

    /** The reader {@code PipelineModel.load} finds by reflection. */
    public static MLReader<DenebClassificationModel> read() {
        return new StageReader<>(DenebClassificationModel.class, (uid, path, conf) -> {
            String file = new Path(path, StageWriter.BUNDLE).toString();
            return new DenebClassificationModel(uid, ModelBundle.fromBytes(HadoopFiles.read(file, conf), file),
                    List.of());
        });
    }

    public static DenebClassificationModel load(String path) {
        return read().load(path);
    }

    // ---- params ----

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    public Param<String> rawPredictionCol() {
        return rawPredictionCol;
    }

    public String getFeaturesCol() {
        return getOrDefault(featuresCol);
    }

    public DenebClassificationModel setFeaturesCol(String v) {
        set(featuresCol, v);
        return this;
    }

    public String getPredictionCol() {
        return getOrDefault(predictionCol);
    }

    public DenebClassificationModel setPredictionCol(String v) {
        set(predictionCol, v);
        return this;
    }

    public String getProbabilityCol() {
        return getOrDefault(probabilityCol);
    }

    public DenebClassificationModel setProbabilityCol(String v) {
        set(probabilityCol, v);
        return this;
    }

    public String getRawPredictionCol() {
        return getOrDefault(rawPredictionCol);
    }

    public DenebClassificationModel setRawPredictionCol(String v) {
        set(rawPredictionCol, v);
        return this;
    }
}
