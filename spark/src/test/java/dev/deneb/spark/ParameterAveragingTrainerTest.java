package dev.deneb.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.nn.Layer;
import dev.deneb.tensor.Tensor;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class ParameterAveragingTrainerTest {

    @Test
    void averagingLearnsTheBlobsWithoutConnectionsBetweenExecutors() {
        Dataset<Row> df = TinyData.blobs(LocalSpark.get(), 600, 9, 2);
        TrainingSpec spec = TrainingSpec.of(TinyData::mlp).epochs(4).batchSize(32).seed(2)
                .optimizer(OptimizerFactory.adam(1e-2));
        TrainingResult r = ParameterAveragingTrainer.fit(df, spec,
                ParameterAveragingOptions.defaults().workers(2).syncEvery(5));
        assertEquals(4, r.history().size());
        assertTrue(r.last().accuracy() > 0.9, "accuracy " + r.last().accuracy());
        Layer model = r.model(TinyData::mlp);
        assertEquals(TinyData.mlp().stateDict().keySet(), model.stateDict().keySet());
    }

    @Test
    void flatStateAveragesFloatsAndKeepsStepCounts() {
        FlatState a = FlatState.of(Map.of("w", Tensor.of(new float[] {1, 2}, 2), "step", Tensor.of(new long[] {4}, 1)));
        FlatState b = FlatState.of(Map.of("w", Tensor.of(new float[] {3, 6}, 2), "step", Tensor.of(new long[] {4}, 1)));
        Map<String, Tensor> mean = a.plus(b).dividedBy(2).toMap();
        assertEquals(2f, mean.get("w").toFloatArray()[0]);
        assertEquals(4f, mean.get("w").toFloatArray()[1]);
        assertEquals(4L, mean.get("step").toLongArray()[0]);
    }
}
