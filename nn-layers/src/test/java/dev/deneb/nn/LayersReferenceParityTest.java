package dev.deneb.nn;

import static dev.deneb.nn.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.deneb.nn.Upsample.Mode;
import dev.deneb.nn.io.SafeTensors;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Forward and backward parity with PyTorch 1.13 (f32, CPU) of the issue-15 layers — ConvTranspose1d/2d, Upsample
 * (nearest, linear, bilinear), GroupNorm, InstanceNorm2d, PReLU, LeakyReLU, Unflatten — on the fixed cases of
 * {@code layers/layers_reference.safetensors} (made by {@code src/test/python/make_layers_reference.py}), checked
 * as {@link LayerParityTest} checks the older layers: PyTorch's state dict loaded with {@code strict = true}, output,
 * gradient of the input and of every parameter, and buffers after a training pass, within
 * |deneb − torch| &lt;= 1e-5 + 1e-5·|torch|. Nearest's source indices are also compared exactly with PyTorch's over
 * a sweep of sizes and scale factors, for f32 and f64 inputs.
 */
class LayersReferenceParityTest {
    private static Map<String, Tensor> ref;

    static final Map<String, Supplier<Layer>> LAYERS = new TreeMap<>();
    /** Cases whose forward pass is not {@code forward(input)}. */
    static final Map<String, BiFunction<Layer, Tensor, Tensor>> FORWARDS = new TreeMap<>();

    private static Upsample up(Upsample.Options o) {
        return new Upsample(o);
    }

    private static Upsample.Options scale(double... f) {
        return Upsample.Options.defaults().scaleFactor(f);
    }

    private static Upsample.Options size(int... s) {
        return Upsample.Options.defaults().size(s);
    }

