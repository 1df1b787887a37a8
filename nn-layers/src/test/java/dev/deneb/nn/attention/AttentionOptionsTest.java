package dev.deneb.nn.attention;

import static dev.deneb.nn.OptionsAssertions.assertRejected;
import static dev.deneb.nn.OptionsAssertions.assertSetter;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The option records of the attention layers: PyTorch's defaults, setters, rejected values, layers honouring them. */
class AttentionOptionsTest {
    private final Generator g = new Generator(5);

    @Test
    void multiheadAttention() {
        MultiheadAttention.Options d = MultiheadAttention.Options.defaults();
        assertEquals(new MultiheadAttention.Options(0.0, true, 0, 0, false, Generator.global()), d);
        assertSetter(d, o -> o.dropout(0.1), MultiheadAttention.Options::dropout, 0.1);
        assertSetter(d, o -> o.bias(false), MultiheadAttention.Options::bias, false);
        assertSetter(d, o -> o.kdim(3), MultiheadAttention.Options::kdim, 3);
        assertSetter(d, o -> o.vdim(5), MultiheadAttention.Options::vdim, 5);
        assertSetter(d, o -> o.batchFirst(true), MultiheadAttention.Options::batchFirst, true);
        assertSetter(d, o -> o.generator(g), MultiheadAttention.Options::generator, g);
        MultiheadAttention.Options all = new MultiheadAttention.Options(0.1, false, 3, 5, true, g);
        assertEquals(all, d.dropout(0.1).bias(false).kdim(3).vdim(5).batchFirst(true).generator(g));
        assertEquals(all, d.generator(g).batchFirst(true).vdim(5).kdim(3).bias(false).dropout(0.1));
        assertRejected(() -> d.dropout(1.5), "MultiheadAttention.Options", "dropout", "1.5");
        assertRejected(() -> d.kdim(-1), "MultiheadAttention.Options", "kdim=-1");
        assertRejected(() -> d.generator(null), "MultiheadAttention.Options", "generator");
        assertRejected(() -> new MultiheadAttention(8, 2, null), "MultiheadAttention", "options");
        assertRejected(() -> new MultiheadAttention(0, 2), "MultiheadAttention", "embedDim=0");
        MultiheadAttention m = new MultiheadAttention(8, 2, d.kdim(3).vdim(5).bias(false).batchFirst(true));
        assertFalse(m.packed());
        assertEquals(3, m.kdim);
        assertEquals(5, m.vdim);
        assertNull(m.inProjBias);
        assertTrue(m.batchFirst);
        // the same generator seed gives the same weights
        assertArrayEquals(new MultiheadAttention(8, 2, d.generator(new Generator(1))).inProjWeight.toFloatArray(),
                new MultiheadAttention(8, 2, d.generator(new Generator(1))).inProjWeight.toFloatArray());
    }

    @Test
    void scaledDotProduct() {
        Attention.Options d = Attention.Options.defaults();
        assertEquals(new Attention.Options(false, 0.0, Generator.global()), d);
        assertSetter(d, o -> o.isCausal(true), Attention.Options::isCausal, true);
        assertSetter(d, o -> o.dropoutP(0.2), Attention.Options::dropoutP, 0.2);
        assertSetter(d, o -> o.generator(g), Attention.Options::generator, g);
        assertEquals(new Attention.Options(true, 0.2, g), d.isCausal(true).dropoutP(0.2).generator(g));
        assertEquals(new Attention.Options(true, 0.2, g), d.generator(g).dropoutP(0.2).isCausal(true));
        assertRejected(() -> d.dropoutP(-0.5), "Attention.Options", "dropoutP", "-0.5");
        assertRejected(() -> d.generator(null), "Attention.Options", "generator");
        Tensor q = g.normal(0, 1, 2, 3, 4);
        assertRejected(() -> Attention.scaledDotProduct(q, q, q, null, null), "scaledDotProduct", "options");
        Tensor a = Attention.scaledDotProduct(q, q, q).output();
        Tensor b = Attention.scaledDotProduct(q, q, q, null, d).output();
        assertArrayEquals(b.toFloatArray(), a.toFloatArray());
    }

