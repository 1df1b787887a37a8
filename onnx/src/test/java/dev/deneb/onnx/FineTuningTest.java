package dev.deneb.onnx;

import static dev.deneb.onnx.ImportCheck.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.autograd.GradCheck;
import dev.deneb.nn.Losses;
import dev.deneb.onnx.proto.AttributeProto;
import dev.deneb.onnx.proto.ModelProto;
import dev.deneb.optim.Adam;
import dev.deneb.optim.Optimizer;
import dev.deneb.optim.SGD;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Imported models train like Deneb layers; gradients through the operators match finite differences. */
class FineTuningTest {
    /** Gemm, Relu, Gemm: an MLP as PyTorch exports nn.Linear (weights [out, in], transB = 1). */
    static ModelProto mlp(long seed) {
        return new GraphBuilder(17).batchInput("input", randn(0, 4, 3))
                .initializer("fc1.weight", randn(seed, 8, 3).mul(0.5)).initializer("fc1.bias", randn(seed + 1, 8))
                .initializer("fc2.weight", randn(seed + 2, 2, 8).mul(0.5)).initializer("fc2.bias", randn(seed + 3, 2))
                .node("Gemm", List.of("input", "fc1.weight", "fc1.bias"), "h", AttributeProto.ofInt("transB", 1))
                .node("Relu", List.of("h"), "r")
                .node("Gemm", List.of("r", "fc2.weight", "fc2.bias"), "output", AttributeProto.ofInt("transB", 1))
                .output("output").build();
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("optimizers")
    void lossGoesDownAndParametersChange(String optimizer, long seed) {
        OnnxModel model = OnnxModel.of(mlp(seed));
        Map<String, Tensor> before = new HashMap<>();
        model.namedParameters().forEach((k, v) -> before.put(k, v.detach().copy()));
        Tensor x = randn(seed + 10, 32, 3);
        Tensor target = x.matmul(randn(seed + 11, 3, 2)).tanh();
        Optimizer opt = optimizer.equals("sgd")
                ? new SGD(model.parameters(), SGD.Options.defaults().lr(0.05).momentum(0.9))
                : new Adam(model.parameters(), Adam.Options.defaults().lr(0.01));
        double first = 0;
        double last = 0;
        for (int step = 0; step < 30; step++) {
            opt.zeroGrad();
            Tensor loss = Losses.mse(model.forward(x), target);
            loss.backward();
            opt.step();
            if (step == 0) {
                first = loss.item();
            }
            last = loss.item();
        }
        assertTrue(last < 0.7 * first, "loss " + first + " -> " + last);
        assertEquals(4, model.parameters().size());
        model.namedParameters().forEach((k, v) -> assertFalse(v.detach().allClose(before.get(k), 0, 0, false),
                k + " did not change"));
    }

    static Stream<Arguments> optimizers() {
        return Stream.of("sgd", "adam").flatMap(o -> Stream.of(1L, 2L).map(s -> Arguments.of(o, s)));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {3, 4})
    void parameterGradientsMatchFiniteDifferencesInF64(long seed) {
        OnnxModel model = OnnxModel.of(mlp(seed));
        model.to(DType.F64);
        Tensor x = randn(seed + 20, 5, 3).to(DType.F64);
        Function<OnnxModel, Tensor> loss = m -> {
            Tensor y = m.forward(x);
            return y.mul(y).sum().add(y.sum());
        };
        loss.apply(model).backward();
        double eps = 1e-6;
        for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
            Tensor p = e.getValue();
            assertEquals(DType.F64, p.grad().dtype());
            double[] analytic = p.grad().toDoubleArray();
            try (GradMode.Scope s = GradMode.noGrad()) {
                for (int i = 0; i < p.numel(); i++) {
                    int[] at = index(p.shape(), i);
                    double v = p.get(at);
                    p.set(v + eps, at);
                    double up = loss.apply(model).item();
                    p.set(v - eps, at);
                    double down = loss.apply(model).item();
                    p.set(v, at);
                    double numeric = (up - down) / (2 * eps);
                    assertEquals(numeric, analytic[i], 1e-5 + 1e-4 * Math.abs(numeric), e.getKey() + " element " + i);
                }
            }
        }
        // And with respect to the input, through the f64 model.
        GradCheck.assertGradients(vars -> model.forward(vars.get(0)), x);
    }

