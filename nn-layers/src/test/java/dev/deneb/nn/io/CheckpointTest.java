package dev.deneb.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.nn.Activation;
import dev.deneb.nn.BatchNorm1d;
import dev.deneb.nn.Linear;
import dev.deneb.nn.Sequential;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints: model + optimizer state + epoch in one safetensors file. */
class CheckpointTest {
    @TempDir
    Path dir;

    private static Sequential model(long seed) {
        Generator g = new Generator(seed);
        Linear.Options o = Linear.Options.defaults().generator(g);
        return new Sequential(new Linear(3, 4, o), new BatchNorm1d(4), Activation.tanh(), new Linear(4, 2, o));
    }

    /** The flat form an optimizer's state dict takes (as an Adam would keep it). */
    private static Map<String, Tensor> adamState() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        s.put("state.0.exp_avg", Tensor.full(0.25, 4, 3));
        s.put("state.0.exp_avg_sq", Tensor.full(0.5, 4, 3));
        s.put("state.0.step", Tensor.scalar(42, DType.I64));
        return s;
    }

    @Test
    void roundTripRestoresModelOptimizerEpochAndMetadata() {
        Sequential a = model(1);
        Path f = dir.resolve("ckpt.safetensors");
        Checkpoint.save(f, a, adamState(), Map.of("lr", "0.001", "betas", "0.9,0.999"), 12,
                Map.of("run", "mnist-\"baseline\""));
        Checkpoint c = Checkpoint.load(f);
        assertEquals(12, c.epoch());
        assertEquals(Map.of("lr", "0.001", "betas", "0.9,0.999"), c.optimizerSettings());
        assertEquals(Map.of("run", "mnist-\"baseline\""), c.metadata());
        assertEquals(List.copyOf(adamState().keySet()), List.copyOf(c.optimizerState().keySet()));
        assertArrayEquals(adamState().get("state.0.exp_avg").toFloatArray(),
                c.optimizerState().get("state.0.exp_avg").toFloatArray());
        assertEquals(DType.I64, c.optimizerState().get("state.0.step").dtype());
        assertEquals(42, c.optimizerState().get("state.0.step").item());

        Sequential b = model(2);
        c.restore(b, true);
        for (Map.Entry<String, Tensor> e : a.stateDict().entrySet()) {
            assertArrayEquals(e.getValue().toDoubleArray(), b.stateDict().get(e.getKey()).toDoubleArray(), e.getKey());
        }
    }

    /** The flat form a scheduler's state dict takes (as a StepLR on two parameter groups would keep it). */
    private static Map<String, Tensor> stepLrState() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        s.put("step_size", Tensor.scalar(3, DType.I64));
        s.put("gamma", Tensor.scalar(0.5, DType.F64));
        s.put("last_epoch", Tensor.scalar(7, DType.I64));
        s.put("_step_count", Tensor.scalar(8, DType.I64));
        s.put("base_lrs", Tensor.of(new double[] {0.1, 0.01}, 2));
        s.put("_last_lr", Tensor.of(new double[] {0.025, 0.0025}, 2));
        return s;
    }

    @Test
    void schedulerStateRoundTripsBesideTheOptimizer() {
        Sequential a = model(1);
        Path f = dir.resolve("ckpt.safetensors");
        Checkpoint.of(a).optimizerState(adamState()).schedulerState(stepLrState()).epoch(7)
                .metadata(Map.of("run", "cosine")).save(f);
        SafeTensors.Contents raw = SafeTensors.load(f);
        assertTrue(raw.tensors().containsKey("scheduler.base_lrs"), raw.tensors().keySet().toString());
        assertTrue(raw.tensors().containsKey("optimizer.state.0.exp_avg"));

        Checkpoint c = Checkpoint.load(f);
        assertEquals(7, c.epoch());
        assertEquals(Map.of("run", "cosine"), c.metadata());
        assertEquals(List.copyOf(stepLrState().keySet()), List.copyOf(c.schedulerState().keySet()));
        assertEquals(List.copyOf(adamState().keySet()), List.copyOf(c.optimizerState().keySet()));
        for (Map.Entry<String, Tensor> e : stepLrState().entrySet()) {
            Tensor got = c.schedulerState().get(e.getKey());
            assertEquals(e.getValue().dtype(), got.dtype(), e.getKey());
            assertArrayEquals(e.getValue().shape(), got.shape(), e.getKey());
            assertArrayEquals(e.getValue().toDoubleArray(), got.toDoubleArray(), e.getKey());
        }
        Sequential b = model(2);
        c.restore(b, true);
        assertArrayEquals(a.stateDict().get("0.weight").toDoubleArray(), b.stateDict().get("0.weight").toDoubleArray());
    }

    @Test
    void aCheckpointWithoutSchedulerHasAnEmptySchedulerState() {
        Path f = dir.resolve("ckpt.safetensors");
        Checkpoint.save(f, model(1), adamState(), 2);
        assertTrue(Checkpoint.load(f).schedulerState().isEmpty());
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.of(model(1)).schedulerState(null));
        assertTrue(e.getMessage().contains("must not be null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.of(null));
        assertTrue(e.getMessage().contains("Checkpoint.of: the model is null"), e.getMessage());
    }

    @Test
    void isOnePlainSafetensorsFileWithPrefixedKeys() {
        Path f = dir.resolve("ckpt.safetensors");
        Checkpoint.save(f, model(1), adamState(), 3);
        SafeTensors.Contents c = SafeTensors.load(f);
        assertTrue(c.tensors().containsKey("model.0.weight"));
        assertTrue(c.tensors().containsKey("model.1.running_var"));
        assertTrue(c.tensors().containsKey("optimizer.state.0.exp_avg"));
        assertEquals("3", c.metadata().get("epoch"));
        assertEquals("1", c.metadata().get("deneb.checkpoint"));
    }

    @Test
    void reservedMetadataKeysAreRejected() {
        Path f = dir.resolve("ckpt.safetensors");
        for (String k : List.of("epoch", "format", "deneb.checkpoint", "optimizer.lr")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Checkpoint.save(f, model(1), Map.of(), Map.of(), 1, Map.of(k, "x")));
            assertTrue(e.getMessage().contains("'" + k + "' is reserved"), e.getMessage());
        }
    }

    @Test
    void aPlainStateDictIsNotACheckpoint() {
        Path f = dir.resolve("model.safetensors");
        ModelIO.save(model(1), f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(f));
        assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains("not a Deneb checkpoint"),
                e.getMessage());
    }

    @Test
    void badEpochAndUnprefixedTensorsAreClearErrors() {
        Path f = dir.resolve("bad.safetensors");
        SafeTensors.save(Map.of("model.w", Tensor.ones(2)), Map.of("deneb.checkpoint", "1", "epoch", "ten"), f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(f));
        assertTrue(e.getMessage().contains("epoch") && e.getMessage().contains("'ten'"), e.getMessage());

        SafeTensors.save(Map.of("w", Tensor.ones(2)), Map.of("deneb.checkpoint", "1", "epoch", "1"), f);
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(f));
        assertTrue(e.getMessage().contains("tensor 'w'"), e.getMessage());

        SafeTensors.save(Map.of("model.w", Tensor.ones(2)), Map.of("deneb.checkpoint", "9", "epoch", "1"), f);
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(f));
        assertTrue(e.getMessage().contains("version '9'"), e.getMessage());
    }

    @Test
    void restoringIntoAnotherModelNamesTheMismatch() {
        Path f = dir.resolve("ckpt.safetensors");
        Checkpoint.save(f, model(1), Map.of(), 0);
        Sequential other = new Sequential(new Linear(3, 5), new BatchNorm1d(5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(f).restore(other, false));
        assertTrue(e.getMessage().contains("'0.weight' has shape [4, 3]"), e.getMessage());
        assertTrue(e.getMessage().contains("expects [5, 3]"), e.getMessage());
    }
}
