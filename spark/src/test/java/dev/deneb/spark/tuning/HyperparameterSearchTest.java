package dev.deneb.spark.tuning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.nn.Layer;
import dev.deneb.nn.train.SearchSpace;
import dev.deneb.spark.LocalSpark;
import dev.deneb.spark.StateBytes;
import dev.deneb.spark.TinyData;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class HyperparameterSearchTest {

    /** Best at learningRate 1e-2; NaN when not run as a Spark task. */
    private static final Trial PEAKED = params -> {
        double lr = ((Number) params.get("learningRate")).doubleValue();
        double d = Math.log10(lr) + 2;
        return TrialOutcome.of(TaskContext.get() == null ? Double.NaN : -d * d);
    };

    @Test
    void gridSearchRanksTrialsAndReturnsATable() {
        SearchSpace space = new SearchSpace().choice("learningRate", 1e-4, 1e-3, 1e-2, 1e-1).choice("tag", "a", "b");
        SearchResult r = HyperparameterSearch.grid(space).metricName("score").run(LocalSpark.get(), PEAKED);
        assertEquals(8, r.trials().size());
        assertEquals(1e-2, r.best().params().get("learningRate"));
        assertEquals(4, r.best().index(), "ties go to the earlier trial");
        assertEquals(0.0, r.best().metric(), 1e-12);

        Dataset<Row> table = r.table();
        assertEquals(List.of("trial", "learningRate", "tag", "score", "seconds"), List.of(table.columns()));
        assertEquals("double", table.schema().apply("learningRate").dataType().simpleString());
        List<Row> rows = table.collectAsList();
        assertEquals(8, rows.size());
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(rows.get(i - 1).getDouble(3) >= rows.get(i).getDouble(3), "sorted best first");
        }
        assertEquals(1e-4, rows.get(7).getDouble(1));
    }

    @Test
    void minimizingPutsTheSmallestMetricFirst() {
        SearchSpace space = new SearchSpace().choice("learningRate", 1e-4, 1e-2, 1.0);
        SearchResult r = HyperparameterSearch.grid(space).maximize(false).run(LocalSpark.get(), PEAKED);
        assertEquals(-4.0, r.best().metric());
    }

    @Test
    void randomSearchRunsTheSameTrialsForTheSameSeed() {
        SearchSpace space = new SearchSpace().logUniform("learningRate", 1e-4, 1).intRange("epochs", 1, 3);
        SearchResult a = HyperparameterSearch.random(space, 6, 7).run(LocalSpark.get(), PEAKED);
        SearchResult b = HyperparameterSearch.random(space, 6, 7).run(LocalSpark.get(), PEAKED);
        assertEquals(a.trials().stream().map(TrialRecord::params).toList(),
                b.trials().stream().map(TrialRecord::params).toList());
        double best = a.trials().stream().mapToDouble(TrialRecord::metric).max().orElseThrow();
        assertEquals(best, a.best().metric());
        assertEquals("int", a.table().schema().apply("epochs").dataType().simpleString());
    }

    @Test
    void builtInMlpTrialFindsTheLearningRateThatLearns() {
        Dataset<Row> train = TinyData.blobs(LocalSpark.get(), 240, 21, 2);
        Dataset<Row> validation = TinyData.blobs(LocalSpark.get(), 90, 22, 1);
        try (MlpClassifierTrial trial = MlpClassifierTrial.create(train, validation)) {
            SearchSpace space = new SearchSpace().choice("learningRate", 1e-6, 3e-2).choice("hiddenLayers", "8")
                    .choice("epochs", 3).choice("batchSize", 16);
            SearchResult r = HyperparameterSearch.grid(space).metricName("accuracy").run(LocalSpark.get(), trial);
            TrialRecord best = r.best();
            assertEquals(3e-2, best.params().get("learningRate"));
            assertTrue(best.metric() > 0.85, "validation accuracy " + best.metric());
            assertTrue(r.trials().get(1).metric() < best.metric() - 0.2, "lr 1e-6 " + r.trials().get(1).metric());

            assertNotNull(best.state());
            Layer net = StateBytes.load(trial.factory(best.params()).create(), best.state());
            assertArrayEquals(new int[] {8}, trial.factory(best.params()).hidden());
            assertEquals(4 + 4 + 4 * 8 + 8 + 8 * 3 + 3, net.stateDict().values().stream()
                    .mapToLong(t -> t.shape().length == 0 ? 1 : java.util.Arrays.stream(t.shape()).asLongStream()
                            .reduce(1, (x, y) -> x * y)).sum(), "standardisation + 4→8→3");

            // the same trial run again gives the same weights (fixed seed, own generators)
            TrialOutcome again = trial.run(Map.copyOf(best.params()));
            assertArrayEquals(best.state(), again.state());
        }
    }

    @Test
    void unknownParametersAreRefusedBeforeAnyTaskRuns() {
        Dataset<Row> data = TinyData.blobs(LocalSpark.get(), 30, 23, 1);
        try (MlpClassifierTrial trial = MlpClassifierTrial.create(data, data)) {
            SearchSpace space = new SearchSpace().choice("lr", 1e-3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HyperparameterSearch.grid(space).run(LocalSpark.get(), trial));
            assertTrue(e.getMessage().contains("unknown parameter 'lr'"), e.getMessage());
        }
    }
}
