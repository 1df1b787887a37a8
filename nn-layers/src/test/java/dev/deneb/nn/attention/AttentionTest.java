package dev.deneb.nn.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.nn.Fixtures;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Gradient checks, masks, shapes, names and bad input for the attention layers. */
class AttentionTest {
    private final Generator g = new Generator(11);

    private Tensor randn64(int... shape) {
        return g.normal(0, 1, shape).to(DType.F64);
    }

    /** dModel 4, 2 heads. */
    private TransformerOptions small(boolean normFirst, TransformerActivation act, boolean batchFirst) {
        return TransformerOptions.defaults().dimFeedforward(6).dropout(0.0).activation(act).batchFirst(batchFirst)
                .normFirst(normFirst).generator(g);
    }

    // ---- scaled dot-product attention ----

    @Test
    void scaledDotProductGradientsWithMasks() {
        Tensor bool = Tensor.of(new boolean[] {false, true, false, false, false, false, true, false, false, false,
            false, true}, 3, 4);
        ModuleGradCheck.inputs(in -> Attention.scaledDotProduct(in.get(0), in.get(1), in.get(2), bool,
                Attention.Options.defaults().generator(g)).output(), randn64(2, 3, 5), randn64(2, 4, 5),
                randn64(2, 4, 3));
        Tensor additive = randn64(3, 4);
        ModuleGradCheck.inputs(in -> Attention.scaledDotProduct(in.get(0), in.get(1), in.get(2), additive,
                Attention.Options.defaults().isCausal(true).generator(g)).output(), randn64(2, 3, 5),
                randn64(2, 4, 5), randn64(2, 4, 3));
    }

    @Test
    void causalFlagEqualsExplicitMask() {
        Tensor q = randn64(2, 5, 4);
        Tensor k = randn64(2, 5, 4);
        Tensor v = randn64(2, 5, 3);
        Tensor a = Attention.scaledDotProduct(q, k, v, Attention.Options.defaults().isCausal(true))
                .output().detach();
        boolean[] m = new boolean[25];
        for (int i = 0; i < 5; i++) {
            for (int j = i + 1; j < 5; j++) {
                m[i * 5 + j] = true;
            }
        }
        Tensor b = Attention.scaledDotProduct(q, k, v, Tensor.of(m, 5, 5), Attention.Options.defaults())
                .output().detach();
        Fixtures.assertClose(b, a, 1e-12, 1e-12, "causal");
        // the first query sees only the first key
        Fixtures.assertClose(v.detach().narrow(1, 0, 1), a.narrow(1, 0, 1), 1e-12, 1e-12, "first row");
    }

    @Test
    void attentionDropoutOnlyWhileTraining() {
        Tensor q = randn64(1, 6, 4);
        // as in PyTorch, the layer passes dropoutP 0 when not training
        var eval = Attention.scaledDotProduct(q, q, q, Attention.Options.defaults().dropoutP(0).generator(g));
        var train = Attention.scaledDotProduct(q, q, q, Attention.Options.defaults().dropoutP(0.5).generator(g));
        double[] w = train.weights().toDoubleArray();
        long zeros = java.util.Arrays.stream(w).filter(x -> x == 0).count();
        assertTrue(zeros > 0 && zeros < w.length, "some weights dropped");
        Fixtures.assertClose(eval.weights().detach().sum(new int[] {-1}, false), Tensor.ones(DType.F64, 1, 6), 1e-12,
                1e-12, "eval rows sum to 1");
        // the layer drops attention weights in train mode only
        MultiheadAttention m = new MultiheadAttention(4, 2, MultiheadAttention.Options.defaults().dropout(0.5)
                .batchFirst(true).generator(g));
        Tensor x = g.normal(0, 1, 1, 6, 4);
        double[] trained = m.forward(x, x, x, null, true, null, false, false).weights().toDoubleArray();
        long dropped = java.util.Arrays.stream(trained).filter(v -> v == 0).count();
        assertTrue(dropped > 0 && dropped < trained.length, "some weights dropped while training");
        m.eval();
        Fixtures.assertClose(m.forward(x, x, x).weights().detach().sum(new int[] {-1}, false), Tensor.ones(1, 6),
                1e-6, 1e-6, "eval rows sum to 1");
    }

    // ---- MultiheadAttention ----

    @Test
    void pytorchParameterNames() {
        assertEquals(List.of("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"),
                List.copyOf(new MultiheadAttention(8, 2).namedParameters().keySet()));
        assertEquals(List.of("q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias", "out_proj.weight",
                "out_proj.bias"), List.copyOf(new MultiheadAttention(8, 2, MultiheadAttention.Options.defaults()
                .kdim(3).vdim(5).generator(g)).namedParameters().keySet()));
        Set<String> enc = new TransformerEncoderLayer(4, 2, small(false, TransformerActivation.RELU, true))
                .namedParameters().keySet();
        assertEquals(Set.of("self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight",
                "self_attn.out_proj.bias", "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias",
                "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"), enc);
        Set<String> dec = new TransformerDecoder(4, 2, 2, small(false, TransformerActivation.RELU, true)
                .finalNorm(true))
                .namedParameters().keySet();
        assertTrue(dec.contains("layers.1.multihead_attn.in_proj_weight") && dec.contains("layers.0.norm3.bias")
                && dec.contains("norm.weight"), dec.toString());
    }

