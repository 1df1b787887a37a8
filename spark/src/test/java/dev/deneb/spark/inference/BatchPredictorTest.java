package dev.deneb.spark.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.nn.Layer;
import dev.deneb.nn.Linear;
import dev.deneb.spark.LocalSpark;
import dev.deneb.spark.StateBytes;
import dev.deneb.spark.TinyData;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.collection.Seq;

class BatchPredictorTest {
    private static Dataset<Row> data;
    private static byte[] state;

    @BeforeAll
    static void setUp() {
        data = TinyData.blobs(LocalSpark.get(), 50, 9, 3).cache();
        Tensor.manualSeed(5);
        state = StateBytes.of(TinyData.mlp());
    }

    /** The same model run locally on every row of {@code rows} at once. */
    private static float[][] localForward(List<Row> rows, boolean softmax) {
        Layer model = StateBytes.load(TinyData.mlp(), state);
        model.eval();
        float[] x = new float[rows.size() * TinyData.FEATURES];
        for (int i = 0; i < rows.size(); i++) {
            double[] f = ((Vector) rows.get(i).getAs("features")).toArray();
            for (int j = 0; j < f.length; j++) {
                x[i * TinyData.FEATURES + j] = (float) f[j];
            }
        }
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            Tensor out = model.forward(Tensor.of(x, rows.size(), TinyData.FEATURES));
            float[] flat = (softmax ? out.softmax(1) : out).toFloatArray();
            float[][] perRow = new float[rows.size()][TinyData.CLASSES];
            for (int i = 0; i < rows.size(); i++) {
                System.arraycopy(flat, i * TinyData.CLASSES, perRow[i], 0, TinyData.CLASSES);
            }
            return perRow;
        }
    }

    @Test
    void matchesALocalForwardPassInOddSizedBatches() {
        Dataset<Row> out = BatchPredictor.builder(TinyData::mlp, state).outputCol("p").batchSize(7).softmax(true)
                .build().transform(data);
        assertEquals(List.of("features", "label", "p"), List.of(out.columns()));
        List<Row> rows = out.collectAsList();
        assertEquals(50, rows.size());
        float[][] expected = localForward(rows, true);
        for (int i = 0; i < rows.size(); i++) {
            double[] got = ((Vector) rows.get(i).getAs("p")).toArray();
            for (int k = 0; k < got.length; k++) {
                assertEquals(expected[i][k], got[k], 1e-6, "row " + i + " output " + k);
            }
        }
    }

    @Test
    void readsWeightsFromAFileAndWritesFloatArrays(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mlp.safetensors");
        Files.write(file, state);
        Dataset<Row> out = BatchPredictor.builder(TinyData::mlp, file.toString()).outputCol("logits")
                .arrayOutput(true).build().transform(data);
        assertEquals("array<float>", out.schema().apply("logits").dataType().simpleString());
        List<Row> rows = out.collectAsList();
        float[][] expected = localForward(rows, false);
        for (int i = 0; i < rows.size(); i++) {
            Seq<Float> got = rows.get(i).getAs("logits");
            for (int k = 0; k < TinyData.CLASSES; k++) {
                assertEquals(expected[i][k], got.apply(k), 1e-6, "row " + i + " output " + k);
            }
        }
    }

    @Test
    void weightsOfAnotherNetworkFailOnTheDriver() {
        BatchPredictor p = BatchPredictor.builder(() -> new Linear(4, 3), state).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.transform(data));
        assertTrue(e.getMessage().contains("do not fit the model factory's network"), e.getMessage());
    }

    @Test
    void clearErrorsForColumns() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> BatchPredictor.builder(TinyData::mlp, state).featuresCol("x").build().transform(data));
        assertTrue(missing.getMessage().contains("no features column 'x'"), missing.getMessage());
        IllegalArgumentException taken = assertThrows(IllegalArgumentException.class,
                () -> BatchPredictor.builder(TinyData::mlp, state).outputCol("label").build().transform(data));
        assertTrue(taken.getMessage().contains("'label' already exists"), taken.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BatchPredictor.builder(TinyData::mlp, state).batchSize(0));
    }
}
