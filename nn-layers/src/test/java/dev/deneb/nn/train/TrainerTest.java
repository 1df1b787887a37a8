package dev.deneb.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.data.DataLoader;
import dev.deneb.data.TensorDataset;
import dev.deneb.nn.Linear;
import dev.deneb.nn.Losses;
import dev.deneb.nn.Layer;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrainerTest {

    /** Two Gaussian blobs in 2-D, labels 0 and 1; {@code flip} labels swapped at random (noise). */
    static TensorDataset blobs(int n, long seed, double flip) {
        Random r = new Random(seed);
        float[] x = new float[2 * n];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            int c = i % 2;
            x[2 * i] = (float) (r.nextGaussian() + (c == 0 ? -1.5 : 1.5));
            x[2 * i + 1] = (float) (r.nextGaussian() + (c == 0 ? -1.0 : 1.0));
            y[i] = r.nextDouble() < flip ? 1 - c : c;
        }
        return new TensorDataset(Tensor.of(x, n, 2), Tensor.of(y, n));
    }

    /** Plain gradient descent written here, since nn-layers does not depend on the optimizer module. */
    static Runnable sgd(Layer m, double lr) {
        return () -> {
            for (Tensor p : m.parameters()) {
                if (p.grad() != null) {
                    p.detach().copyFrom(p.detach().sub(p.grad().mul(lr)));
                }
            }
        };
    }

    static Trainer.Builder builder(Layer m, double lr) {
        return Trainer.builder(m)
                .loss(Losses::crossEntropy)
                .optimizerStep(sgd(m, lr))
                .trainLoader(DataLoader.builder(blobs(200, 1, 0)).batchSize(32).shuffle(true).seed(3).build())
                .validationLoader(DataLoader.builder(blobs(100, 2, 0)).batchSize(64).build());
    }

    @Test
    void learnsAndRecordsEveryEpoch() {
        Linear m = new Linear(2, 2, Linear.Options.defaults().generator(new Generator(7)));
        List<Integer> hook = new ArrayList<>();
        TrainingHistory h = builder(m, 0.5).metric(ValidationMetric.accuracy()).maxEpochs(8).patience(0)
                .onEpochEnd(e -> hook.add(e.epoch())).build().fit();
        assertEquals(8, h.size());
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), hook);
        assertFalse(h.stoppedEarly());
        assertTrue(h.best().metric() > 0.85, h.toString());
        assertTrue(h.last().trainLoss() < h.epochs().get(0).trainLoss(), h.toCsv());
        assertFalse(m.isTraining(), "the model is left in eval mode");
        assertTrue(h.toCsv().startsWith("epoch,train_loss,val_loss,val_accuracy,seconds,best\n"));
        assertEquals(9, h.toCsv().lines().count());
    }

    @Test
    void stopsEarlyAndRestoresTheBestState() {
        Linear m = new Linear(2, 2, Linear.Options.defaults().generator(new Generator(7)));
        // A metric that peaks at epoch 2 and falls after: training must stop at epoch 2 + patience.
        double[] script = {0.5, 0.9, 0.8, 0.7, 0.6, 0.95, 0.99};
        int[] call = {0};
        List<float[]> weights = new ArrayList<>();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<Integer> saved = new ArrayList<>();
        Trainer t = builder(m, 0.5)
                .metric(ValidationMetric.of("scripted", true, (out, y, loss) -> script[call[0]++]))
                .onEpochEnd(e -> weights.add(m.weight.toFloatArray()))
                .onImprovement((e, model) -> saved.add(e.epoch()))
                .maxEpochs(50).patience(3).log(new PrintStream(buf, true, StandardCharsets.UTF_8)).build();
        TrainingHistory h = t.fit();
        assertEquals(5, h.size());
        assertTrue(h.stoppedEarly());
        assertEquals(2, h.best().epoch());
        assertEquals(List.of(1, 2), saved);
        assertArrayEquals(weights.get(1), m.weight.toFloatArray(), "the weights of epoch 2 are back");
        assertNotNull(t.bestState());
        String log = buf.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("early stop") && log.contains("scripted 0.9000 *"), log);
    }

    @Test
    void lowerIsBetterForTheLoss() {
        ValidationMetric loss = ValidationMetric.loss();
        assertTrue(loss.improves(0.1, 0.2, 0));
        assertFalse(loss.improves(0.19, 0.2, 0.05));
        assertFalse(loss.improves(Double.NaN, 0.2, 0));
        assertTrue(loss.improves(0.3, Double.NaN, 0));
        Linear m = new Linear(2, 2, Linear.Options.defaults().generator(new Generator(1)));
        TrainingHistory h = builder(m, 0.3).maxEpochs(5).patience(2).build().fit();
        TrainingHistory.Epoch best = h.best();
        for (TrainingHistory.Epoch e : h.epochs()) {
            assertTrue(best.validationLoss() <= e.validationLoss());
        }
    }

    @Test
    void evaluateConcatenatesOutputs() {
        Linear m = new Linear(2, 3, Linear.Options.defaults().generator(new Generator(1)));
        DataLoader val = DataLoader.builder(blobs(70, 5, 0)).batchSize(32).build();
        Trainer.Evaluation e = Trainer.evaluate(m, val, Losses::crossEntropy);
        assertArrayEquals(new int[] {70, 3}, e.outputs().shape());
        assertArrayEquals(new int[] {70}, e.targets().shape());
        assertTrue(e.meanLoss() > 0);
        assertTrue(m.isTraining(), "evaluate restores the mode");
        double auc = ValidationMetric.rocAuc().evaluator().compute(
                Trainer.evaluate(new Linear(2, 2, Linear.Options.defaults().generator(new Generator(1))), val, null)
                        .outputs(), e.targets(), 0);
        assertTrue(auc >= 0 && auc <= 1);
    }

    @Test
    void missingSettingsAreReported() {
        Linear m = new Linear(2, 2);
        NullPointerException e = assertThrows(NullPointerException.class, () -> Trainer.builder(m).build());
        assertTrue(e.getMessage().contains("loss"));
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(m).patience(-1));
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(m).maxEpochs(0));
    }
}