    static {
        ConvTranspose2d.Options t2 = ConvTranspose2d.Options.defaults();
        ConvTranspose1d.Options t1 = ConvTranspose1d.Options.defaults();
        LAYERS.put("convt2d", () -> new ConvTranspose2d(3, 4, 3));
        LAYERS.put("convt2d_s2p1op1", () -> new ConvTranspose2d(4, 6, 3, t2.stride(2).padding(1).outputPadding(1)));
        LAYERS.put("convt2d_g2d2_nobias", () -> new ConvTranspose2d(4, 6, 3, 2,
                t2.stride(1, 2).padding(2, 0).dilation(2, 1).groups(2).bias(false)));
        LAYERS.put("convt2d_op_below_dilation", () -> new ConvTranspose2d(2, 3, 2,
                t2.padding(1).dilation(3).outputPadding(2)));
        LAYERS.put("convt2d_rect_s3", () -> new ConvTranspose2d(3, 2, 2, 4,
                t2.stride(3, 2).padding(1, 1).outputPadding(2, 1)));
        LAYERS.put("convt2d_output_size", () -> new ConvTranspose2d(2, 2, 3, t2.stride(2).padding(1)));
        FORWARDS.put("convt2d_output_size", (m, x) -> ((ConvTranspose2d) m).forward(x, 8, 7));
        LAYERS.put("convt1d", () -> new ConvTranspose1d(3, 5, 3));
        LAYERS.put("convt1d_s2p1op1d2g2", () -> new ConvTranspose1d(4, 6, 4,
                t1.stride(2).padding(1).outputPadding(1).groups(2).dilation(2)));
        LAYERS.put("convt1d_output_size", () -> new ConvTranspose1d(2, 3, 3, t1.stride(3)));
        FORWARDS.put("convt1d_output_size", (m, x) -> ((ConvTranspose1d) m).forward(x, 17));

        LAYERS.put("up_nearest_s2", () -> up(scale(2)));
        LAYERS.put("up_nearest_size", () -> up(size(7, 9)));
        LAYERS.put("up_nearest_s17", () -> up(scale(1.7)));
        LAYERS.put("up_nearest_s_tuple", () -> up(scale(0.6, 2.5)));
        LAYERS.put("up_nearest_s11_same_size", () -> up(scale(1.1)));
        LAYERS.put("up_nearest_1d", () -> new Upsample(3, Mode.NEAREST));
        LAYERS.put("up_nearest_1d_size", () -> up(size(11)));
        LAYERS.put("up_nearest_3d", () -> up(size(3, 5, 4)));
        LAYERS.put("up_bilinear_s2", () -> new Upsample(2, Mode.BILINEAR));
        LAYERS.put("up_bilinear_s2_align", () -> up(scale(2).mode(Mode.BILINEAR).alignCorners(true)));
        LAYERS.put("up_bilinear_size", () -> up(size(7, 3).mode(Mode.BILINEAR)));
        LAYERS.put("up_bilinear_size_align", () -> up(size(7, 3).mode(Mode.BILINEAR).alignCorners(true)));
        LAYERS.put("up_bilinear_s17", () -> up(scale(1.7).mode(Mode.BILINEAR)));
        LAYERS.put("up_bilinear_s17_recompute", () -> up(scale(1.7).mode(Mode.BILINEAR)
                .recomputeScaleFactor(true)));
        LAYERS.put("up_bilinear_down", () -> up(scale(0.45).mode(Mode.BILINEAR)));
        LAYERS.put("up_bilinear_out1_align", () -> up(size(1, 4).mode(Mode.BILINEAR).alignCorners(true)));
        LAYERS.put("up_linear_s25", () -> new Upsample(2.5, Mode.LINEAR));
        LAYERS.put("up_linear_size_align", () -> up(size(9).mode(Mode.LINEAR).alignCorners(true)));

        LAYERS.put("groupnorm", () -> new GroupNorm(2, 4));
        LAYERS.put("groupnorm_noaffine", () -> new GroupNorm(3, 6, GroupNorm.Options.defaults().affine(false)));
        LAYERS.put("groupnorm_1group_eps", () -> new GroupNorm(1, 3, GroupNorm.Options.defaults().eps(1e-3)));
        LAYERS.put("groupnorm_2d", () -> new GroupNorm(2, 8));
        InstanceNorm2d.Options in = InstanceNorm2d.Options.defaults();
        LAYERS.put("instnorm", () -> new InstanceNorm2d(3));
        LAYERS.put("instnorm_affine", () -> new InstanceNorm2d(3, in.affine(true)));
        LAYERS.put("instnorm_track_train", () -> new InstanceNorm2d(3,
                in.affine(true).trackRunningStats(true).momentum(0.3)));
        LAYERS.put("instnorm_track_eval", () -> new InstanceNorm2d(3, in.affine(true).trackRunningStats(true)));
        LAYERS.put("instnorm_unbatched", () -> new InstanceNorm2d(3, in.affine(true)));
        LAYERS.put("prelu", PReLU::new);
        LAYERS.put("prelu_channels", () -> new PReLU(3, 0.1));
        LAYERS.put("leakyrelu_default", Activation::leakyRelu);
        LAYERS.put("unflatten", () -> new Unflatten(1, 2, 3));
        LAYERS.put("unflatten_last", () -> new Unflatten(-1, 2, 2));
    }

