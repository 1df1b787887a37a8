package dev.deneb.nn;

import static dev.deneb.nn.OptionsAssertions.assertRejected;
import static dev.deneb.nn.OptionsAssertions.assertSetter;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.nn.Losses.BceOptions;
import dev.deneb.nn.Losses.CrossEntropyOptions;
import dev.deneb.nn.Losses.NllOptions;
import dev.deneb.nn.Losses.Reduction;
import dev.deneb.tensor.ConvOptions;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.PoolOptions;
import dev.deneb.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The option records of the core layers and the losses: PyTorch's defaults, setters that return a new record and
 * change one value, bad values rejected with a message, and the layers honouring what they are given.
 */
class LayerOptionsTest {
    private final Generator g = new Generator(3);

    @Test
    void linear() {
        Linear.Options d = Linear.Options.defaults();
        assertTrue(d.bias());
        assertSame(Generator.global(), d.generator());
        assertSetter(d, o -> o.bias(false), Linear.Options::bias, false);
        assertSetter(d, o -> o.generator(g), Linear.Options::generator, g);
        assertEquals(new Linear.Options(false, g), d.bias(false).generator(g));
        assertEquals(new Linear.Options(false, g), d.generator(g).bias(false));
        assertRejected(() -> d.generator(null), "Linear.Options", "generator");
        assertRejected(() -> new Linear(2, 3, null), "Linear", "options");
        assertNull(new Linear(2, 3, d.bias(false)).bias);
        // the generator in the options draws the weights, in PyTorch's order: weight, then bias
        Linear l = new Linear(4, 3, d.generator(new Generator(5)));
        Generator same = new Generator(5);
        assertArrayEquals(Init.kaimingUniform(same, Math.sqrt(5), Init.FanMode.FAN_IN, 3, 4).toFloatArray(),
                l.weight.toFloatArray());
        assertArrayEquals(Init.uniform(same, -0.5, 0.5, 3).toFloatArray(), l.bias.toFloatArray());
    }

    @Test
    void conv1d() {
        Conv1d.Options d = Conv1d.Options.defaults();
        assertEquals(new Conv1d.Options(1, 0, 1, 1, true, Generator.global()), d);
        assertSetter(d, o -> o.stride(2), Conv1d.Options::stride, 2);
        assertSetter(d, o -> o.padding(3), Conv1d.Options::padding, 3);
        assertSetter(d, o -> o.dilation(2), Conv1d.Options::dilation, 2);
        assertSetter(d, o -> o.groups(4), Conv1d.Options::groups, 4);
        assertSetter(d, o -> o.bias(false), Conv1d.Options::bias, false);
        assertSetter(d, o -> o.generator(g), Conv1d.Options::generator, g);
        assertEquals(ConvOptions.of(2, 1, 3, 1), d.stride(2).padding(1).dilation(3).geometry());
        Conv1d.Options all = new Conv1d.Options(2, 3, 4, 5, false, g);
        assertEquals(all, d.stride(2).padding(3).dilation(4).groups(5).bias(false).generator(g));
        assertEquals(all, d.generator(g).bias(false).groups(5).dilation(4).padding(3).stride(2));
        assertRejected(() -> d.stride(0), "Conv1d.Options", "stride=0");
        assertRejected(() -> d.padding(-1), "Conv1d.Options", "padding=-1");
        assertRejected(() -> d.dilation(0), "Conv1d.Options", "dilation=0");
        assertRejected(() -> d.groups(0), "Conv1d.Options", "groups=0");
        assertRejected(() -> d.generator(null), "Conv1d.Options", "generator");
        assertRejected(() -> new Conv1d(2, 3, 3, null), "Conv1d", "options");
        Conv1d c = new Conv1d(4, 6, 3, d.stride(2).padding(1).groups(2).bias(false));
        assertEquals(2, c.stride);
        assertEquals(1, c.padding);
        assertArrayEquals(new int[] {6, 2, 3}, c.weight.shape());
        assertNull(c.bias);
        assertArrayEquals(new int[] {1, 6, 4}, c.forward(Tensor.zeros(1, 4, 8)).shape());
    }

