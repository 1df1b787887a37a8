package dev.deneb.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.nn.attention.Attention;
import dev.deneb.nn.attention.LearnedPositionalEncoding;
import dev.deneb.nn.attention.MultiheadAttention;
import dev.deneb.nn.attention.PositionalEncodingOptions;
import dev.deneb.nn.recurrent.GRUCell;
import dev.deneb.nn.recurrent.LSTM;
import dev.deneb.nn.recurrent.RecurrentOptions;
import dev.deneb.optim.Adam;
import dev.deneb.optim.SGD;
import dev.deneb.tensor.Backend;
import dev.deneb.tensor.Backends;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** freeze/unfreeze, to(DType)/to(Backend), and the refusal of inputs whose dtype differs from the parameters'. */
class LayerConversionTest {
    private final Generator g = new Generator(17);

    private Sequential mlp() {
        return new Sequential(new Linear(3, 6, Linear.Options.defaults().generator(g)), new BatchNorm1d(6), Activation.tanh(),
                new Linear(6, 2, Linear.Options.defaults().generator(g)));
    }

    private static List<float[]> values(List<Tensor> params) {
        List<float[]> out = new ArrayList<>();
        params.forEach(p -> out.add(p.toFloatArray()));
        return out;
    }

    // ---- freeze ----

    @Test
    void freezeStopsGradientsForEveryParameterBelowAndUnfreezeRestoresThem() {
        Sequential net = mlp();
        assertSame(net, net.freeze());
        assertTrue(net.parameters().stream().noneMatch(Tensor::requiresGrad));
        Tensor x = g.normal(0, 1, 4, 3).requiresGrad(true);
        net.forward(x).sum().backward();
        assertNotNull(x.grad(), "the input still gets its gradient");
        for (Tensor p : net.parameters()) {
            assertNull(p.grad(), "backward leaves a frozen parameter's grad null");
        }
        assertSame(net, net.unfreeze());
        assertTrue(net.parameters().stream().allMatch(Tensor::requiresGrad));
        net.forward(x).sum().backward();
        assertTrue(net.parameters().stream().allMatch(p -> p.grad() != null));
    }

    @Test
    void anOptimizerStepLeavesFrozenParametersUnchanged() {
        Sequential net = mlp();
        SGD sgd = new SGD(net.parameters(), SGD.Options.defaults().lr(0.1));
        Tensor x = g.normal(0, 1, 8, 3);
        Tensor y = g.normal(0, 1, 8, 2);
        // a gradient from before freezing must not be applied either
        Losses.mse(net.forward(x), y).backward();
        net.get(0).freeze();
        List<Tensor> frozen = net.get(0).parameters();
        List<Tensor> trainable = net.get(3).parameters();
        List<float[]> frozenBefore = values(frozen);
        List<float[]> trainableBefore = values(trainable);
        sgd.step();
        sgd.zeroGrad();
        Losses.mse(net.forward(x), y).backward();
        assertNull(frozen.get(0).grad());
        sgd.step();
        for (int i = 0; i < frozen.size(); i++) {
            assertArrayEquals(frozenBefore.get(i), frozen.get(i).toFloatArray(), "frozen parameter " + i);
        }
        for (int i = 0; i < trainable.size(); i++) {
            assertFalse(java.util.Arrays.equals(trainableBefore.get(i), trainable.get(i).toFloatArray()),
                    "trainable parameter " + i + " moved");
        }
    }

    // ---- to(DType), to(Backend) ----

