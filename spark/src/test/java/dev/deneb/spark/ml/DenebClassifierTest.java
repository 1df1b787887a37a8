package dev.deneb.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.spark.LocalSpark;
import dev.deneb.spark.TinyData;
import java.util.List;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DenebClassifierTest {
    private static Dataset<Row> train;
    private static Dataset<Row> test;

    @BeforeAll
    static void data() {
        // Cached, so every fit sees the same rows in the same partitions (same seed -> same model).
        train = TinyData.blobs(LocalSpark.get(), 300, 1, 2).cache();
        test = TinyData.blobs(LocalSpark.get(), 150, 2, 2).cache();
        train.count();
        test.count();
    }

    private static DenebClassifier classifier() {
        return new DenebClassifier().setHiddenLayers("16").setEpochs(5).setBatchSize(32).setLearningRate(1e-2)
                .setSeed(3).setNumWorkers(2);
    }

    @Test
    void learnsTheBlobsAndScoresLikeASparkClassifier() {
        DenebClassificationModel model = classifier().fit(train);
        assertEquals(4, model.numFeatures());
        assertEquals(3, model.numClasses());
        assertEquals(5, model.trainingHistory().size());

        Dataset<Row> scored = model.transform(test);
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);
        assertTrue(accuracy > 0.9, "test accuracy " + accuracy);

        Row first = scored.select("rawPrediction", "probability", "prediction").first();
        Vector raw = first.getAs(0);
        Vector p = first.getAs(1);
        assertEquals(3, raw.size());
        assertEquals(1.0, p.toArray()[0] + p.toArray()[1] + p.toArray()[2], 1e-9);
        assertEquals(raw.argmax(), (int) first.getDouble(2));
        assertEquals(p.argmax(), raw.argmax());
    }

    @Test
    void sameSeedSameModelWhetherFeaturesAreVectorsOrArrays() {
        Dataset<Row> arrays = train.withColumn("features", org.apache.spark.ml.functions.vector_to_array(functions.col("features"),
                        "float64"));
        DenebClassificationModel a = classifier().setEpochs(2).fit(train);
        DenebClassificationModel b = classifier().setEpochs(2).fit(arrays);
        assertArrayEquals(a.state(), b.state());
        // and the arrays column scores like the vector column
        List<Row> pa = a.transform(test).select("prediction").collectAsList();
        Dataset<Row> testArrays = test.withColumn("features",
                org.apache.spark.ml.functions.vector_to_array(functions.col("features"), "float64"));
        assertEquals(pa, b.transform(testArrays).select("prediction").collectAsList());
    }

    @Test
    void standardizationStatisticsAreTheTrainingData() {
        DenebClassificationModel model = classifier().setEpochs(1).fit(train);
        MlpFactory arch = model.architecture();
        assertTrue(arch.standardizes());
        Row stats = train.select(org.apache.spark.ml.stat.Summarizer.mean(functions.col("features"))).first();
        double[] sparkMean = ((Vector) stats.getAs(0)).toArray();
        assertArrayEquals(sparkMean, arch.mean(), 1e-6); // features are read as float
        assertTrue(arch.std()[0] > 0.5 && arch.std()[0] < 2, "std " + arch.std()[0]);
        assertEquals(false, classifier().setStandardize(false).setEpochs(1).fit(train).architecture().standardizes());
    }

    @Test
    void missingColumnNamesTheColumn() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> classifier().setFeaturesCol("pixels").fit(train));
        assertTrue(e.getMessage().contains("no features column 'pixels'"), e.getMessage());
        assertTrue(e.getMessage().contains("[features, label]"), e.getMessage());
    }

    @Test
    void stringLabelsAskForStringIndexer() {
        Dataset<Row> strings = train.withColumn("label", functions.col("label").cast("string"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> classifier().fit(strings));
        assertTrue(e.getMessage().contains("StringIndexer"), e.getMessage());
    }

    @Test
    void nonIntegerLabelIsRefusedBeforeTraining() {
        Dataset<Row> halves = train.withColumn("label", functions.col("label").plus(0.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> classifier().fit(halves));
        assertTrue(e.getMessage().contains("label column 'label' holds ") && e.getMessage().contains(".5"),
                e.getMessage());
        assertTrue(e.getMessage().contains("expected class indices"), e.getMessage());
    }

    @Test
    void batchMustSplitOverTheWorkers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> classifier().setBatchSize(33).fit(train));
        assertTrue(e.getMessage().contains("batchSize 33") && e.getMessage().contains("numWorkers 2"), e.getMessage());
    }

    @Test
    void wrongFeatureWidthAtTransformSaysWhatTheModelTakes() {
        DenebClassificationModel model = classifier().setEpochs(1).fit(train);
        Dataset<Row> wide = TinyData.blobs(LocalSpark.get(), 10, 5, 1).withColumn("features",
                functions.array_append(org.apache.spark.ml.functions.vector_to_array(functions.col("features"),
                        "float64"), functions.lit(1.0)));
        Exception e = assertThrows(Exception.class, () -> model.transform(wide).collect());
        assertTrue(e.getMessage().contains("has 5 values in a row but the model takes 4"), e.getMessage());
    }

    @Test
    void existingOutputColumnIsRefused() {
        DenebClassifier clf = classifier().setPredictionCol("label");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> clf.transformSchema(train.schema()));
        assertTrue(e.getMessage().contains("output column 'label' already exists"), e.getMessage());
    }
}
