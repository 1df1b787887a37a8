package dev.deneb.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task killed after epoch 2 makes Spark retry the barrier stage, which resumes from epoch 2's checkpoint. */
class CheckpointResumeTest {

    @Test
    void aKilledTaskResumesFromTheLastCheckpoint(@TempDir Path dir) {
        Dataset<Row> df = TinyData.blobs(LocalSpark.get(), 600, 4, 2);
        TrainingSpec spec = TrainingSpec.of(TinyData::mlp).epochs(4).batchSize(32).seed(5)
                .optimizer(OptimizerFactory.adam(1e-2));
        TrainingResult r = DataParallelTrainer.fit(df, spec, DataParallelOptions.defaults().workers(2)
                .checkpointDir(dir.toString()).failAfterEpoch(2).timeout(Duration.ofSeconds(60)));
        System.out.printf("resumed from epoch %d on stage attempt %d; final accuracy %.2f %%%n", r.resumedFrom(),
                r.stageAttempt(), 100 * r.last().accuracy());
        assertEquals(1, r.stageAttempt(), "the stage must have been retried once");
        assertEquals(2, r.resumedFrom());
        assertEquals(4, r.history().size());
        assertEquals(4, r.last().epoch());
        assertTrue(r.last().accuracy() > 0.9, "accuracy " + r.last().accuracy());
        assertTrue(Files.exists(dir.resolve(CheckpointStore.FILE)));
    }
}