    @Test
    void toF64ConvertsFloatingParametersBuffersAndGradientsInPlace() {
        Sequential net = mlp();
        Linear first = (Linear) net.get(0);
        Tensor weight = first.weight;
        List<Tensor> params = net.parameters();
        Tensor x = g.normal(0, 1, 4, 3);
        net.forward(x).sum().backward();
        float[] before = weight.toFloatArray();
        assertSame(net, net.to(DType.F64));
        assertSame(weight, first.weight, "the field still holds the same tensor object");
        assertEquals(params, net.parameters());
        for (int i = 0; i < params.size(); i++) {
            assertSame(params.get(i), net.parameters().get(i));
        }
        for (var e : net.namedParameters().entrySet()) {
            assertEquals(DType.F64, e.getValue().dtype(), e.getKey());
            assertEquals(DType.F64, e.getValue().grad().dtype(), e.getKey() + " grad");
            assertTrue(e.getValue().requiresGrad(), e.getKey());
        }
        assertEquals(DType.F64, net.stateDict().get("1.running_mean").dtype());
        assertEquals(DType.F64, net.stateDict().get("1.running_var").dtype());
        assertEquals(DType.I64, net.stateDict().get("1.num_batches_tracked").dtype(), "integer buffers stay integer");
        double[] after = weight.toDoubleArray();
        for (int i = 0; i < before.length; i++) {
            assertEquals(before[i], after[i], 0.0, "values are kept exactly");
        }
        net.zeroGrad();
        Tensor y = net.forward(x.to(DType.F64));
        assertEquals(DType.F64, y.dtype());
        y.sum().backward();
        assertEquals(DType.F64, weight.grad().dtype(), "gradients are f64 after the conversion");
        net.to(DType.F32);
        assertEquals(DType.F32, weight.dtype());
        var e = assertThrows(IllegalArgumentException.class, () -> net.to(DType.I64));
        assertTrue(e.getMessage().contains("to") && e.getMessage().contains("floating-point")
                && e.getMessage().contains("i64"), e.getMessage());
    }

    @Test
    void toBackendMovesEveryTensorAndKeepsTheObjects() {
        Sequential net = mlp();
        net.eval();
        Tensor x = g.normal(0, 1, 4, 3);
        Tensor expected = net.forward(x).detach();
        Backend start = net.parameters().getFirst().backend();
        Backend other = start == Backends.reference() ? Backends.cpu() : Backends.reference();
        Tensor weight = ((Linear) net.get(0)).weight;
        assertSame(net, net.to(other));
        assertSame(weight, ((Linear) net.get(0)).weight);
        for (Tensor t : net.stateDict().values()) {
            assertSame(other, t.backend());
        }
        Tensor y = net.forward(x.to(other)).detach();
        assertSame(other, y.backend());
        assertTrue(expected.allClose(y.to(start), 1e-6, 1e-6, false));
        net.to(start);
        assertSame(start, weight.backend());
    }

    @Test
    void optimizersKeepWorkingAfterTo() {
        Sequential net = mlp();
        Adam adam = new Adam(net.parameters(), Adam.Options.defaults().lr(0.05));
        net.to(DType.F64);
        Tensor x = g.normal(0, 1, 16, 3).to(DType.F64);
        Tensor y = x.narrow(1, 0, 2).mul(0.5);
        double first = 0;
        double last = 0;
        for (int step = 0; step < 30; step++) {
            adam.zeroGrad();
            Tensor loss = Losses.mse(net.forward(x), y);
            loss.backward();
            adam.step();
            last = loss.item();
            if (step == 0) {
                first = last;
            }
        }
        assertTrue(last < 0.5 * first, "the loss fell from " + first + " to " + last);
        for (Tensor p : net.parameters()) {
            assertEquals(DType.F64, p.dtype(), "updates keep the dtype");
        }
    }

    // ---- inputs of another dtype ----

    private static void assertDTypeError(String op, String input, String param, Executable call) {
        var e = assertThrows(IllegalArgumentException.class, call::execute);
        String m = e.getMessage();
        assertTrue(m.startsWith(op) && m.contains("the input is " + input) && m.contains("the parameters are "
                + param) && m.contains("x.to(DType." + param.toUpperCase() + ")"), m);
    }

    @FunctionalInterface
    private interface Executable {
        void execute();
    }

