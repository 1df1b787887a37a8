package dev.deneb.nn.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.deneb.nn.Fixtures;
import dev.deneb.nn.Layer;
import dev.deneb.nn.io.SafeTensors;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Forward outputs, attention weights and the gradients of every input and parameter against PyTorch 1.13 (CPU, f32)
 * on the fixed cases of {@code attention/attention_reference.safetensors}, made by
 * {@code src/test/python/make_attention_reference.py}. PyTorch's state dict is loaded with {@code strict = true}, so
 * the parameter names must be PyTorch's. Tolerance: |deneb − torch| <= 1e-4 + 1e-4·|torch|.
 */
class AttentionParityTest {
    static final double TOL = 1e-4;
    private static final Generator G = new Generator(3);
    private static Map<String, Tensor> ref;

    record Case(Supplier<Layer> module, BiFunction<Layer, Map<String, Tensor>, Tensor[]> run) {}

    static final Map<String, Case> CASES = new LinkedHashMap<>();

    static Map<String, Tensor> masks;

    static {
        CASES.put("mha_self_packed", new Case(() -> new MultiheadAttention(8, 2,
                MultiheadAttention.Options.defaults().batchFirst(true).generator(G)), mha(true)));
        CASES.put("mha_cross_seqfirst", new Case(() -> new MultiheadAttention(8, 4,
                MultiheadAttention.Options.defaults().generator(G)), mha(false)));
        CASES.put("mha_separate_kdim_vdim", new Case(() -> new MultiheadAttention(6, 3,
                MultiheadAttention.Options.defaults().kdim(4).vdim(5).batchFirst(true).generator(G)), mha(true)));
        CASES.put("mha_nobias_qkv", new Case(() -> new MultiheadAttention(8, 2,
                MultiheadAttention.Options.defaults().bias(false).batchFirst(true).generator(G)), mha(true)));
        CASES.put("enc_post_relu", new Case(() -> new TransformerEncoderLayer(8, 2,
                opts(false, TransformerActivation.RELU, true)), AttentionParityTest::encoder));
        CASES.put("enc_pre_gelu", new Case(() -> new TransformerEncoderLayer(8, 2,
                opts(true, TransformerActivation.GELU, false)), AttentionParityTest::encoder));
        CASES.put("enc_stack", new Case(() -> new TransformerEncoder(8, 2, 2,
                opts(false, TransformerActivation.RELU, true).finalNorm(true)), AttentionParityTest::encoder));
        CASES.put("dec_post_relu", new Case(() -> new TransformerDecoderLayer(8, 2,
                opts(false, TransformerActivation.RELU, true)), AttentionParityTest::decoder));
        CASES.put("dec_pre_gelu", new Case(() -> new TransformerDecoderLayer(8, 2,
                opts(true, TransformerActivation.GELU, false)), AttentionParityTest::decoder));
        CASES.put("dec_stack", new Case(() -> new TransformerDecoder(8, 2, 2,
                opts(false, TransformerActivation.RELU, true).finalNorm(true)), AttentionParityTest::decoder));
    }

    /** For dModel 8 and 2 heads. */
    static TransformerOptions opts(boolean normFirst, TransformerActivation act, boolean batchFirst) {
        return TransformerOptions.defaults().dimFeedforward(16).dropout(0.0).activation(act).batchFirst(batchFirst)
                .normFirst(normFirst).generator(G);
    }

    static BiFunction<Layer, Map<String, Tensor>, Tensor[]> mha(boolean average) {
        return (m, in) -> {
            Tensor q = in.get("query");
            Tensor k = in.getOrDefault("key", q);
            Tensor v = in.getOrDefault("value", k);
            MultiheadAttention.Output o = ((MultiheadAttention) m).forward(q, k, v, masks.get("key_padding_mask"),
                    true, masks.get("attn_mask"), average, false);
            return new Tensor[] {o.output(), o.weights()};
        };
    }

    static Tensor[] encoder(Layer m, Map<String, Tensor> in) {
        Tensor x = in.get("x");
        Tensor mask = masks.get("mask");
        Tensor kpm = masks.get("src_key_padding_mask");
        Tensor y = m instanceof TransformerEncoder e ? e.forward(x, mask, kpm, false)
                : ((TransformerEncoderLayer) m).forward(x, mask, kpm, false);
        return new Tensor[] {y, null};
    }

    static Tensor[] decoder(Layer m, Map<String, Tensor> in) {
        Tensor t = in.get("tgt");
        Tensor mem = in.get("memory");
        Tensor y = m instanceof TransformerDecoder d
                ? d.forward(t, mem, masks.get("tgt_mask"), masks.get("memory_mask"), masks.get("tgt_key_padding_mask"),
                        masks.get("memory_key_padding_mask"), false, false)
                : ((TransformerDecoderLayer) m).forward(t, mem, masks.get("tgt_mask"), masks.get("memory_mask"),
                        masks.get("tgt_key_padding_mask"), masks.get("memory_key_padding_mask"), false, false);
        return new Tensor[] {y, null};
    }

    static synchronized Map<String, Tensor> ref() {
        if (ref == null) {
            ref = SafeTensors.load(Fixtures.resource("attention/attention_reference.safetensors")).tensors();
        }
        return ref;
    }

    static Map<String, Tensor> group(String c, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        String p = c + "." + prefix + ".";
        ref().forEach((k, v) -> {
            if (k.startsWith(p)) {
                out.put(k.substring(p.length()), v);
            }
        });
        return out;
    }

    static Stream<String> cases() {
        return CASES.keySet().stream();
    }

    @Test
    void everyReferenceCaseIsTested() {
        TreeSet<String> inFile = new TreeSet<>();
        ref().keySet().forEach(k -> inFile.add(k.substring(0, k.indexOf('.'))));
        assertEquals(inFile, new TreeSet<>(CASES.keySet()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    synchronized void matchesPyTorch(String name) {
        Case c = CASES.get(name);
        Layer m = c.module().get();
        m.loadStateDict(group(name, "state"), true);
        m.eval();
        Map<String, Tensor> in = new LinkedHashMap<>();
        group(name, "in").forEach((k, v) -> in.put(k, v.copy().requiresGrad(true)));
        masks = group(name, "mask");
        Tensor[] out = c.run().apply(m, in);
        Tensor expected = ref().get(name + ".output");
        Fixtures.assertClose(expected, out[0].detach(), TOL, TOL, name + " output");
        Tensor loss = out[0].mul(ref().get(name + ".gout")).sum();
        Tensor expectedWeights = ref().get(name + ".weights");
        if (expectedWeights != null) {
            assertNotNull(out[1], name + ": weights");
            Fixtures.assertClose(expectedWeights, out[1].detach(), TOL, TOL, name + " weights");
            loss = loss.add(out[1].mul(ref().get(name + ".gweights")).sum());
        }
        loss.backward();
        group(name, "grad.in").forEach((k, v) -> Fixtures.assertClose(v, in.get(k).grad(), TOL, TOL,
                name + " grad of input " + k));
        Map<String, Tensor> params = m.namedParameters();
        int checked = 0;
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor g = ref().get(name + ".grad." + e.getKey());
            assertNotNull(g, name + ": no reference gradient for " + e.getKey());
            assertNotNull(e.getValue().grad(), name + ": no gradient for " + e.getKey());
            Fixtures.assertClose(g, e.getValue().grad(), TOL, TOL, name + " grad of " + e.getKey());
            checked++;
        }
        assertEquals(params.size(), checked);
    }
}