    @Test
    void conv2d() {
        Conv2d.Options d = Conv2d.Options.defaults();
        assertEquals(ConvOptions.defaults(), d.geometry());
        assertTrue(d.bias());
        assertSame(Generator.global(), d.generator());
        assertSetter(d, o -> o.stride(2), Conv2d.Options::geometry, ConvOptions.defaults().stride(2));
        assertSetter(d, o -> o.stride(2, 1), Conv2d.Options::geometry, ConvOptions.defaults().stride(2, 1));
        assertSetter(d, o -> o.padding(1), Conv2d.Options::geometry, ConvOptions.defaults().padding(1));
        assertSetter(d, o -> o.padding(1, 2), Conv2d.Options::geometry, ConvOptions.defaults().padding(1, 2));
        assertSetter(d, o -> o.dilation(2), Conv2d.Options::geometry, ConvOptions.defaults().dilation(2));
        assertSetter(d, o -> o.dilation(2, 3), Conv2d.Options::geometry, ConvOptions.defaults().dilation(2, 3));
        assertSetter(d, o -> o.groups(2), Conv2d.Options::geometry, ConvOptions.defaults().groups(2));
        assertSetter(d, o -> o.geometry(ConvOptions.of(2, 1, 1, 1)), Conv2d.Options::geometry,
                ConvOptions.of(2, 1, 1, 1));
        assertSetter(d, o -> o.bias(false), Conv2d.Options::bias, false);
        assertSetter(d, o -> o.generator(g), Conv2d.Options::generator, g);
        Conv2d.Options all = new Conv2d.Options(new ConvOptions(2, 3, 4, 5, 6, 7, 8), false, g);
        assertEquals(all, d.stride(2, 3).padding(4, 5).dilation(6, 7).groups(8).bias(false).generator(g));
        assertEquals(all, d.generator(g).bias(false).groups(8).dilation(6, 7).padding(4, 5).stride(2, 3));
        assertRejected(() -> d.stride(0), "ConvOptions", "stride");
        assertRejected(() -> d.geometry(null), "Conv2d.Options", "geometry");
        assertRejected(() -> d.generator(null), "Conv2d.Options", "generator");
        assertRejected(() -> new Conv2d(2, 3, 3, null), "Conv2d", "options");
        Conv2d c = new Conv2d(2, 4, 3, 5, d.stride(2).padding(1, 2).bias(false));
        assertArrayEquals(new int[] {4, 2, 3, 5}, c.weight.shape());
        assertNull(c.bias);
        assertArrayEquals(new int[] {1, 4, 4, 4}, c.forward(Tensor.zeros(1, 2, 8, 8)).shape());
    }

    @Test
    void layerNorm() {
        LayerNorm.Options d = LayerNorm.Options.defaults();
        assertEquals(new LayerNorm.Options(1e-5, true, true), d);
        assertSetter(d, o -> o.eps(1e-6), LayerNorm.Options::eps, 1e-6);
        assertSetter(d, o -> o.elementwiseAffine(false), LayerNorm.Options::elementwiseAffine, false);
        assertSetter(d, o -> o.bias(false), LayerNorm.Options::bias, false);
        assertEquals(new LayerNorm.Options(1e-3, false, false), d.eps(1e-3).elementwiseAffine(false).bias(false));
        assertEquals(new LayerNorm.Options(1e-3, false, false), d.bias(false).elementwiseAffine(false).eps(1e-3));
        assertRejected(() -> d.eps(-1e-5), "LayerNorm.Options", "eps", "-1.0E-5");
        assertRejected(() -> d.eps(Double.NaN), "LayerNorm.Options", "eps", "NaN");
        assertRejected(() -> new LayerNorm(new int[0], d), "LayerNorm", "normalizedShape", "[]");
        assertRejected(() -> new LayerNorm(new int[] {4, 0}, d), "LayerNorm", "[4, 0]");
        assertRejected(() -> new LayerNorm(4, null), "LayerNorm", "options");
        LayerNorm plain = new LayerNorm(4, d.elementwiseAffine(false));
        assertNull(plain.weight);
        assertNull(plain.bias);
        assertTrue(plain.parameters().isEmpty());
        LayerNorm noBias = new LayerNorm(new int[] {2, 3}, d.bias(false).eps(1e-3));
        assertNotNull(noBias.weight);
        assertNull(noBias.bias);
        assertEquals(1e-3, noBias.eps);
    }