    @Test
    void transformerDefaultsArePyTorchs() {
        TransformerOptions d = TransformerOptions.defaults();
        assertEquals(2048, d.dimFeedforward());
        assertEquals(0.1, d.dropout());
        assertEquals(TransformerActivation.RELU, d.activation());
        assertEquals(1e-5, d.layerNormEps());
        assertFalse(d.batchFirst());
        assertFalse(d.normFirst());
        assertFalse(d.finalNorm());
        assertSame(Generator.global(), d.generator());
    }

    @Test
    void transformerSettersAndBadValues() {
        TransformerOptions d = TransformerOptions.defaults();
        assertSetter(d, o -> o.dimFeedforward(16), TransformerOptions::dimFeedforward, 16);
        assertSetter(d, o -> o.dropout(0.0), TransformerOptions::dropout, 0.0);
        assertSetter(d, o -> o.activation(TransformerActivation.GELU), TransformerOptions::activation,
                TransformerActivation.GELU);
        assertSetter(d, o -> o.layerNormEps(1e-6), TransformerOptions::layerNormEps, 1e-6);
        assertSetter(d, o -> o.batchFirst(true), TransformerOptions::batchFirst, true);
        assertSetter(d, o -> o.normFirst(true), TransformerOptions::normFirst, true);
        assertSetter(d, o -> o.finalNorm(true), TransformerOptions::finalNorm, true);
        assertSetter(d, o -> o.generator(g), TransformerOptions::generator, g);
        TransformerOptions all = new TransformerOptions(16, 0.0, TransformerActivation.GELU, 1e-6, true, true, true,
                g);
        assertEquals(all, d.dimFeedforward(16).dropout(0.0).activation(TransformerActivation.GELU).layerNormEps(1e-6)
                .batchFirst(true).normFirst(true).finalNorm(true).generator(g));
        assertEquals(all, d.generator(g).finalNorm(true).normFirst(true).batchFirst(true).layerNormEps(1e-6)
                .activation(TransformerActivation.GELU).dropout(0.0).dimFeedforward(16));
        assertRejected(() -> d.dimFeedforward(0), "TransformerOptions", "dimFeedforward", "0");
        assertRejected(() -> d.dropout(2), "TransformerOptions", "dropout", "2.0");
        assertRejected(() -> d.activation(null), "TransformerOptions", "activation");
        assertRejected(() -> d.layerNormEps(-1), "TransformerOptions", "layerNormEps");
        assertRejected(() -> d.generator(null), "TransformerOptions", "generator");
    }