    @Test
    void anF64InputIntoAnF32LinearIsRefusedWithAFix() {
        Linear lin = new Linear(3, 2, Linear.Options.defaults().generator(g));
        Tensor x = g.normal(0, 1, 4, 3).to(DType.F64);
        var e = assertThrows(IllegalArgumentException.class, () -> lin.forward(x));
        assertEquals("linear: the input is f64 but the parameters are f32; convert the input with x.to(DType.F32)"
                + " or the layer with layer.to(DType.F64)", e.getMessage());
        var i = assertThrows(IllegalArgumentException.class, () -> lin.forward(Tensor.zeros(DType.I64, 4, 3)));
        assertTrue(i.getMessage().contains("i64") && i.getMessage().contains("x.to(DType.F32)")
                && !i.getMessage().contains("layer.to"), "no layer.to(I64) advice: " + i.getMessage());
        lin.to(DType.F64);
        Tensor y = lin.forward(x);
        assertEquals(DType.F64, y.dtype());
        y.sum().backward();
        assertEquals(DType.F64, lin.weight.grad().dtype());
        assertEquals(DType.F64, lin.bias.grad().dtype());
    }

    @Test
    void otherLayersRefuseAnotherDtypeToo() {
        Tensor img = g.normal(0, 1, 1, 2, 5, 5).to(DType.F64);
        assertDTypeError("Conv2d", "f64", "f32", () -> new Conv2d(2, 3, 3).forward(img));
        assertDTypeError("Conv1d", "f64", "f32", () -> new Conv1d(2, 3, 3).forward(img.select(2, 0)));
        assertDTypeError("ConvTranspose2d", "f64", "f32", () -> new ConvTranspose2d(2, 3, 3).forward(img));
        assertDTypeError("ConvTranspose1d", "f64", "f32", () -> new ConvTranspose1d(2, 3, 3).forward(img.select(2, 0)));
        assertDTypeError("groupNorm", "f64", "f32", () -> new GroupNorm(1, 2).forward(img));
        assertDTypeError("instanceNorm", "f64", "f32", () -> new InstanceNorm2d(2,
                InstanceNorm2d.Options.defaults().affine(true)).forward(img));
        assertDTypeError("prelu", "f64", "f32", () -> new PReLU().forward(img));
        Tensor seq = g.normal(0, 1, 2, 4, 6).to(DType.F64);
        assertDTypeError("layerNorm", "f64", "f32", () -> new LayerNorm(6).forward(seq));
        assertDTypeError("BatchNorm1d", "f64", "f32", () -> new BatchNorm1d(4).forward(seq));
        assertDTypeError("MultiheadAttention (query)", "f64", "f32", () -> new MultiheadAttention(6, 2).forward(seq));
        assertDTypeError("LearnedPositionalEncoding", "f64", "f32",
                () -> new LearnedPositionalEncoding(6, 8, PositionalEncodingOptions.defaults().dropout(0).batchFirst(true)).forward(seq));
        assertDTypeError("LSTM", "f64", "f32", () -> new LSTM(6, 3).forward(seq));
        assertDTypeError("GRUCell", "f64", "f32", () -> new GRUCell(6, 3).forward(seq.select(1, 0)));
        var idx = assertThrows(IllegalArgumentException.class, () -> new Embedding(5, 2).forward(seq));
        assertTrue(idx.getMessage().contains("embedding: indices must be i32 or i64, got f64")
                && idx.getMessage().contains("x.to(DType.I64)"), idx.getMessage());
        var sdpa = assertThrows(IllegalArgumentException.class, () -> Attention.scaledDotProduct(seq,
                seq.to(DType.F32), seq));
        assertTrue(sdpa.getMessage().contains("same floating-point dtype") && sdpa.getMessage().contains("f64, f32"),
                sdpa.getMessage());
        BatchNorm1d bn = new BatchNorm1d(4);
        assertThrows(IllegalArgumentException.class, () -> bn.forward(seq));
        assertEquals(0, bn.stateDict().get("num_batches_tracked").item(), "a refused input counts no batch");
    }
}