    @Test
    void batchNorm() {
        BatchNorm.Options d = BatchNorm1d.Options.defaults();
        assertEquals(new BatchNorm.Options(1e-5, 0.1, true), d);
        assertSetter(d, o -> o.eps(1e-3), BatchNorm.Options::eps, 1e-3);
        assertSetter(d, o -> o.momentum(0.01), BatchNorm.Options::momentum, 0.01);
        assertSetter(d, o -> o.affine(false), BatchNorm.Options::affine, false);
        assertEquals(new BatchNorm.Options(1e-3, 0.2, false), d.eps(1e-3).momentum(0.2).affine(false));
        assertEquals(new BatchNorm.Options(1e-3, 0.2, false), d.affine(false).momentum(0.2).eps(1e-3));
        assertRejected(() -> d.eps(0), "BatchNorm.Options", "eps", "0.0");
        assertRejected(() -> d.momentum(1.5), "BatchNorm.Options", "momentum", "1.5");
        assertRejected(() -> d.momentum(Double.NaN), "BatchNorm.Options", "momentum", "NaN");
        assertRejected(() -> new BatchNorm2d(3, null), "BatchNorm2d", "options");
        BatchNorm2d bn = new BatchNorm2d(3, d.momentum(0.3).affine(false));
        assertEquals(0.3, bn.momentum);
        assertTrue(bn.parameters().isEmpty());
        assertEquals(3, bn.namedBuffers().size());
    }

    @Test
    void embeddingAndDropout() {
        assertSame(Generator.global(), Embedding.Options.defaults().generator());
        assertSetter(Embedding.Options.defaults(), o -> o.generator(g), Embedding.Options::generator, g);
        assertRejected(() -> Embedding.Options.defaults().generator(null), "Embedding.Options", "generator");
        assertArrayEquals(new Generator(9).normal(0, 1, 5, 2).toFloatArray(),
                new Embedding(5, 2, Embedding.Options.defaults().generator(new Generator(9))).weight.toFloatArray());

        assertEquals(0.5, new Dropout().p);
        assertSame(Generator.global(), Dropout.Options.defaults().generator());
        assertSetter(Dropout.Options.defaults(), o -> o.generator(g), Dropout.Options::generator, g);
        assertRejected(() -> Dropout.Options.defaults().generator(null), "Dropout.Options", "generator");
        assertRejected(() -> new Dropout(Double.NaN), "Dropout", "NaN");
        assertRejected(() -> new Dropout(0.5, null), "Dropout", "options");
        Tensor x = Tensor.ones(64);
        float[] a = new Dropout(0.5, Dropout.Options.defaults().generator(new Generator(4))).forward(x).toFloatArray();
        float[] b = new Dropout(0.5, Dropout.Options.defaults().generator(new Generator(4))).forward(x).toFloatArray();
        assertArrayEquals(a, b, "the same generator seed drops the same elements");
    }

    @Test
    void pools() {
        MaxPool1d p = new MaxPool1d(PoolOptions.of(3).stride(2).padding(1));
        assertEquals(PoolOptions.of(3, 2, 1), p.options);
        assertEquals(PoolOptions.of(2), new MaxPool1d(2).options);
        assertArrayEquals(new int[] {1, 1, 4}, p.forward(Tensor.zeros(1, 1, 8)).shape());
        assertRejected(() -> new MaxPool1d(null), "MaxPool1d", "options");
        assertRejected(() -> new MaxPool2d(null), "MaxPool2d", "options");
        assertRejected(() -> new AvgPool2d(null), "AvgPool2d", "options");
    }

    @Test
    void crossEntropyOptions() {
        CrossEntropyOptions d = CrossEntropyOptions.defaults();
        assertEquals(new CrossEntropyOptions(null, -100, 0.0, Reduction.MEAN), d);
        Tensor w = Tensor.ones(3);
        assertSetter(d, o -> o.weight(w), CrossEntropyOptions::weight, w);
        assertSetter(d, o -> o.ignoreIndex(2), CrossEntropyOptions::ignoreIndex, 2L);
        assertSetter(d, o -> o.labelSmoothing(0.1), CrossEntropyOptions::labelSmoothing, 0.1);
        assertSetter(d, o -> o.reduction(Reduction.SUM), CrossEntropyOptions::reduction, Reduction.SUM);
        CrossEntropyOptions all = new CrossEntropyOptions(w, 2, 0.1, Reduction.SUM);
        assertEquals(all, d.weight(w).ignoreIndex(2).labelSmoothing(0.1).reduction(Reduction.SUM));
        assertEquals(all, d.reduction(Reduction.SUM).labelSmoothing(0.1).ignoreIndex(2).weight(w));
        assertRejected(() -> d.labelSmoothing(-0.1), "crossEntropy", "labelSmoothing", "-0.1");
        assertRejected(() -> d.reduction(null), "crossEntropy", "reduction");
    }

