package dev.deneb.nn;

import static dev.deneb.nn.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.deneb.tensor.Generator;
import dev.deneb.tensor.PoolOptions;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Forward and backward parity of every layer with PyTorch 1.13 (f32, CPU), on the fixed cases of
 * {@code nn-reference/nn_reference.safetensors} (made by {@code src/test/python/make_nn_reference.py}).
 *
 * <p>Each case builds the Deneb layer with the same hyper-parameters, loads PyTorch's state dict with
 * {@code loadStateDict(strict = true)} (so the parameter and buffer names must be PyTorch's), runs the forward pass
 * in the same mode, back-propagates the same fixed weights, and compares the output, the gradient of the input and
 * of every parameter, and (train mode) the buffers afterwards. Tolerance: |deneb − torch| <= 1e-5 + 1e-5·|torch|
 * element by element.
 */
class LayerParityTest {
    private static final Generator G = new Generator(7);

    /** The Deneb layer for each case of the reference file; hyper-parameters mirror make_nn_reference.py. */
    static final Map<String, Supplier<Layer>> LAYERS = new TreeMap<>();

    static {
        LAYERS.put("linear", () -> new Linear(5, 3));
        LAYERS.put("linear_3d", () -> new Linear(4, 2));
        LAYERS.put("linear_nobias", () -> new Linear(4, 3, Linear.Options.defaults().bias(false).generator(G)));
        LAYERS.put("conv1d", () -> new Conv1d(3, 4, 3));
        LAYERS.put("conv1d_s2p2d2g2", () -> new Conv1d(4, 6, 3,
                Conv1d.Options.defaults().stride(2).padding(2).dilation(2).groups(2).generator(G)));
        LAYERS.put("conv2d", () -> new Conv2d(2, 3, 3));
        LAYERS.put("conv2d_s2p1", () -> new Conv2d(3, 4, 3, Conv2d.Options.defaults().stride(2).padding(1)));
        LAYERS.put("conv2d_d2p1", () -> new Conv2d(2, 2, 3, Conv2d.Options.defaults().padding(1).dilation(2)));
        LAYERS.put("conv2d_g2_nobias", () -> new Conv2d(4, 6, 3,
                Conv2d.Options.defaults().padding(1).groups(2).bias(false).generator(G)));
        LAYERS.put("conv2d_rect", () -> new Conv2d(2, 3, 3, 2,
                Conv2d.Options.defaults().stride(2, 1).padding(1, 0).generator(G)));
        LAYERS.put("maxpool1d_k3s2p1", () -> new MaxPool1d(PoolOptions.of(3).stride(2).padding(1)));
        LAYERS.put("maxpool2d_k2", () -> new MaxPool2d(2));
        LAYERS.put("maxpool2d_k3s2p1", () -> new MaxPool2d(PoolOptions.of(3, 2, 1)));
        LAYERS.put("maxpool2d_k3s2p1_ceil", () -> new MaxPool2d(new PoolOptions(3, 3, 2, 2, 1, 1, 1, 1, true, true)));
        LAYERS.put("maxpool2d_k2s1_d2", () -> new MaxPool2d(new PoolOptions(2, 2, 1, 1, 0, 0, 2, 2, false, true)));
        LAYERS.put("avgpool2d_k2", () -> new AvgPool2d(2));
        LAYERS.put("avgpool2d_k3s2p1_incl", () -> new AvgPool2d(PoolOptions.of(3, 2, 1)));
        LAYERS.put("avgpool2d_k3s2p1_excl",
                () -> new AvgPool2d(new PoolOptions(3, 3, 2, 2, 1, 1, 1, 1, false, false)));
        LAYERS.put("avgpool2d_k3s2p1_ceil_incl",
                () -> new AvgPool2d(new PoolOptions(3, 3, 2, 2, 1, 1, 1, 1, true, true)));
        LAYERS.put("avgpool2d_k2s2_ceil_excl",
                () -> new AvgPool2d(new PoolOptions(2, 2, 2, 2, 0, 0, 1, 1, true, false)));
        LAYERS.put("adaptiveavgpool2d_3x4", () -> new AdaptiveAvgPool2d(3, 4));
        LAYERS.put("adaptiveavgpool2d_2x3", () -> new AdaptiveAvgPool2d(2, 3));
        LAYERS.put("adaptiveavgpool2d_up_3x5", () -> new AdaptiveAvgPool2d(3, 5));
        LAYERS.put("batchnorm1d_train", () -> new BatchNorm1d(3));
        LAYERS.put("batchnorm1d_train_3d",
                () -> new BatchNorm1d(3, BatchNorm1d.Options.defaults().eps(1e-3).momentum(0.3)));
        LAYERS.put("batchnorm1d_eval", () -> new BatchNorm1d(3));
        LAYERS.put("batchnorm2d_train", () -> new BatchNorm2d(3));
        LAYERS.put("batchnorm2d_eval", () -> new BatchNorm2d(3));
        LAYERS.put("layernorm", () -> new LayerNorm(5));
        LAYERS.put("layernorm_2d", () -> new LayerNorm(3, 4));
        LAYERS.put("dropout_eval", () -> new Dropout(0.5));
        LAYERS.put("flatten", Flatten::new);
        LAYERS.put("flatten_1_2", () -> new Flatten(1, 2));
        LAYERS.put("embedding", () -> new Embedding(10, 4));
        LAYERS.put("relu", Activation::relu);
        LAYERS.put("leakyrelu_01", () -> Activation.leakyRelu(0.1));
        LAYERS.put("elu_07", () -> Activation.elu(0.7));
        LAYERS.put("gelu", Activation::gelu);
        LAYERS.put("silu", Activation::silu);
        LAYERS.put("tanh", Activation::tanh);
        LAYERS.put("sigmoid", Activation::sigmoid);
        LAYERS.put("softmax", () -> Activation.softmax(1));
        LAYERS.put("logsoftmax", () -> Activation.logSoftmax(1));
    }

    static Stream<String> layerCases() {
        return LAYERS.keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layerCases")
    void forwardAndBackwardMatchPyTorch(String name) {
        Layer m = LAYERS.get(name).get();
        Tensor input = Fixtures.get(name, "input");
        assertNotNull(input, name + ": no such case in the reference file");
        Layer.LoadResult r = m.loadStateDict(Fixtures.group(name, "state"), true);
        assertEquals(0, r.missingKeys().size() + r.unexpectedKeys().size(), name + ": " + r);
        Map<String, Tensor> after = Fixtures.group(name, "after");
        m.train(!after.isEmpty());

        Tensor x = input.dtype().isFloating() ? input.copy().requiresGrad(true) : input;
        Tensor y = m.forward(x);
        assertClose(Fixtures.get(name, "output"), y.detach(), name + " output");

        y.backward(Fixtures.get(name, "gout"));
        Map<String, Tensor> grads = Fixtures.group(name, "grad");
        Tensor gradInput = grads.remove("input");
        if (input.dtype().isFloating()) {
            assertClose(gradInput, x.grad(), name + " grad of the input");
        }
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

    @Test
    void everyReferenceCaseIsTested() {
        TreeSet<String> covered = new TreeSet<>(LAYERS.keySet());
        covered.addAll(LossParityTest.LOSSES.keySet());
        assertEquals(Fixtures.cases(), covered, "cases in nn_reference.safetensors vs cases with a Java builder");
    }
}
