package dev.deneb.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.data.Fold;
import dev.deneb.data.Splits;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cross-validation scores, search spaces and the ranking of a search, with scoring functions known in advance. */
class ParameterSearchTest {
    @Test
    void crossValidationGathersMeanAndSampleStdPerMetric() {
        List<Fold> folds = Splits.kFold(12, 3, 1);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        CvScores s = CrossValidation.run(folds, f -> Map.of("size", (double) f.test().length,
                "index", (double) f.index()), new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertEquals(3, s.folds());
        assertEquals(4.0, s.mean("size"));
        assertEquals(0.0, s.std("size"));
        assertArrayEquals(new double[] {0, 1, 2}, s.values("index"));
        assertEquals(1.0, s.std("index"), 1e-12);
        assertEquals("100.00 ± 100.00", s.format("index", 100, 2));
        String log = buf.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("fold 3/3 (8 train, 4 test)"), log);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.mean("auc"));
        assertTrue(e.getMessage().contains("auc"), e.getMessage());
    }

    @Test
    void samplingIsSeededAndStaysInsideTheSpace() {
        SearchSpace space = new SearchSpace().logUniform("lr", 1e-4, 1e-2).uniform("dropout", 0, 0.5)
                .choice("hidden", new int[] {32}, new int[] {64, 64});
        List<HyperParams> a = space.sample(50, 7);
        List<HyperParams> b = space.sample(50, 7);
        double logLow = 0;
        for (int i = 0; i < 50; i++) {
            assertEquals(a.get(i).getDouble("lr"), b.get(i).getDouble("lr"));
            double lr = a.get(i).getDouble("lr");
            assertTrue(lr >= 1e-4 && lr < 1e-2, "lr " + lr);
            logLow += lr < 1e-3 ? 1 : 0;
            double d = a.get(i).getDouble("dropout");
            assertTrue(d >= 0 && d < 0.5, "dropout " + d);
            assertTrue(a.get(i).get("hidden", int[].class).length >= 1);
        }
        assertTrue(logLow > 10 && logLow < 40, "log-uniform: about half below the geometric middle, got " + logLow);
        assertEquals(List.of("lr", "dropout", "hidden"), space.names());
        assertThrows(IllegalArgumentException.class, space::grid);
        assertThrows(IllegalArgumentException.class, () -> new SearchSpace().logUniform("lr", 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new SearchSpace().choice("a", 1).choice("a", 2));
    }

    @Test
    void gridEnumeratesEveryCombination() {
        List<HyperParams> g = new SearchSpace().choice("a", 1, 2, 3).choice("b", "x", "y").grid();
        assertEquals(6, g.size());
        assertEquals("a=1 b=x", g.get(0).toString()); // Integer choices print as they are
        assertEquals("a=3 b=y", g.get(5).toString());
    }

    @Test
    void searchRanksByTheMeanOfTheMetric() {
        List<HyperParams> points = new SearchSpace().choice("x", 1.0, 3.0, 2.0).grid();
        List<Fold> folds = Splits.kFold(6, 2, 1);
        // Score = -(x - 2)^2 plus a per-fold wiggle: the best point is x = 2.
        List<ParameterSearch.Trial> trials = ParameterSearch.run(points, p -> CrossValidation.run(folds,
                f -> Map.of("score", -Math.pow(p.getDouble("x") - 2, 2) + 0.01 * f.index()), null), "score", null);
        List<ParameterSearch.Trial> best = ParameterSearch.ranked(trials, "score", true);
        assertEquals(2.0, best.get(0).params().getDouble("x"));
        assertEquals(2, best.get(0).index());
        List<ParameterSearch.Trial> worst = ParameterSearch.ranked(trials, "score", false);
        assertEquals(-1.0, worst.get(0).scores().mean("score") - 0.005, 1e-12);
        String table = ParameterSearch.table(best, List.of("score"), new double[] {1}, new int[] {3});
        assertTrue(table.lines().skip(1).findFirst().orElseThrow().contains("  2  "), table);
        assertTrue(table.contains("0.005 ± 0.007"), table);
        assertEquals("3.00e-03", HyperParams.format(3e-3));
        assertEquals("64,64", HyperParams.format(new int[] {64, 64}));
        assertEquals("0.1", HyperParams.format(0.1));
        assertEquals("0", HyperParams.format(0.0));
    }
}