    @Test
    void nllOptions() {
        NllOptions d = NllOptions.defaults();
        assertEquals(new NllOptions(null, -100, Reduction.MEAN), d);
        Tensor w = Tensor.ones(3);
        assertSetter(d, o -> o.weight(w), NllOptions::weight, w);
        assertSetter(d, o -> o.ignoreIndex(1), NllOptions::ignoreIndex, 1L);
        assertSetter(d, o -> o.reduction(Reduction.NONE), NllOptions::reduction, Reduction.NONE);
        assertEquals(new NllOptions(w, 1, Reduction.NONE), d.weight(w).ignoreIndex(1).reduction(Reduction.NONE));
        assertEquals(new NllOptions(w, 1, Reduction.NONE), d.reduction(Reduction.NONE).ignoreIndex(1).weight(w));
        assertRejected(() -> d.reduction(null), "nll", "reduction");
        assertRejected(() -> Losses.nll(Tensor.zeros(2, 3), Tensor.of(new long[] {0, 1}), null), "nll", "options");
        // ignoreIndex 1 leaves only the first row, whose loss is -logProb[0, 0]
        Tensor logProbs = Tensor.of(new float[] {-1, -2, -3, -4, -5, -6}, 2, 3);
        assertEquals(1.0, Losses.nll(logProbs, Tensor.of(new long[] {0, 1}), d.ignoreIndex(1)).item(), 1e-6);
        assertEquals(6.0, Losses.nll(logProbs, Tensor.of(new long[] {0, 1}), d.reduction(Reduction.SUM)).item(),
                1e-6);
    }

    @Test
    void bceOptions() {
        BceOptions d = BceOptions.defaults();
        assertEquals(new BceOptions(null, null, Reduction.MEAN), d);
        Tensor w = Tensor.ones(2);
        Tensor pw = Tensor.full(2.0, 2);
        assertSetter(d, o -> o.weight(w), BceOptions::weight, w);
        assertSetter(d, o -> o.posWeight(pw), BceOptions::posWeight, pw);
        assertSetter(d, o -> o.reduction(Reduction.NONE), BceOptions::reduction, Reduction.NONE);
        assertEquals(new BceOptions(w, pw, Reduction.NONE), d.weight(w).posWeight(pw).reduction(Reduction.NONE));
        assertEquals(new BceOptions(w, pw, Reduction.NONE), d.reduction(Reduction.NONE).posWeight(pw).weight(w));
        assertRejected(() -> d.reduction(null), "bce", "reduction");
        Tensor p = Tensor.of(new float[] {0.25f, 0.75f});
        Tensor y = Tensor.of(new float[] {1f, 0f});
        assertRejected(() -> Losses.bce(p, y, d.posWeight(pw)), "bce", "posWeight", "bceWithLogits");
        assertRejected(() -> Losses.bceWithLogits(p, y, null), "bceWithLogits", "options");
        // a positive-class weight of 2 doubles the loss of the positive element
        Tensor z = Tensor.of(new float[] {0.3f, -0.2f});
        Tensor plain = Losses.bceWithLogits(z, y, d.reduction(Reduction.NONE));
        Tensor weighted = Losses.bceWithLogits(z, y, d.reduction(Reduction.NONE).posWeight(pw));
        assertEquals(2 * plain.get(0), weighted.get(0), 1e-6);
        assertEquals(plain.get(1), weighted.get(1), 1e-6);
        assertFalse(plain.get(0) == 0);
    }

