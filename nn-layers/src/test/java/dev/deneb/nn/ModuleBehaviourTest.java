package dev.deneb.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Layer mechanics: names, state dicts, modes, dropout and batch-norm behaviour, printing. */
class ModuleBehaviourTest {
    /** A PyTorch-style network with named sub-modules: features.0.weight, classifier.bias… */
    static final class Net extends Layer {
        final Sequential features;
        final Linear classifier;

        Net() {
            Generator g = new Generator(3);
            features = registerLayer("features", new Sequential(
                    new Conv2d(1, 4, 3, Conv2d.Options.defaults().generator(g)), Activation.relu(),
                    new BatchNorm2d(4), new Dropout(0.5, Dropout.Options.defaults().generator(g))));
            classifier = registerLayer("classifier", new Linear(16, 3, Linear.Options.defaults().generator(g)));
        }

        @Override
        public Tensor forward(Tensor x) {
            return classifier.forward(features.forward(x).flatten(1, -1));
        }
    }

    @Test
    void namesNestWithDotsInPyTorchOrder() {
        Net net = new Net();
        assertEquals(List.of("features.0.weight", "features.0.bias", "features.2.weight", "features.2.bias",
                "classifier.weight", "classifier.bias"), List.copyOf(net.namedParameters().keySet()));
        assertEquals(List.of("features.2.running_mean", "features.2.running_var", "features.2.num_batches_tracked"),
                List.copyOf(net.namedBuffers().keySet()));
        assertEquals(List.of("features.0.weight", "features.0.bias", "features.2.weight", "features.2.bias",
                "features.2.running_mean", "features.2.running_var", "features.2.num_batches_tracked",
                "classifier.weight", "classifier.bias"), List.copyOf(net.stateDict().keySet()));
        assertEquals(List.of("features", "classifier"), List.copyOf(net.namedChildren().keySet()));
        assertEquals(DType.I64, net.stateDict().get("features.2.num_batches_tracked").dtype());
        assertArrayEquals(new int[0], net.stateDict().get("features.2.num_batches_tracked").shape());
    }

    @Test
    void stateDictHoldsTheLiveTensors() {
        Linear l = new Linear(2, 2);
        // detached views of the parameters (as PyTorch's state_dict): writes through them reach the layer
        Tensor w = l.stateDict().get("weight");
        assertSame(l.weight.storage(), w.storage());
        assertFalse(w.requiresGrad());
        w.fill(0.25);
        assertEquals(0.25, l.weight.get(1, 0));
        assertEquals(List.of(l.weight, l.bias), l.parameters());
    }