    @Test
    void multiheadGradientsPackedWithMasks() {
        MultiheadAttention m = new MultiheadAttention(4, 2,
                MultiheadAttention.Options.defaults().batchFirst(true).generator(g));
        m.to(DType.F64);
        Tensor kpm = Tensor.of(new boolean[] {false, false, true, false, false, false}, 2, 3);
        Tensor am = randn64(3, 3);
        Tensor x = randn64(2, 3, 4);
        ModuleGradCheck.inputs(in -> m.forward(in.get(0), in.get(0), in.get(0), kpm, false, am, true, false)
                .output(), x);
        ModuleGradCheck.parameters(m, () -> {
            Tensor xv = x;
            var o = m.forward(xv, xv, xv, kpm, true, am, false, false);
            return ModuleGradCheck.weightedSum(o.output()).add(ModuleGradCheck.weightedSum(o.weights()));
        }, 12);
    }

    @Test
    void multiheadGradientsSeparateProjections() {
        MultiheadAttention m = new MultiheadAttention(4, 2,
                MultiheadAttention.Options.defaults().kdim(3).vdim(2).generator(g));
        m.to(DType.F64);
        Tensor q = randn64(2, 2, 4);
        Tensor k = randn64(3, 2, 3);
        Tensor v = randn64(3, 2, 2);
        ModuleGradCheck.inputs(in -> m.forward(in.get(0), in.get(1), in.get(2)).output(), q, k, v);
        ModuleGradCheck.parameters(m, () -> ModuleGradCheck.weightedSum(
                m.forward(q, k, v).output()), 12);
    }

    @Test
    void weightsAveragedOrPerHeadAndUnbatched() {
        MultiheadAttention m = new MultiheadAttention(8, 4,
                MultiheadAttention.Options.defaults().batchFirst(true).generator(g));
        Tensor x = g.normal(0, 1, 3, 5, 8);
        var avg = m.forward(x, x, x, null, true, null, true, false);
        var per = m.forward(x, x, x, null, true, null, false, false);
        assertArrayEquals(new int[] {3, 5, 5}, avg.weights().shape());
        assertArrayEquals(new int[] {3, 4, 5, 5}, per.weights().shape());
        Fixtures.assertClose(avg.weights().detach(), per.weights().detach().mean(1), 1e-6, 1e-6, "average");
        var single = m.forward(x.select(0, 1), x.select(0, 1), x.select(0, 1));
        assertArrayEquals(new int[] {5, 8}, single.output().shape());
        Fixtures.assertClose(avg.output().detach().select(0, 1), single.output().detach(), 1e-5, 1e-5, "unbatched");
    }

    @Test
    void keyPaddingHidesKeys() {
        MultiheadAttention m = new MultiheadAttention(4, 2,
                MultiheadAttention.Options.defaults().batchFirst(true).generator(g));
        Tensor q = g.normal(0, 1, 1, 2, 4);
        Tensor k = g.normal(0, 1, 1, 4, 4);
        Tensor kpm = Tensor.of(new boolean[] {false, false, true, true}, 1, 4);
        var full = m.forward(q, k, k, kpm, true, null, true, false);
        var cut = m.forward(q, k.narrow(1, 0, 2), k.narrow(1, 0, 2), null, true, null, true, false);
        Fixtures.assertClose(cut.output().detach(), full.output().detach(), 1e-5, 1e-6, "padding = shorter keys");
        assertEquals(0.0, full.weights().detach().narrow(2, 2, 2).abs().sum().item(), 0.0);
    }

    // ---- encoder / decoder ----

    @Test
    void encoderLayerGradients() {
        for (boolean normFirst : new boolean[] {false, true}) {
            TransformerEncoderLayer layer = new TransformerEncoderLayer(4, 2, small(normFirst,
                    TransformerActivation.GELU, true));
            layer.to(DType.F64);
            Tensor x = randn64(2, 3, 4);
            Tensor kpm = Tensor.of(new boolean[] {false, false, false, false, true, false}, 2, 3);
            ModuleGradCheck.inputs(in -> layer.forward(in.get(0), kpm), x);
            ModuleGradCheck.parameters(layer, () -> ModuleGradCheck.weightedSum(layer.forward(x, null,
                    kpm, true)), 8);
        }
    }