    private static int[] index(int[] shape, int flat) {
        int[] at = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            at[d] = flat % shape[d];
            flat /= shape[d];
        }
        return at;
    }

    /** Single-op graphs whose float inputs are all graph inputs, so gradcheck reaches every one. */
    static Stream<Arguments> ops() {
        List<Arguments> out = new ArrayList<>();
        out.add(Arguments.of("Conv", List.of(randn(1, 1, 2, 5, 5), randn(2, 3, 2, 3, 3), randn(3, 3)),
                List.of(AttributeProto.ofInts("pads", 1, 0, 0, 1), AttributeProto.ofInts("strides", 2, 1))));
        out.add(Arguments.of("ConvTranspose", List.of(randn(4, 1, 2, 3, 3), randn(5, 2, 2, 2, 2)),
                List.of(AttributeProto.ofInts("strides", 2, 2), AttributeProto.ofInts("pads", 1, 0, 0, 1))));
        out.add(Arguments.of("LayerNormalization", List.of(randn(6, 2, 3, 4), randn(7, 4), randn(8, 4)), List.of()));
        out.add(Arguments.of("Softmax", List.of(randn(9, 2, 5)), List.of()));
        out.add(Arguments.of("MaxPool", List.of(randn(10, 1, 2, 5, 5)), List.of(AttributeProto.ofInts("kernel_shape",
                2, 2), AttributeProto.ofInts("pads", 0, 1, 1, 0))));
        out.add(Arguments.of("AveragePool", List.of(randn(11, 1, 2, 5, 5)), List.of(AttributeProto.ofInts(
                "kernel_shape", 3, 3), AttributeProto.ofInts("pads", 1, 0, 0, 1))));
        out.add(Arguments.of("Gemm", List.of(randn(12, 3, 4), randn(13, 5, 4), randn(14, 5)),
                List.of(AttributeProto.ofInt("transB", 1), AttributeProto.ofFloat("alpha", 0.5f))));
        out.add(Arguments.of("InstanceNormalization", List.of(randn(15, 2, 3, 4), randn(16, 3), randn(17, 3)),
                List.of()));
        out.add(Arguments.of("PRelu", List.of(randn(18, 2, 3, 4), randn(19, 3, 1)), List.of()));
        out.add(Arguments.of("Gelu", List.of(randn(20, 3, 4)), List.of(AttributeProto.ofString("approximate",
                "tanh"))));
        out.add(Arguments.of("HardSigmoid", List.of(randn(21, 3, 4)), List.of()));
        out.add(Arguments.of("Celu", List.of(randn(22, 3, 4)), List.of()));
        out.add(Arguments.of("GRU", List.of(randn(23, 3, 2, 2), randn(24, 1, 9, 2), randn(25, 1, 9, 3),
                randn(26, 1, 18)), List.of(AttributeProto.ofInt("hidden_size", 3))));
        out.add(Arguments.of("LSTM", List.of(randn(27, 3, 2, 2), randn(28, 2, 12, 2), randn(29, 2, 12, 3)),
                List.of(AttributeProto.ofInt("hidden_size", 3), AttributeProto.ofString("direction",
                        "bidirectional"))));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ops")
    void operatorGradientsMatchFiniteDifferences(String op, List<Tensor> inputs, List<AttributeProto> attrs) {
        GraphBuilder g = new GraphBuilder(20);
        List<String> names = new ArrayList<>();
        for (int k = 0; k < inputs.size(); k++) {
            g.input("in" + k, inputs.get(k));
            names.add("in" + k);
        }
        OnnxModel model = OnnxModel.of(g.node(op, names, "y", attrs.toArray(AttributeProto[]::new)).output("y")
                .build());
        Function<List<Tensor>, Tensor> f = vars -> {
            Map<String, Tensor> feed = new HashMap<>();
            for (int k = 0; k < vars.size(); k++) {
                feed.put("in" + k, vars.get(k));
            }
            return model.run(feed).get("y");
        };
        GradCheck.assertGradients(f, inputs.toArray(Tensor[]::new));
    }
}
