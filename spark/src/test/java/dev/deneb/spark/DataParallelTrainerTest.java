package dev.deneb.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class DataParallelTrainerTest {

    @Test
    void twoWorkersLearnTheBlobs() {
        Dataset<Row> df = TinyData.blobs(LocalSpark.get(), 600, 1, 2);
        TrainingSpec spec = TrainingSpec.of(TinyData::mlp).epochs(5).batchSize(32).seed(3)
                .optimizer(OptimizerFactory.adam(1e-2));
        TrainingResult r = DataParallelTrainer.fit(df, spec,
                DataParallelOptions.defaults().workers(2).timeout(Duration.ofSeconds(60)));
        assertNotNull(r.state());
        assertEquals(5, r.history().size());
        assertEquals(2, r.workers());
        assertTrue(r.last().accuracy() > 0.9, "accuracy " + r.last().accuracy());
    }
}