    @Test
    void decoderLayerGradients() {
        for (boolean normFirst : new boolean[] {false, true}) {
            TransformerDecoderLayer layer = new TransformerDecoderLayer(4, 2, small(normFirst,
                    TransformerActivation.GELU, false));
            layer.to(DType.F64);
            Tensor t = randn64(3, 2, 4);
            Tensor mem = randn64(4, 2, 4);
            Tensor mkpm = Tensor.of(new boolean[] {false, false, true, false, false, false, false, true}, 2, 4);
            ModuleGradCheck.inputs(in -> layer.forward(in.get(0), in.get(1), null, null, null, mkpm, true, false),
                    t, mem);
            ModuleGradCheck.parameters(layer, () -> ModuleGradCheck.weightedSum(layer.forward(t,
                    mem, null, null, null, mkpm, true, false)), 6);
        }
    }

    @Test
    void encoderStackShapesAndTrainMode() {
        TransformerEncoder enc = new TransformerEncoder(8, 2, 3, TransformerOptions.defaults().dimFeedforward(16)
                .dropout(0.1).batchFirst(true).normFirst(true).finalNorm(true).generator(g));
        Tensor x = g.normal(0, 1, 2, 7, 8);
        assertArrayEquals(new int[] {2, 7, 8}, enc.forward(x).shape());
        enc.eval();
        Fixtures.assertClose(enc.forward(x).detach(), enc.forward(x).detach(), 0, 0, "eval is deterministic");
        assertEquals(3, enc.numLayers());
    }

    @Test
    void positionalEncodings() {
        Tensor pe = SinusoidalPositionalEncoding.table(10, 6);
        assertEquals(Math.sin(3), pe.get(3, 0), 1e-6);
        assertEquals(Math.cos(3 / Math.pow(10000, 2.0 / 6)), pe.get(3, 3), 1e-6);
        SinusoidalPositionalEncoding s = new SinusoidalPositionalEncoding(6, 10,
                PositionalEncodingOptions.defaults().dropout(0).batchFirst(true));
        Tensor x = Tensor.zeros(2, 4, 6);
        Fixtures.assertClose(pe.narrow(0, 0, 4), s.forward(x).detach().select(0, 1), 0, 1e-7, "added");
        assertTrue(s.namedParameters().isEmpty());
        LearnedPositionalEncoding l = new LearnedPositionalEncoding(4, 5,
                PositionalEncodingOptions.defaults().dropout(0).generator(g));
        Tensor y = l.forward(Tensor.zeros(3, 2, 4));
        y.sum().backward();
        assertEquals(24.0, l.weight.grad().sum().item(), 1e-6);  // 3 positions x 4 features x batch 2
        assertEquals(0.0, l.weight.grad().narrow(0, 3, 2).abs().sum().item(), 0);
        assertThrows(IllegalArgumentException.class, () -> l.forward(Tensor.zeros(6, 1, 4)));
    }

    // ---- bad input ----

    @Test
    void badInputIsAClearError() {
        var e = assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(10, 3));
        assertTrue(e.getMessage().contains("divisible"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TransformerEncoderLayer(10, 4,
                TransformerOptions.defaults().dimFeedforward(16).dropout(0).batchFirst(true)));
        assertTrue(e.getMessage().contains("TransformerEncoderLayer") && e.getMessage().contains("divisible"),
                e.getMessage());
        MultiheadAttention m = new MultiheadAttention(8, 2,
                MultiheadAttention.Options.defaults().batchFirst(true).generator(g));
        Tensor x = Tensor.zeros(2, 3, 8);
        e = assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.zeros(2, 3, 6)));
        assertTrue(e.getMessage().contains("embedDim"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> m.forward(x, x, x, Tensor.zeros(DType.BOOL, 2, 4), false, null, true, false));
        assertTrue(e.getMessage().contains("keyPaddingMask"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> m.forward(x, x, x, null, false, Tensor.zeros(DType.BOOL, 3, 4), true, false));
        assertTrue(e.getMessage().contains("attnMask"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> m.forward(x, x, x, null, false, Tensor.zeros(DType.I64, 3, 3), true, false));
        assertTrue(e.getMessage().contains("bool or floating"), e.getMessage());
        Tensor empty = Tensor.zeros(2, 0, 8);
        e = assertThrows(IllegalArgumentException.class, () -> m.forward(empty));
        assertTrue(e.getMessage().contains("length 0"), e.getMessage());
        TransformerEncoderLayer layer = new TransformerEncoderLayer(4, 2,
                small(false, TransformerActivation.RELU, true));
        assertThrows(IllegalArgumentException.class, () -> layer.forward(Tensor.zeros(2, 0, 4)));
        assertThrows(IllegalArgumentException.class, () -> layer.forward(Tensor.zeros(2, 3, 5)));
        assertThrows(IllegalArgumentException.class,
                () -> layer.forward(Tensor.zeros(2, 3, 4), Tensor.zeros(DType.BOOL, 3, 2)));
        assertThrows(IllegalArgumentException.class, () -> Attention.scaledDotProduct(Tensor.zeros(2, 3),
                Tensor.zeros(4, 3), Tensor.zeros(4, 2), Tensor.zeros(DType.BOOL, 3, 3),
                Attention.Options.defaults()));
        assertThrows(IllegalArgumentException.class, () -> TransformerActivation.parse("tanh"));
    }
}