    @Test
    void convTranspose2d() {
        ConvTranspose2d.Options d = ConvTranspose2d.Options.defaults();
        assertEquals(new ConvTranspose2d.Options(ConvOptions.defaults(), 0, 0, true, Generator.global()), d);
        assertSetter(d, o -> o.stride(2), ConvTranspose2d.Options::geometry, ConvOptions.defaults().stride(2));
        assertSetter(d, o -> o.padding(1, 2), ConvTranspose2d.Options::geometry, ConvOptions.defaults().padding(1, 2));
        assertSetter(d, o -> o.dilation(2), ConvTranspose2d.Options::geometry, ConvOptions.defaults().dilation(2));
        assertSetter(d, o -> o.groups(2), ConvTranspose2d.Options::geometry, ConvOptions.defaults().groups(2));
        assertSetter(d, o -> o.outputPadding(1, 0), ConvTranspose2d.Options::outputPaddingH, 1);
        assertSetter(d, o -> o.outputPadding(0, 1), ConvTranspose2d.Options::outputPaddingW, 1);
        assertSetter(d, o -> o.bias(false), ConvTranspose2d.Options::bias, false);
        assertSetter(d, o -> o.generator(g), ConvTranspose2d.Options::generator, g);
        ConvTranspose2d.Options all = new ConvTranspose2d.Options(new ConvOptions(2, 3, 4, 5, 6, 7, 8), 1, 2, false,
                g);
        assertEquals(all, d.stride(2, 3).padding(4, 5).dilation(6, 7).groups(8).outputPadding(1, 2).bias(false)
                .generator(g));
        assertEquals(all, d.generator(g).bias(false).outputPadding(1, 2).groups(8).dilation(6, 7).padding(4, 5)
                .stride(2, 3));
        // the output padding is checked against stride and dilation when the layer is built, not by the setters
        assertEquals(1, d.outputPadding(1).outputPaddingW());
        assertRejected(() -> d.outputPadding(-1), "ConvTranspose2d.Options", "output padding", "-1");
        assertRejected(() -> d.geometry(null), "ConvTranspose2d.Options", "geometry");
        assertRejected(() -> d.generator(null), "ConvTranspose2d.Options", "generator");
        assertRejected(() -> new ConvTranspose2d(2, 3, 3, null), "ConvTranspose2d", "options");
        assertRejected(() -> new ConvTranspose2d(2, 3, 3, d.outputPadding(1)), "ConvTranspose2d",
                "output padding must be smaller than either the stride or the dilation", "output padding 1",
                "stride 1", "dilation 1");
        assertRejected(() -> new ConvTranspose2d(2, 3, 3, d.stride(2).outputPadding(0, 2)), "ConvTranspose2d",
                "(width)");
        assertRejected(() -> new ConvTranspose2d(3, 4, 3, d.groups(2)), "ConvTranspose2d", "divisible by groups");
        ConvTranspose2d c = new ConvTranspose2d(4, 6, 3, 2, d.stride(2).padding(1, 0).outputPadding(1, 0).groups(2)
                .bias(false));
        assertArrayEquals(new int[] {4, 3, 3, 2}, c.weight.shape());
        assertNull(c.bias);
        assertArrayEquals(new int[] {1, 6, 8, 10}, c.forward(Tensor.zeros(1, 4, 4, 5)).shape());
        // output padding below the dilation is allowed, as in PyTorch
        assertArrayEquals(new int[] {1, 2, 10, 10},
                new ConvTranspose2d(2, 2, 3, d.dilation(3).outputPadding(2)).forward(Tensor.zeros(1, 2, 2, 2))
                        .shape());
    }

    @Test
    void convTranspose1d() {
        ConvTranspose1d.Options d = ConvTranspose1d.Options.defaults();
        assertEquals(new ConvTranspose1d.Options(1, 0, 0, 1, 1, true, Generator.global()), d);
        assertSetter(d, o -> o.stride(2), ConvTranspose1d.Options::stride, 2);
        assertSetter(d, o -> o.padding(3), ConvTranspose1d.Options::padding, 3);
        assertSetter(d, o -> o.outputPadding(1), ConvTranspose1d.Options::outputPadding, 1);
        assertSetter(d, o -> o.dilation(2), ConvTranspose1d.Options::dilation, 2);
        assertSetter(d, o -> o.groups(4), ConvTranspose1d.Options::groups, 4);
        assertSetter(d, o -> o.bias(false), ConvTranspose1d.Options::bias, false);
        assertSetter(d, o -> o.generator(g), ConvTranspose1d.Options::generator, g);
        assertEquals(ConvOptions.of(2, 1, 3, 1), d.stride(2).padding(1).dilation(3).geometry());
        ConvTranspose1d.Options all = new ConvTranspose1d.Options(2, 3, 1, 4, 5, false, g);
        assertEquals(all, d.stride(2).padding(3).outputPadding(1).dilation(4).groups(5).bias(false).generator(g));
        assertRejected(() -> d.stride(0), "ConvTranspose1d.Options", "stride=0");
        assertRejected(() -> d.outputPadding(-1), "ConvTranspose1d.Options", "outputPadding=-1");
        assertRejected(() -> d.generator(null), "ConvTranspose1d.Options", "generator");
        assertRejected(() -> new ConvTranspose1d(2, 3, 3, d.stride(2).outputPadding(2)), "ConvTranspose1d",
                "output padding 2 with stride 2 and dilation 1");
        ConvTranspose1d c = new ConvTranspose1d(4, 6, 3, d.stride(2).padding(1).outputPadding(1).groups(2));
        assertArrayEquals(new int[] {4, 3, 3}, c.weight.shape());
        assertArrayEquals(new int[] {6}, c.bias.shape());
        assertArrayEquals(new int[] {1, 6, 16}, c.forward(Tensor.zeros(1, 4, 8)).shape());
        assertArrayEquals(new int[] {1, 6, 15}, c.forward(Tensor.zeros(1, 4, 8), 15).shape());
        assertRejected(() -> c.forward(Tensor.zeros(1, 4, 8), 17), "ConvTranspose1d", "requested output length 17",
                "[15, 16]");
    }

