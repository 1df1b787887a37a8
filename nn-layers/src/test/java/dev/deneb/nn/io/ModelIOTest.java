package dev.deneb.nn.io;

import static dev.deneb.nn.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.nn.Activation;
import dev.deneb.nn.BatchNorm1d;
import dev.deneb.nn.BatchNorm2d;
import dev.deneb.nn.Conv2d;
import dev.deneb.nn.Fixtures;
import dev.deneb.nn.Flatten;
import dev.deneb.nn.Linear;
import dev.deneb.nn.Layer;
import dev.deneb.nn.Sequential;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layer-level save/load, and reading PyTorch's state dict of an equivalent model. */
class ModelIOTest {
    @TempDir
    Path dir;

    /** The Deneb twin of make_reference.py's tiny_cnn(). */
    static Sequential tinyCnn() {
        return new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2), Activation.relu(), new Flatten(),
                new Linear(8, 3));
    }

    private static Sequential mlp(long seed) {
        Generator g = new Generator(seed);
        Linear.Options o = Linear.Options.defaults().generator(g);
        return new Sequential(new Linear(4, 3, o), new BatchNorm1d(3), Activation.relu(), new Linear(3, 2, o));
    }

    @Test
    void saveThenLoadRestoresEveryParameterAndBuffer() {
        Sequential a = mlp(1);
        a.forward((new Generator(5).normal(0, 1, 6, 4))); // move the running statistics
        Path f = dir.resolve("mlp.safetensors");
        ModelIO.save(a, Map.of("note", "test"), f);
        assertEquals("pt", SafeTensors.load(f).metadata().get("format"));
        assertEquals("test", SafeTensors.load(f).metadata().get("note"));

        Sequential b = mlp(2);
        Layer.LoadResult r = ModelIO.load(b, f, true);
        assertEquals(List.of(), r.missingKeys());
        assertEquals(List.of(), r.unexpectedKeys());
        for (Map.Entry<String, Tensor> e : a.stateDict().entrySet()) {
            Tensor got = b.stateDict().get(e.getKey());
            assertEquals(e.getValue().dtype(), got.dtype(), e.getKey());
            assertArrayEquals(e.getValue().toDoubleArray(), got.toDoubleArray(), e.getKey());
        }
        a.eval();
        b.eval();
        Tensor x = (new Generator(9).normal(0, 1, 3, 4));
        assertArrayEquals(a.forward(x).toFloatArray(), b.forward(x).toFloatArray());
    }

    @Test
    void loadsAPyTorchStateDictAndReproducesPyTorchsOutput() {
        Path file = Fixtures.resource("interop/tiny_cnn.safetensors");
        Sequential model = tinyCnn();
        Layer.LoadResult r = ModelIO.load(model, file, true);
        assertTrue(r.missingKeys().isEmpty() && r.unexpectedKeys().isEmpty(), r.toString());
        assertEquals(new TreeSet<>(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean",
                "1.running_var", "1.num_batches_tracked", "4.weight", "4.bias")),
                new TreeSet<>(model.stateDict().keySet()));
        assertEquals(new TreeSet<>(SafeTensors.load(file).tensors().keySet()),
                new TreeSet<>(model.stateDict().keySet()));
        assertEquals(3, model.stateDict().get("1.num_batches_tracked").item(), "PyTorch ran three training steps");

        Map<String, Tensor> io = SafeTensors.load(Fixtures.resource("interop/tiny_cnn_io.safetensors")).tensors();
        model.eval();
        Tensor y = model.forward(io.get("input")).detach();
        assertClose(io.get("output"), y, "tiny CNN output vs PyTorch");
    }

    @Test
    void loadsAHalfPrecisionPyTorchFileIntoF32Parameters() {
        Sequential full = tinyCnn();
        ModelIO.load(full, Fixtures.resource("interop/tiny_cnn.safetensors"), true);
        Sequential half = tinyCnn();
        ModelIO.load(half, Fixtures.resource("interop/tiny_cnn_f16.safetensors"), true);
        for (Map.Entry<String, Tensor> e : full.stateDict().entrySet()) {
            double[] want = e.getValue().toDoubleArray();
            double[] got = half.stateDict().get(e.getKey()).toDoubleArray();
            for (int i = 0; i < want.length; i++) {
                double rounded = e.getValue().dtype().isFloating()
                        ? Float.float16ToFloat(Float.floatToFloat16((float) want[i])) : want[i];
                assertEquals(rounded, got[i], e.getKey() + "[" + i + "]");
            }
        }
    }

    @Test
    void aStateDictForAnotherModelIsAClearError() {
        Path file = Fixtures.resource("interop/tiny_cnn.safetensors");
        Sequential other = new Sequential(new Flatten(), new Flatten(), new Flatten(), new Linear(8, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelIO.load(other, file, true));
        assertTrue(e.getMessage().contains("tiny_cnn.safetensors"), e.getMessage());
        assertTrue(e.getMessage().contains("missing keys [3.weight, 3.bias]"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected keys [0.bias, 0.weight, 1.bias, 1.num_batches_tracked"),
                e.getMessage());

        Sequential wider = new Sequential(new Conv2d(1, 3, 3), new BatchNorm2d(2), Activation.relu(), new Flatten(),
                new Linear(8, 3));
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> ModelIO.load(wider, file, false));
        assertTrue(s.getMessage().contains("'0.weight' has shape [2, 1, 3, 3] in the state dict, but the model"
                + " expects [3, 1, 3, 3]"), s.getMessage());
    }

    @Test
    void nonStrictLoadReportsWhatDidNotMatch() {
        Path file = Fixtures.resource("interop/tiny_cnn.safetensors");
        Sequential bigger = tinyCnn().add(Activation.relu()).add(new Linear(3, 2));
        Layer.LoadResult r = ModelIO.load(bigger, file, false);
        assertEquals(List.of("6.weight", "6.bias"), r.missingKeys());
        assertEquals(List.of(), r.unexpectedKeys());
    }
}