    @Test
    void transformerLayersHonourTheOptions() {
        TransformerOptions o = TransformerOptions.defaults().dimFeedforward(12).dropout(0.25).layerNormEps(1e-3)
                .batchFirst(true).generator(g);
        TransformerEncoderLayer enc = new TransformerEncoderLayer(8, 2, o);
        assertEquals(8, enc.dModel);
        assertEquals(2, enc.nHead);
        assertArrayEquals(new int[] {12, 8}, enc.linear1.weight.shape());
        assertEquals(0.25, enc.dropout.p);
        assertEquals(0.25, enc.selfAttn.dropout);
        assertTrue(enc.selfAttn.batchFirst);
        assertEquals(1e-3, enc.norm1.eps);
        TransformerDecoderLayer dec = new TransformerDecoderLayer(8, 4, o);
        assertEquals(4, dec.multiheadAttn.numHeads);
        assertEquals(1e-3, dec.norm3.eps);
        assertRejected(() -> new TransformerEncoderLayer(8, 2, o.finalNorm(true)), "TransformerEncoderLayer",
                "finalNorm");
        assertRejected(() -> new TransformerDecoderLayer(8, 2, o.finalNorm(true)), "TransformerDecoderLayer",
                "finalNorm");
        assertRejected(() -> new TransformerEncoderLayer(8, 3, o), "TransformerEncoderLayer", "divisible");
        assertRejected(() -> new TransformerDecoderLayer(0, 2, o), "TransformerDecoderLayer", "dModel=0");
        assertRejected(() -> new TransformerEncoderLayer(8, 2, null), "TransformerEncoderLayer", "options");

        TransformerEncoder stack = new TransformerEncoder(8, 2, 2, o.finalNorm(true));
        assertNotNull(stack.norm);
        assertEquals(1e-3, stack.norm.eps);
        assertFalse(stack.layer(1).options.finalNorm());
        assertNull(new TransformerEncoder(8, 2, 2, o).norm);
        assertNull(new TransformerDecoder(8, 2, 1, o).norm);
        assertNotNull(new TransformerDecoder(8, 2, 1, o.finalNorm(true)).norm);
        assertRejected(() -> new TransformerDecoder(8, 2, 0, o), "TransformerDecoder", "numLayers", "0");
        assertRejected(() -> new TransformerEncoder(6, 4, 1, o), "TransformerEncoder", "divisible");
    }

    @Test
    void stacksDrawTheirLayersInOrderFromTheGenerator() {
        TransformerOptions o = TransformerOptions.defaults().dimFeedforward(6).generator(new Generator(2));
        TransformerEncoder stack = new TransformerEncoder(4, 2, 2, o);
        Generator same = new Generator(2);
        TransformerOptions again = o.generator(same);
        TransformerEncoderLayer first = new TransformerEncoderLayer(4, 2, again);
        TransformerEncoderLayer second = new TransformerEncoderLayer(4, 2, again);
        assertArrayEquals(first.linear2.weight.toFloatArray(), stack.layer(0).linear2.weight.toFloatArray());
        assertArrayEquals(second.selfAttn.inProjWeight.toFloatArray(),
                stack.layer(1).selfAttn.inProjWeight.toFloatArray());
    }

    @Test
    void positionalEncodings() {
        PositionalEncodingOptions d = PositionalEncodingOptions.defaults();
        assertEquals(new PositionalEncodingOptions(0.1, false, Generator.global()), d);
        assertSetter(d, o -> o.dropout(0.0), PositionalEncodingOptions::dropout, 0.0);
        assertSetter(d, o -> o.batchFirst(true), PositionalEncodingOptions::batchFirst, true);
        assertSetter(d, o -> o.generator(g), PositionalEncodingOptions::generator, g);
        assertEquals(new PositionalEncodingOptions(0.0, true, g), d.dropout(0.0).batchFirst(true).generator(g));
        assertEquals(new PositionalEncodingOptions(0.0, true, g), d.generator(g).batchFirst(true).dropout(0.0));
        assertRejected(() -> d.dropout(-0.1), "PositionalEncodingOptions", "dropout", "-0.1");
        assertRejected(() -> d.generator(null), "PositionalEncodingOptions", "generator");
        assertRejected(() -> new SinusoidalPositionalEncoding(4, 8, null), "SinusoidalPositionalEncoding",
                "options");
        assertRejected(() -> new LearnedPositionalEncoding(4, 0), "LearnedPositionalEncoding", "maxLen");
        SinusoidalPositionalEncoding s = new SinusoidalPositionalEncoding(4, 8, d.batchFirst(true));
        assertTrue(s.batchFirst);
        assertEquals(0.1, s.dropout);
        LearnedPositionalEncoding l = new LearnedPositionalEncoding(4, 8, d.generator(new Generator(7)));
        assertArrayEquals(new Generator(7).normal(0, 0.02, 8, 4).toFloatArray(), l.weight.toFloatArray());
    }
}
