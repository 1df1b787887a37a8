package dev.deneb.spark.ml;

import dev.deneb.spark.DataParallelOptions;
import dev.deneb.spark.DataParallelTrainer;
import dev.deneb.spark.OptimizerFactory;
import dev.deneb.spark.TrainingResult;
import dev.deneb.spark.TrainingSpec;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML estimator that trains a Deneb multilayer perceptron classifier with {@link DataParallelTrainer}
 * ({@code numWorkers} tasks in one barrier stage). Input width and number of classes (largest label + 1) come from
 * the data; with {@code standardize} (default) the per-feature mean and standard deviation of the training data
 * become the network's first layer ({@link Standardize}) and are saved with it. Works in a {@code Pipeline}, with
 * {@code CrossValidator}/{@code TrainValidationSplit}, and saves and loads like Spark's own stages.
 * <pre>{@code
 * DenebClassifier clf = new DenebClassifier().setHiddenLayers("64,32").setEpochs(20).setLearningRate(1e-3)
 *         .setNumWorkers(4);
 * PipelineModel model = new Pipeline().setStages(new PipelineStage[] {
 *         new VectorAssembler().setInputCols(new String[] {"u", "g", "r", "i", "z"}).setOutputCol("features"),
 *         clf}).fit(train);
 * double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
 *         .evaluate(model.transform(test));
 * model.write().overwrite().save("hdfs:///models/sdss");
 * }</pre>
 * Defaults: hidden layers 64,32, dropout 0, 10 epochs, global batch 64 (a multiple of {@code numWorkers}), Adam with
 * learning rate 1e-3, seed 0, one worker, standardize on, quiet. Columns as Spark ML's classifiers: features, label,
 * prediction, probability, rawPrediction.
 */