    @Test
    void badNamesAreRejected() {
        class Bad extends Layer {
            Bad(String name) {
                registerParameter(name, Tensor.ones(1));
                registerParameter("w", Tensor.ones(1));
            }

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        }
        IllegalArgumentException dot = assertThrows(IllegalArgumentException.class, () -> new Bad("a.b"));
        assertTrue(dot.getMessage().contains("'a.b'"), dot.getMessage());
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> new Bad("w"));
        assertTrue(dup.getMessage().contains("'w' is already registered"), dup.getMessage());
    }

    @Test
    void strictLoadRejectsMissingAndUnexpectedKeysAndNamesThem() {
        Net net = new Net();
        Map<String, Tensor> state = new LinkedHashMap<>(new Net().stateDict());
        state.remove("classifier.bias");
        state.put("classifier.extra", Tensor.ones(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(state, true));
        assertTrue(e.getMessage().contains("missing keys [classifier.bias]"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected keys [classifier.extra]"), e.getMessage());
    }

    @Test
    void nonStrictLoadCopiesWhatMatchesAndReportsTheRest() {
        Net target = new Net();
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("classifier.weight", Tensor.full(0.5, 3, 16));
        state.put("features.0.bias", Tensor.of(new double[] {1, 2, 3, 4})); // f64 converts to the parameter's f32
        state.put("head.weight", Tensor.ones(2));
        Layer.LoadResult r = target.loadStateDict(state, false);
        assertEquals(List.of("head.weight"), r.unexpectedKeys());
        assertEquals(List.of("features.0.weight", "features.2.weight", "features.2.bias", "features.2.running_mean",
                "features.2.running_var", "features.2.num_batches_tracked", "classifier.bias"), r.missingKeys());
        assertArrayEquals(Tensor.full(0.5, 3, 16).toFloatArray(), target.classifier.weight.toFloatArray());
        assertEquals(DType.F32, target.stateDict().get("features.0.bias").dtype());
        assertArrayEquals(new float[] {1, 2, 3, 4}, target.stateDict().get("features.0.bias").toFloatArray());
    }

    @Test
    void shapeMismatchNamesTheKeyAndBothShapesAndLoadsNothing() {
        Net target = new Net();
        float[] before = target.classifier.bias.toFloatArray();
        Map<String, Tensor> state = new LinkedHashMap<>(new Net().stateDict());
        state.put("classifier.bias", Tensor.ones(3)); // would be loaded if the check were per key
        state.put("features.0.weight", Tensor.ones(4, 1, 5, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> target.loadStateDict(state, false));
        assertTrue(e.getMessage().contains("'features.0.weight' has shape [4, 1, 5, 5] in the state dict, but the"
                + " model expects [4, 1, 3, 3]"), e.getMessage());
        assertArrayEquals(before, target.classifier.bias.toFloatArray(), "nothing loaded on error");
    }

    @Test
    void trainAndEvalPropagateToEveryDescendant() {
        Net net = new Net();
        assertTrue(net.isTraining());
        net.eval();
        assertFalse(net.isTraining());
        assertFalse(net.features.isTraining());
        assertFalse(net.features.get(3).isTraining());
        assertFalse(net.classifier.isTraining());
        net.train();
        assertTrue(net.features.get(2).isTraining());
        assertSame(net, net.train(false));
        assertFalse(net.features.get(2).isTraining());
    }

    @Test
    void dropoutIsTheIdentityInEval() {
        Dropout d = new Dropout(0.7, Dropout.Options.defaults().generator(new Generator(1)));
        d.eval();
        Tensor x = (new Generator(2).normal(0, 1, 5, 7)).requiresGrad(true);
        Tensor y = d.forward(x);
        assertArrayEquals(x.toFloatArray(), y.toFloatArray());
        y.sum().backward();
        assertArrayEquals(Tensor.ones(5, 7).toFloatArray(), x.grad().toFloatArray());
    }

    @Test
    void dropoutInTrainZeroesAboutPAndScalesTheRestByOneOverOneMinusP() {
        double p = 0.25;
        Dropout d = new Dropout(p, Dropout.Options.defaults().generator(new Generator(11)));
        Tensor x = Tensor.full(2.0, 200, 100).requiresGrad(true);
        Tensor y = d.forward(x);
        float[] v = y.toFloatArray();
        float kept = (float) (2.0 / (1 - p));
        int zeros = 0;
        double sum = 0;
        for (float f : v) {
            assertTrue(f == 0f || Math.abs(f - kept) < 1e-6, "each element is 0 or x/(1-p), got " + f);
            zeros += f == 0f ? 1 : 0;
            sum += f;
        }
        assertEquals(p, zeros / (double) v.length, 0.015, "fraction dropped");
        assertEquals(2.0, sum / v.length, 0.03, "expectation preserved");
        y.sum().backward();
        float[] g = x.grad().toFloatArray();
        for (int i = 0; i < v.length; i++) {
            assertEquals(v[i] == 0f ? 0f : (float) (1 / (1 - p)), g[i], 1e-6f, "gradient uses the same mask");
        }
        assertArrayEquals(x.toFloatArray(), new Dropout(0.0).forward(x).toFloatArray(), "p = 0");
        assertArrayEquals(new float[v.length], new Dropout(1.0).forward(x).toFloatArray(), "p = 1");
    }

    @Test
    void batchNormEvalUsesRunningStatisticsAndLeavesThemAlone() {
        BatchNorm1d bn = new BatchNorm1d(2);
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("weight", Tensor.of(new float[] {2f, 0.5f}));
        state.put("bias", Tensor.of(new float[] {0.1f, -1f}));
        state.put("running_mean", Tensor.of(new float[] {1f, -3f}));
        state.put("running_var", Tensor.of(new float[] {4f, 0.25f}));
        state.put("num_batches_tracked", Tensor.scalar(5, DType.I64));
        bn.loadStateDict(state, true);
        bn.eval();
        Tensor x = Tensor.of(new float[] {3f, -2f, -1f, 0f, 5f, -3f}, 3, 2);
        float[] y = bn.forward(x).toFloatArray();
        float[] xs = x.toFloatArray();
        for (int i = 0; i < 6; i++) {
            int c = i % 2;
            double mean = c == 0 ? 1 : -3;
            double var = c == 0 ? 4 : 0.25;
            double w = c == 0 ? 2 : 0.5;
            double b = c == 0 ? 0.1 : -1;
            assertEquals((xs[i] - mean) / Math.sqrt(var + 1e-5) * w + b, y[i], 1e-5, "element " + i);
        }
        assertArrayEquals(new float[] {1f, -3f}, bn.stateDict().get("running_mean").toFloatArray());
        assertArrayEquals(new float[] {4f, 0.25f}, bn.stateDict().get("running_var").toFloatArray());
        assertEquals(5, bn.stateDict().get("num_batches_tracked").item());

        bn.train();
        bn.forward(x);
        assertEquals(6, bn.stateDict().get("num_batches_tracked").item(), "training counts batches");
        assertFalse(bn.stateDict().get("running_mean").get(0) == 1f, "training moves the running mean");
    }

    @Test
    void parameterCountAndSummaryListEveryParameter() {
        Net net = new Net();
        long expected = 4 * 9 + 4 + 4 + 4 + 3 * 16 + 3;
        assertEquals(expected, net.parameterCount());
        String s = net.summary();
        for (Map.Entry<String, Tensor> e : net.namedParameters().entrySet()) {
            assertTrue(s.contains(e.getKey()), "summary names " + e.getKey() + ":\n" + s);
        }
        assertTrue(s.contains("[4, 1, 3, 3]") && s.contains("[3, 16]"), s);
        assertTrue(s.lines().anyMatch(l -> l.startsWith("classifier.weight") && l.trim().endsWith("48")), s);
        assertTrue(s.contains("total: " + expected + " parameters in 6 tensors"), s);
        assertTrue(s.contains("(features): Sequential("), s);
        assertTrue(net.toString().contains("(classifier): Linear(in=16, out=3)"), net.toString());
    }

    @Test
    void zeroGradClearsEveryGradient() {
        Net net = new Net();
        net.forward((new Generator(1).normal(0, 1, 2, 1, 4, 4))).sum().backward();
        assertTrue(net.parameters().stream().allMatch(p -> p.grad() != null));
        net.zeroGrad();
        for (Tensor p : net.parameters()) {
            assertNull(p.grad());
        }
    }
}
