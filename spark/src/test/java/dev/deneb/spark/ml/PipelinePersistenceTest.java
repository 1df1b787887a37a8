package dev.deneb.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.nn.Layer;
import dev.deneb.nn.io.SafeTensors;
import dev.deneb.spark.LocalSpark;
import dev.deneb.spark.TinyData;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelinePersistenceTest {
    private static final String[] COLUMNS = {"x0", "x1", "x2", "x3"};
    private static Dataset<Row> train;
    private static Dataset<Row> test;

    @BeforeAll
    static void data() {
        train = numericColumns(TinyData.blobs(LocalSpark.get(), 240, 4, 2)).cache();
        test = numericColumns(TinyData.blobs(LocalSpark.get(), 60, 5, 2)).cache();
    }

    /** The blobs as four numeric columns, as a table would hold them, for VectorAssembler. */
    private static Dataset<Row> numericColumns(Dataset<Row> blobs) {
        Column arr = org.apache.spark.ml.functions.vector_to_array(functions.col("features"), "float64");
        Dataset<Row> out = blobs;
        for (int j = 0; j < COLUMNS.length; j++) {
            out = out.withColumn(COLUMNS[j], arr.getItem(j));
        }
        return out.drop("features");
    }

    private static Pipeline pipeline() {
        return new Pipeline().setStages(new PipelineStage[] {
                new VectorAssembler().setInputCols(COLUMNS).setOutputCol("features"),
                new DenebClassifier().setHiddenLayers(8).setEpochs(4).setBatchSize(16).setLearningRate(2e-2)
                        .setDropout(0.1).setNumWorkers(2).setSeed(11)});
    }

    @Test
    void fittedPipelineSavesAndLoadsWithIdenticalPredictions(@TempDir Path dir) throws IOException {
        PipelineModel model = pipeline().fit(train);
        String path = dir.resolve("pipeline").toString();
        model.write().save(path);
        PipelineModel loaded = PipelineModel.load(path);

        DenebClassificationModel stage = assertInstanceOf(DenebClassificationModel.class, loaded.stages()[1]);
        assertEquals(model.stages()[1].uid(), stage.uid());
        assertEquals(4, stage.numFeatures());
        String[] cols = {"prediction", "probability", "rawPrediction"};
        List<Row> before = model.transform(test).select("prediction", cols[1], cols[2]).collectAsList();
        List<Row> after = loaded.transform(test).select("prediction", cols[1], cols[2]).collectAsList();
        assertEquals(before, after);
        List<Row> labels = test.select("label").collectAsList();
        long right = 0;
        for (int i = 0; i < labels.size(); i++) {
            right += labels.get(i).getDouble(0) == before.get(i).getDouble(0) ? 1 : 0;
        }
        assertTrue(right > 0.85 * labels.size(), right + " of " + labels.size() + " right");

        // the safetensors bundle alone rebuilds the network, standardisation included
        SafeTensors.Contents c = SafeTensors.load(Path.of(path, "stages").toFile().listFiles(
                f -> f.getName().startsWith("1_"))[0].toPath().resolve("model.safetensors"));
        Layer net = dev.deneb.spark.StateBytes.load(MlpFactory.fromMetadata(c.metadata()).create(),
                dev.deneb.spark.StateBytes.of(c.tensors()));
        net.eval();
        Row firstTest = test.first();
        float[] x = new float[4];
        for (int j = 0; j < 4; j++) {
            x[j] = (float) firstTest.getDouble(firstTest.fieldIndex(COLUMNS[j]));
        }
        float[] logits;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            logits = net.forward(Tensor.of(x, 1, 4)).toFloatArray();
        }
        double[] sparkLogits = ((Vector) after.get(0).getAs(2)).toArray();
        for (int k = 0; k < logits.length; k++) {
            assertEquals(logits[k], sparkLogits[k], 1e-6);
        }
    }

    @Test
    void unfittedPipelineKeepsItsParams(@TempDir Path dir) throws IOException {
        String path = dir.resolve("unfitted").toString();
        pipeline().write().save(path);
        Pipeline loaded = Pipeline.load(path);
        DenebClassifier clf = assertInstanceOf(DenebClassifier.class, loaded.getStages()[1]);
        assertArrayEquals(new int[] {8}, clf.getHiddenLayers());
        assertEquals(2e-2, clf.getLearningRate());
        assertEquals(0.1, clf.getDropout());
        assertEquals(11L, clf.getSeed());
        assertEquals("prediction", clf.getPredictionCol());
        assertTrue(clf.isSet(clf.learningRate()) && !clf.isSet(clf.labelCol()), "set vs default kept apart");
    }

    @Test
    void saveRefusesAnExistingPathUnlessOverwrite(@TempDir Path dir) throws IOException {
        DenebClassifier clf = new DenebClassifier().setEpochs(3);
        String path = dir.resolve("clf").toString();
        clf.save(path);
        assertThrows(IOException.class, () -> clf.save(path));
        clf.setEpochs(7).write().overwrite().save(path);
        assertEquals(7, DenebClassifier.load(path).getEpochs());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DenebClassificationModel.load(path));
        assertTrue(e.getMessage().contains("not a dev.deneb.spark.ml.DenebClassificationModel"), e.getMessage());
    }
}