public final class DenebClassifier extends Estimator<DenebClassificationModel>
        implements MLWritable, PersistedStage {
    private final String uid;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> rawPredictionCol;
    private final IntArrayParam hiddenLayers;
    private final DoubleParam dropout;
    private final IntParam epochs;
    private final IntParam batchSize;
    private final DoubleParam learningRate;
    private final LongParam seed;
    private final IntParam numWorkers;
    private final BooleanParam standardize;
    private final BooleanParam verbose;

    public DenebClassifier() {
        this(Identifiable.randomUID("denebClassifier"));
    }

    /** With a given uid; Spark's {@code copy} and {@code load} call this. */
    public DenebClassifier(String uid) {
        this.uid = uid;
        featuresCol = SharedParams.featuresCol(this);
        labelCol = SharedParams.labelCol(this);
        predictionCol = SharedParams.predictionCol(this);
        probabilityCol = SharedParams.probabilityCol(this);
        rawPredictionCol = SharedParams.rawPredictionCol(this);
        hiddenLayers = new IntArrayParam(this, "hiddenLayers", "widths of the hidden layers, e.g. [64, 32]");
        dropout = new DoubleParam(this, "dropout", "dropout probability after each hidden layer, in [0, 1)",
                ParamValidators.inRange(0, 1, true, false));
        epochs = new IntParam(this, "epochs", "passes over the training data (>= 1)", ParamValidators.gtEq(1));
        batchSize = new IntParam(this, "batchSize", "global batch size, split evenly over the workers (>= 1)",
                ParamValidators.gtEq(1));
        learningRate = new DoubleParam(this, "learningRate", "Adam's learning rate (> 0)", ParamValidators.gt(0));
        seed = new LongParam(this, "seed", "seed of the initial weights, shuffling and dropout");
        numWorkers = new IntParam(this, "numWorkers", "data-parallel training tasks, run at once (>= 1)",
                ParamValidators.gtEq(1));
        standardize = new BooleanParam(this, "standardize",
                "standardise each feature with the training data's mean and standard deviation");
        verbose = new BooleanParam(this, "verbose", "print one line per training epoch");
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(rawPredictionCol, "rawPrediction");
        setDefault(hiddenLayers, new int[] {64, 32});
        setDefault(dropout, 0.0);
        setDefault(epochs, 10);
        setDefault(batchSize, 64);
        setDefault(learningRate, 1e-3);
        setDefault(seed, 0L);
        setDefault(numWorkers, 1);
        setDefault(standardize, true);
        setDefault(verbose, false);
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public DenebClassificationModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        String features = getFeaturesCol();
        String label = getLabelCol();
        int workers = getNumWorkers();
        if (getBatchSize() % workers != 0) {
            throw new IllegalArgumentException("DenebClassifier: batchSize " + getBatchSize() + " does not split"
                    + " evenly over numWorkers " + workers + "; choose a multiple of " + workers);
        }
        Dataset<Row> data = dataset.toDF().select(features, label);
        TrainingSummary summary = TrainingSummary.of(data, features, label);
        MlpFactory arch = MlpFactory.of(summary.width(), getHiddenLayers(), summary.classes())
                .dropout(getDropout()).seed(getSeed());
        if (getStandardize()) {
            arch = arch.standardized(summary.mean(), summary.std());
        }
        TrainingSpec spec = TrainingSpec.of(arch).optimizer(OptimizerFactory.adam(getLearningRate()))
                .epochs(getEpochs()).batchSize(getBatchSize()).seed(getSeed());
        DataParallelOptions options = DataParallelOptions.defaults().workers(workers).featuresCol(features)
                .labelCol(label).verbose(getVerbose());
        TrainingResult result = DataParallelTrainer.fit(data, spec, options);
        DenebClassificationModel model = new DenebClassificationModel(uid, new ModelBundle(arch, result.state()),
                result.history());
        return copyValues(model, ParamMap.empty()).setParent(this);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        Columns.requireFeatures(schema, getFeaturesCol(), "DenebClassifier");
        Columns.requireLabel(schema, getLabelCol(), "DenebClassifier");
        return Columns.withOutputs(schema, getPredictionCol(), getProbabilityCol(), getRawPredictionCol(),
                "DenebClassifier");
    }

    @Override
    public DenebClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    // ---- persistence ----

    @Override
    public MLWriter write() {
        return new StageWriter(this, null);
    }

    /** The reader {@code Pipeline.load} finds by reflection. */
    public static MLReader<DenebClassifier> read() {
        return new StageReader<>(DenebClassifier.class, (uid, path, conf) -> new DenebClassifier(uid));
    }

    public static DenebClassifier load(String path) {
        return read().load(path);
    }

    // ---- params: Spark finds them through these public no-argument methods ----

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public Param<String> labelCol() {
        return labelCol;
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

    public IntArrayParam hiddenLayers() {
        return hiddenLayers;
    }

    public DoubleParam dropout() {
        return dropout;
    }

    public IntParam epochs() {
        return epochs;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public DoubleParam learningRate() {
        return learningRate;
    }

    public LongParam seed() {
        return seed;
    }

    public IntParam numWorkers() {
        return numWorkers;
    }

    public BooleanParam standardize() {
        return standardize;
    }

    public BooleanParam verbose() {
        return verbose;
    }

    // ---- getters and setters ----

    public String getFeaturesCol() {
        return getOrDefault(featuresCol);
    }

    public DenebClassifier setFeaturesCol(String v) {
        set(featuresCol, v);
        return this;
    }

    public String getLabelCol() {
        return getOrDefault(labelCol);
    }

    public DenebClassifier setLabelCol(String v) {
        set(labelCol, v);
        return this;
    }

    public String getPredictionCol() {
        return getOrDefault(predictionCol);
    }

    public DenebClassifier setPredictionCol(String v) {
        set(predictionCol, v);
        return this;
    }

    public String getProbabilityCol() {
        return getOrDefault(probabilityCol);
    }

    public DenebClassifier setProbabilityCol(String v) {
        set(probabilityCol, v);
        return this;
    }

    public String getRawPredictionCol() {
        return getOrDefault(rawPredictionCol);
    }

    public DenebClassifier setRawPredictionCol(String v) {
        set(rawPredictionCol, v);
        return this;
    }

    public int[] getHiddenLayers() {
        return getOrDefault(hiddenLayers).clone();
    }

    /** Hidden layer widths; none: a linear (softmax regression) model. */
    public DenebClassifier setHiddenLayers(int... widths) {
        HiddenLayers.parse(HiddenLayers.format(widths)); // same checks as the text form
        set(hiddenLayers, widths.clone());
        return this;
    }

    /** Hidden layer widths as text, e.g. {@code "64,32"}. */
    public DenebClassifier setHiddenLayers(String widths) {
        set(hiddenLayers, HiddenLayers.parse(widths));
        return this;
    }

    public double getDropout() {
        return (Double) getOrDefault(dropout);
    }

    public DenebClassifier setDropout(double v) {
        set(dropout, v);
        return this;
    }

    public int getEpochs() {
        return (Integer) getOrDefault(epochs);
    }

    public DenebClassifier setEpochs(int v) {
        set(epochs, v);
        return this;
    }

    public int getBatchSize() {
        return (Integer) getOrDefault(batchSize);
    }

    public DenebClassifier setBatchSize(int v) {
        set(batchSize, v);
        return this;
    }

    public double getLearningRate() {
        return (Double) getOrDefault(learningRate);
    }

    public DenebClassifier setLearningRate(double v) {
        set(learningRate, v);
        return this;
    }

    public long getSeed() {
        return (Long) getOrDefault(seed);
    }

    public DenebClassifier setSeed(long v) {
        set(seed, v);
        return this;
    }

    public int getNumWorkers() {
        return (Integer) getOrDefault(numWorkers);
    }

    public DenebClassifier setNumWorkers(int v) {
        set(numWorkers, v);
        return this;
    }

    public boolean getStandardize() {
        return (Boolean) getOrDefault(standardize);
    }

    public DenebClassifier setStandardize(boolean v) {
        set(standardize, v);
        return this;
    }

    public boolean getVerbose() {
        return (Boolean) getOrDefault(verbose);
    }

    public DenebClassifier setVerbose(boolean v) {
        set(verbose, v);
        return this;
    }
}
