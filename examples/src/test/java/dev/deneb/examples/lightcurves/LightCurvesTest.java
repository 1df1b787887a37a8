package dev.deneb.examples.lightcurves;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.deneb.data.DataPaths;
import dev.deneb.nn.Losses;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LightCurvesTest {
    @Test
    void confusionTableAndAccuracy() {
        int[][] c = {{5, 1, 0, 0}, {0, 3, 1, 0}, {0, 0, 9, 0}, {0, 0, 0, 1}};
        assertEquals(18.0 / 20, LightCurvesCommand.accuracy(c), 1e-12);
        String table = LightCurvesCommand.formatConfusion(c);
        assertTrue(table.contains("eclipsing_binary") && table.contains("mira") && table.contains("83.3%"), table);
    }

    @Test
    void loadsTheTestSplitAndEveryModelTrainsOneStep() {
        Optional<Path> dir = DataPaths.find("eros1_variable_stars");
        assumeTrue(dir.isPresent(), "EROS-1 data not found; skipped");
        LightCurves test = LightCurves.load(dir.get(), "test");
        assertEquals(729, test.size);
        assertArrayEquals(new int[] {100, 132, 454, 43}, test.classCounts());
        int[] order = new int[test.size];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        LightCurveBatch b = LightCurveBatch.of(test, order, 0, 8, test.staticMoments());
        assertEquals(LightCurves.STEP_FEATURES, b.sequences().size(2));
        for (LightCurvesCommand.Model m : new LightCurvesCommand.Model[] {LightCurvesCommand.Model.gru,
                LightCurvesCommand.Model.lstm, LightCurvesCommand.Model.transformer, LightCurvesCommand.Model.cnn}) {
            LightCurveModels.Classifier net = LightCurvesCommand.build(m, new Generator(0));
            Tensor logits = net.logits(b);
            assertArrayEquals(new int[] {8, 4}, logits.shape(), m.name());
            Losses.crossEntropy(logits, b.labels()).backward();
            net.parameters().forEach(p -> assertTrue(p.grad() != null, m + ": a parameter got no gradient"));
        }
    }
}