    @Test
    void upsample() {
        Upsample.Options d = Upsample.Options.defaults();
        assertNull(d.size());
        assertNull(d.scaleFactor());
        assertEquals(Upsample.Mode.NEAREST, d.mode());
        assertFalse(d.alignCorners());
        assertFalse(d.recomputeScaleFactor());
        // size and scale factor exclude each other: setting one clears the other
        assertArrayEquals(new int[] {4, 5}, d.scaleFactor(2).size(4, 5).size());
        assertNull(d.scaleFactor(2).size(4, 5).scaleFactor());
        assertArrayEquals(new double[] {2}, d.size(3).scaleFactor(2).scaleFactor());
        assertNull(d.size(3).scaleFactor(2).size());
        assertEquals(d.size(3, 4).mode(Upsample.Mode.BILINEAR).alignCorners(true),
                d.alignCorners(true).mode(Upsample.Mode.BILINEAR).size(3, 4));
        assertEquals(new Upsample.Options(null, new double[] {1.5}, Upsample.Mode.LINEAR, false, true),
                d.recomputeScaleFactor(true).scaleFactor(1.5).mode(Upsample.Mode.LINEAR));
        // the record keeps its own copy of the arrays
        int[] s = {3, 4};
        Upsample.Options sized = d.size(s);
        s[0] = 9;
        sized.size()[1] = 9;
        assertArrayEquals(new int[] {3, 4}, sized.size());
        assertRejected(() -> d.size(0), "Upsample.Options", "size", "[0]");
        assertRejected(() -> d.size(new int[0]), "Upsample.Options", "size", "[]");
        assertRejected(() -> d.scaleFactor(-1), "Upsample.Options", "scaleFactor", "[-1.0]");
        assertRejected(() -> d.scaleFactor(Double.POSITIVE_INFINITY), "Upsample.Options", "scaleFactor");
        assertRejected(() -> d.mode(null), "Upsample.Options", "mode");
        assertRejected(() -> new Upsample.Options(new int[] {2}, new double[] {2}, Upsample.Mode.NEAREST, false,
                false), "Upsample.Options", "not both");
        assertRejected(() -> new Upsample(d), "Upsample", "either size or scaleFactor");
        assertRejected(() -> new Upsample(d.scaleFactor(2).alignCorners(true)), "Upsample", "alignCorners",
                "NEAREST");
        assertRejected(() -> new Upsample(null), "Upsample", "options");
        assertArrayEquals(new int[] {1, 2, 6, 9}, new Upsample(d.scaleFactor(2, 3)).forward(Tensor.zeros(1, 2, 3, 3))
                .shape());
        assertArrayEquals(new int[] {1, 2, 5, 7}, new Upsample(d.size(5, 7).mode(Upsample.Mode.BILINEAR))
                .forward(Tensor.zeros(1, 2, 3, 3)).shape());
        assertEquals("Upsample(scaleFactor=[2.0], mode=bilinear, alignCorners=true)",
                new Upsample(d.scaleFactor(2).mode(Upsample.Mode.BILINEAR).alignCorners(true)).toString());
    }