    static synchronized Map<String, Tensor> ref() {
        if (ref == null) {
            ref = SafeTensors.load(Fixtures.resource("layers/layers_reference.safetensors")).tensors();
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

    static Stream<String> layerCases() {
        return LAYERS.keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layerCases")
    void forwardAndBackwardMatchPyTorch(String name) {
        Layer m = LAYERS.get(name).get();
        Tensor input = ref().get(name + ".input");
        assertNotNull(input, name + ": no such case in the reference file");
        Layer.LoadResult r = m.loadStateDict(group(name, "state"), true);
        assertEquals(0, r.missingKeys().size() + r.unexpectedKeys().size(), name + ": " + r);
        Map<String, Tensor> after = group(name, "after");
        m.train(!after.isEmpty());

        Tensor x = input.copy().requiresGrad(true);
        Tensor y = FORWARDS.getOrDefault(name, Layer::forward).apply(m, x);
        assertClose(ref().get(name + ".output"), y.detach(), name + " output");

        y.backward(ref().get(name + ".gout"));
        Map<String, Tensor> grads = group(name, "grad");
        assertClose(grads.remove("input"), x.grad(), name + " grad of the input");
        Map<String, Tensor> params = m.namedParameters();
        assertEquals(new TreeSet<>(grads.keySet()), new TreeSet<>(params.keySet()), name + ": parameter names");
        for (Map.Entry<String, Tensor> e : grads.entrySet()) {
            Tensor p = params.get(e.getKey());
            assertNotNull(p.grad(), name + ": no gradient reached " + e.getKey());
            assertClose(e.getValue(), p.grad(), name + " grad of " + e.getKey());
        }
        Map<String, Tensor> buffers = m.namedBuffers();
        for (Map.Entry<String, Tensor> e : after.entrySet()) {
            Tensor mine = buffers.get(e.getKey());
            assertNotNull(mine, name + ": no buffer " + e.getKey());
            if (e.getValue().dtype().isFloating()) {
                assertClose(e.getValue(), mine, name + " " + e.getKey() + " after the forward pass");
            } else {
                assertEquals(Arrays.toString(e.getValue().toLongArray()), Arrays.toString(mine.toLongArray()),
                        name + " " + e.getKey() + " after the forward pass");
            }
        }
    }

    /** The same cases through {@link Functional#interpolate} in f64: the same values (computed in double). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"up_bilinear_s2_align", "up_bilinear_s17", "up_bilinear_down", "up_linear_s25",
            "up_nearest_s17", "up_nearest_size"})
    void interpolateInF64MatchesToo(String name) {
        Upsample m = (Upsample) LAYERS.get(name).get();
        Tensor y = Functional.interpolate(ref().get(name + ".input").to(DType.F64), m.options);
        assertEquals(DType.F64, y.dtype());
        assertClose(ref().get(name + ".output"), y, name + " in f64");
    }

    /** Nearest's source index for every (input size, output size or factor) of the sweep, exactly PyTorch's. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1d_f32", "1d_f64", "2d_f32", "2d_f64"})
    void nearestIndicesAreExactlyPyTorchs(String sweep) {
        double[] params = ref().get("sweep.nearest" + sweep + ".params").toDoubleArray();
        int[] expected = ref().get("sweep.nearest" + sweep + ".indices").toIntArray();
        DType dt = sweep.endsWith("f32") ? DType.F32 : DType.F64;
        boolean twoD = sweep.startsWith("2d");
        int at = 0;
        for (int k = 0; k < params.length; k += 3) {
            int in = (int) params[k];
            int out = (int) params[k + 1];
            double factor = params[k + 2];
            Upsample.Options o = twoD ? (Double.isNaN(factor) ? size(out, 1) : scale(factor, 1))
                    : (Double.isNaN(factor) ? size(out) : scale(factor));
            Tensor ramp = Tensor.arange(0, in, 1).to(dt).reshape(twoD ? new int[] {1, 1, in, 1} : new int[] {1, 1, in});
            long[] mine = Functional.interpolate(ramp, o).reshape(-1).toLongArray();
            long[] torch = Arrays.stream(Arrays.copyOfRange(expected, at, at + out)).asLongStream().toArray();
            assertArrayEquals(torch, mine, sweep + ": in " + in + ", out " + out + ", factor " + factor);
            at += out;
        }
        assertEquals(expected.length, at, "indices consumed");
    }

    /** ConvTranspose's state dict has PyTorch's names and layout, both ways. */
    @Test
    void convTransposeStateDictRoundTrip() {
        ConvTranspose2d m = new ConvTranspose2d(4, 6, 3, ConvTranspose2d.Options.defaults().groups(2));
        assertArrayEquals(new int[] {4, 3, 3, 3}, m.stateDict().get("weight").shape());
        assertArrayEquals(new int[] {6}, m.stateDict().get("bias").shape());
        ConvTranspose1d m1 = new ConvTranspose1d(4, 6, 5, ConvTranspose1d.Options.defaults().groups(2).bias(false));
        assertEquals(java.util.Set.of("weight"), m1.stateDict().keySet());
        assertArrayEquals(new int[] {4, 3, 5}, m1.weight.shape());
    }

    @Test
    void everyReferenceCaseIsTested() {
        TreeSet<String> cases = new TreeSet<>();
        for (String k : ref().keySet()) {
            if (!k.startsWith("sweep.")) {
                cases.add(k.substring(0, k.indexOf('.')));
            }
        }
        assertEquals(cases, new TreeSet<>(LAYERS.keySet()), "cases in layers_reference.safetensors vs cases with a"
                + " Java builder");
        for (String name : FORWARDS.keySet()) {
            assertNotNull(ref().get(name + ".output_size"), name + ": output_size recorded");
        }
    }

}
