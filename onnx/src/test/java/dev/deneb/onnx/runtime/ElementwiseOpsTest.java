package dev.deneb.onnx.runtime;

import static dev.deneb.onnx.ImportCheck.againstOrt;
import static dev.deneb.onnx.ImportCheck.longScalar;
import static dev.deneb.onnx.ImportCheck.randn;
import static dev.deneb.onnx.ImportCheck.runDeneb;
import static dev.deneb.onnx.ImportCheck.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.onnx.GraphBuilder;
import dev.deneb.onnx.proto.AttributeProto;
import dev.deneb.onnx.proto.DataType;
import dev.deneb.onnx.proto.ModelProto;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Elementwise operators against ONNX Runtime, and a few by hand. */
class ElementwiseOpsTest {
    static ModelProto unary(long opset, String op, Tensor x, AttributeProto... attrs) {
        return new GraphBuilder(opset).input("x", x).node(op, List.of("x"), "y", attrs).output("y").build();
    }

    static Stream<Arguments> unaryOps() {
        return Stream.of("Identity", "Neg", "Abs", "Exp", "Erf", "Tanh", "Sigmoid", "Relu", "Sin", "Cos", "Floor",
                "Ceil", "Round", "Sign", "Softplus", "Softsign", "HardSwish", "Mish", "LeakyRelu", "Elu", "Selu",
                "Celu", "HardSigmoid", "ThresholdedRelu").flatMap(op -> Stream.of(1L, 2L).map(s -> Arguments.of(op,
                s)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("unaryOps")
    void unaryMatchesOrt(String op, long seed) {
        Tensor x = randn(seed, 3, 4, 5).mul(2);
        // Opset 18: Mish's first.
        againstOrt(unary(18, op, x), x);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Sqrt", "Log", "Reciprocal"})
    void positiveDomainMatchesOrt(String op) {
        Tensor x = uniform(3, 0.1, 4, 2, 7);
        againstOrt(unary(17, op, x), x);
    }

    @Test
    void activationAttributes() {
        Tensor x = randn(5, 4, 6).mul(3);
        againstOrt(unary(17, "LeakyRelu", x, AttributeProto.ofFloat("alpha", 0.3f)), x);
        againstOrt(unary(17, "Elu", x, AttributeProto.ofFloat("alpha", 0.7f)), x);
        againstOrt(unary(17, "Celu", x, AttributeProto.ofFloat("alpha", 2f)), x);
        againstOrt(unary(17, "HardSigmoid", x, AttributeProto.ofFloat("alpha", 0.4f),
                AttributeProto.ofFloat("beta", 0.3f)), x);
        againstOrt(unary(17, "Selu", x, AttributeProto.ofFloat("alpha", 1.5f), AttributeProto.ofFloat("gamma", 2f)), x);
    }

    @ParameterizedTest(name = "approximate {0}")
    @ValueSource(strings = {"none", "tanh"})
    void gelu(String approximate) {
        Tensor x = randn(6, 3, 8).mul(2);
        againstOrt(unary(20, "Gelu", x, AttributeProto.ofString("approximate", approximate)), x);
    }

    static Stream<Arguments> binaryOps() {
        int[][][] shapes = {{{2, 3, 4}, {2, 3, 4}}, {{2, 3, 4}, {4}}, {{3, 1}, {2, 1, 5}}, {{}, {3, 2}}};
        return Stream.of("Add", "Sub", "Mul", "Div", "Max", "Min", "Sum", "Mean")
                .flatMap(op -> Stream.of(shapes).map(s -> Arguments.of(op, s[0], s[1])));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("binaryOps")
    void binaryBroadcastsLikeOrt(String op, int[] a, int[] b) {
        Tensor x = randn(11, a);
        Tensor y = randn(12, b).add(op.equals("Div") ? 3 : 0);
        ModelProto m = new GraphBuilder(17).input("a", x).input("b", y).node(op, List.of("a", "b"), "c").output("c")
                .build();
        againstOrt(m, x, y);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual"})
    void comparisons(String op) {
        Tensor x = randn(13, 3, 4).round();
        Tensor y = randn(14, 4).round();
        againstOrt(new GraphBuilder(17).input("a", x).input("b", y).node(op, List.of("a", "b"), "c").output("c")
                .build(), x, y);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"And", "Or", "Xor"})
    void logic(String op) {
        Tensor x = randn(15, 3, 4).gt(0);
        Tensor y = randn(16, 4).gt(0);
        againstOrt(new GraphBuilder(17).input("a", x).input("b", y).node(op, List.of("a", "b"), "c").output("c")
                .build(), x, y);
        againstOrt(unary(17, "Not", x), x);
    }

    @Test
    void integerArithmeticTruncatesLikeC() {
        Tensor a = Tensor.of(new long[] {7, -7, 7, -7, 9, 0}, 6);
        Tensor b = Tensor.of(new long[] {2, 2, -2, -2, 3, 5}, 6);
        ModelProto div = new GraphBuilder(17).input("a", a).input("b", b).node("Div", List.of("a", "b"), "c")
                .output("c").build();
        againstOrt(div, a, b);
        assertArrayEquals(new long[] {3, -3, -3, 3, 3, 0}, runDeneb(div, List.of(a, b)).get(0).toLongArray());
        for (long fmod : new long[] {0, 1}) {
            againstOrt(new GraphBuilder(17).input("a", a).input("b", b).node("Mod", List.of("a", "b"), "c",
                    AttributeProto.ofInt("fmod", fmod)).output("c").build(), a, b);
        }
        againstOrt(new GraphBuilder(17).input("a", a).input("b", b).node("Mul", List.of("a", "b"), "c").output("c")
                .build(), a, b);
    }

    @Test
    void powKeepsBaseType() {
        Tensor x = uniform(17, 0.5, 2, 3, 4);
        Tensor e = Tensor.of(new float[] {2f, 0.5f, -1f, 3f}, 4);
        againstOrt(new GraphBuilder(17).input("x", x).input("e", e).node("Pow", List.of("x", "e"), "y").output("y")
                .build(), x, e);
    }

    @Test
    void clipWithOptionalBounds() {
        Tensor x = randn(18, 4, 5).mul(3);
        Tensor lo = Tensor.scalar(-1);
        Tensor hi = Tensor.scalar(0.5);
        againstOrt(new GraphBuilder(17).input("x", x).initializer("lo", lo).initializer("hi", hi)
                .node("Clip", List.of("x", "lo", "hi"), "y").output("y").build(), x);
        againstOrt(new GraphBuilder(17).input("x", x).initializer("hi", hi)
                .node("Clip", List.of("x", "", "hi"), "y").output("y").build(), x);
        againstOrt(new GraphBuilder(17).input("x", x).node("Clip", List.of("x"), "y").output("y").build(), x);
        Tensor xi = Tensor.of(new long[] {-5, 0, 3, 9}, 4);
        againstOrt(new GraphBuilder(17).input("x", xi).initializer("lo", longScalar(-2))
                .initializer("hi", longScalar(4))
                .node("Clip", List.of("x", "lo", "hi"), "y").output("y").build(), xi);
    }

    @Test
    void preluBroadcastsTheSlope() {
        Tensor x = randn(19, 2, 3, 4, 4);
        Tensor slope = randn(20, 3, 1, 1);
        againstOrt(new GraphBuilder(17).input("x", x).initializer("s", slope).node("PRelu", List.of("x", "s"), "y")
                .output("y").build(), x);
    }

    @Test
    void whereCastAndIsNaN() {
        Tensor c = randn(21, 3, 4).gt(0);
        Tensor a = randn(22, 3, 4);
        Tensor b = randn(23, 4);
        againstOrt(new GraphBuilder(17).input("c", c).input("a", a).input("b", b)
                .node("Where", List.of("c", "a", "b"), "y").output("y").build(), c, a, b);
        Tensor x = randn(24, 6).mul(4);
        for (int to : new int[] {DataType.INT64, DataType.INT32, DataType.BOOL, DataType.DOUBLE}) {
            againstOrt(unary(17, "Cast", x, AttributeProto.ofInt("to", to)), x);
        }
        Tensor nan = Tensor.of(new float[] {1, Float.NaN, 3}, 3);
        assertArrayEquals(new boolean[] {false, true, false},
                runDeneb(unary(17, "IsNaN", nan), List.of(nan)).get(0).toBooleanArray());
    }

    @Test
    void gradientsFlowThroughElementwiseOps() {
        Tensor x = randn(25, 3, 4).requiresGrad(true);
        ModelProto m = new GraphBuilder(17).input("x", x).node("Tanh", List.of("x"), "t")
                .node("Mul", List.of("t", "x"), "y").output("y").build();
        Tensor y = runDeneb(m, List.of(x)).get(0);
        y.sum().backward();
        Tensor t = x.detach().tanh();
        Tensor expected = t.add(x.detach().mul(t.mul(t).neg().add(1)));
        assertTrue(expected.allClose(x.grad(), 1e-5, 1e-6, false));
        assertTrue(y.dtype() == DType.F32);
    }
}