    @Test
    void groupNormAndInstanceNorm() {
        GroupNorm.Options gd = GroupNorm.Options.defaults();
        assertEquals(new GroupNorm.Options(1e-5, true), gd);
        assertSetter(gd, o -> o.eps(1e-3), GroupNorm.Options::eps, 1e-3);
        assertSetter(gd, o -> o.affine(false), GroupNorm.Options::affine, false);
        assertRejected(() -> gd.eps(-1), "GroupNorm.Options", "eps");
        assertRejected(() -> new GroupNorm(3, 4), "GroupNorm", "numGroups=3", "numChannels=4");
        assertRejected(() -> new GroupNorm(2, 4, null), "GroupNorm", "options");
        GroupNorm gn = new GroupNorm(2, 4);
        assertArrayEquals(Tensor.ones(4).toFloatArray(), gn.weight.toFloatArray());
        assertArrayEquals(Tensor.zeros(4).toFloatArray(), gn.bias.toFloatArray());
        assertTrue(new GroupNorm(2, 4, gd.affine(false)).parameters().isEmpty());

        InstanceNorm2d.Options d = InstanceNorm2d.Options.defaults();
        assertEquals(new InstanceNorm2d.Options(1e-5, 0.1, false, false), d);
        assertSetter(d, o -> o.eps(1e-3), InstanceNorm2d.Options::eps, 1e-3);
        assertSetter(d, o -> o.momentum(0.2), InstanceNorm2d.Options::momentum, 0.2);
        assertSetter(d, o -> o.affine(true), InstanceNorm2d.Options::affine, true);
        assertSetter(d, o -> o.trackRunningStats(true), InstanceNorm2d.Options::trackRunningStats, true);
        assertRejected(() -> d.eps(0), "InstanceNorm2d.Options", "eps");
        assertRejected(() -> d.momentum(1.5), "InstanceNorm2d.Options", "momentum");
        assertRejected(() -> new InstanceNorm2d(0), "InstanceNorm2d", "numFeatures");
        InstanceNorm2d plain = new InstanceNorm2d(3);
        assertTrue(plain.stateDict().isEmpty(), "PyTorch's defaults: no parameters, no buffers");
        InstanceNorm2d tracked = new InstanceNorm2d(3, d.affine(true).trackRunningStats(true));
        assertEquals(java.util.Set.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"),
                tracked.stateDict().keySet());
        // eval mode with running statistics normalises by them; without, by the input's own
        tracked.eval();
        Tensor x = g.normal(2, 3, 2, 3, 4, 4);
        assertTrue(tracked.forward(x).allClose(x.div(Math.sqrt(1 + 1e-5)), 1e-5, 1e-6, false));
        plain.eval();
        assertEquals(0, plain.forward(x).mean(new int[] {2, 3}, false).abs().max().item(), 1e-5);
    }

    @Test
    void preluLeakyReluAndUnflatten() {
        PReLU one = new PReLU();
        assertEquals(1, one.numParameters);
        assertArrayEquals(new float[] {0.25f}, one.weight.toFloatArray());
        PReLU perChannel = new PReLU(3, 0.1);
        assertArrayEquals(new float[] {0.1f, 0.1f, 0.1f}, perChannel.weight.toFloatArray());
        assertRejected(() -> new PReLU(0, 0.25), "PReLU", "numParameters=0");
        assertArrayEquals(new float[] {-0.5f, 3f}, one.forward(Tensor.of(new float[] {-2, 3})).toFloatArray());
        assertArrayEquals(new float[] {-0.02f, 3f}, Activation.leakyRelu().forward(Tensor.of(new float[] {-2, 3}))
                .toFloatArray());
        assertEquals("LeakyReLU()", Activation.leakyRelu().toString());
        assertArrayEquals(new int[] {2, 3, 2, 5}, new Unflatten(1, 3, 2).forward(Tensor.zeros(2, 6, 5)).shape());
        assertArrayEquals(new int[] {2, 6, 5, 1}, new Unflatten(-1, 5, -1).forward(Tensor.zeros(2, 6, 5)).shape());
        assertArrayEquals(new int[] {3, 2}, new Unflatten(0, 3, 2).sizes());
        assertRejected(() -> new Unflatten(1, -1, -1), "Unflatten", "[-1, -1]");
        assertRejected(() -> new Unflatten(1), "Unflatten", "[]");
    }
}
