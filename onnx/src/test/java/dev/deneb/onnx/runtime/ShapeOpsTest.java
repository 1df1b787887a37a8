package dev.deneb.onnx.runtime;

import static dev.deneb.onnx.ImportCheck.againstOrt;
import static dev.deneb.onnx.ImportCheck.longScalar;
import static dev.deneb.onnx.ImportCheck.randn;
import static dev.deneb.onnx.ImportCheck.runDeneb;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.deneb.onnx.GraphBuilder;
import dev.deneb.onnx.TensorProtos;
import dev.deneb.onnx.proto.AttributeProto;
import dev.deneb.onnx.proto.ModelProto;
import dev.deneb.tensor.Tensor;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Shape, reshape, slicing and constant operators against ONNX Runtime (INT64 shape arithmetic included). */
class ShapeOpsTest {
    static Tensor longs(long... v) {
        return Tensor.of(v, v.length);
    }

    static ModelProto withConstInputs(String op, Tensor x, List<Tensor> consts, AttributeProto... attrs) {
        GraphBuilder g = new GraphBuilder(18).input("x", x);
        List<String> names = new java.util.ArrayList<>(List.of("x"));
        for (int k = 0; k < consts.size(); k++) {
            if (consts.get(k) == null) {
                names.add("");
                continue;
            }
            g.initializer("c" + k, consts.get(k));
            names.add("c" + k);
        }
        return g.node(op, names, "y", attrs).output("y").build();
    }

    static Stream<Arguments> slices() {
        long max = Long.MAX_VALUE;
        return Stream.of(
                Arguments.of(longs(1), longs(3), null, null),
                Arguments.of(longs(0, 1), longs(-1, max), longs(0, 2), null),
                Arguments.of(longs(-3), longs(max), longs(-1), longs(2)),
                Arguments.of(longs(-1), longs(Long.MIN_VALUE), longs(1), longs(-1)),
                Arguments.of(longs(4, 10), longs(0, -10), longs(2, 1), longs(-2, -3)),
                Arguments.of(longs(2), longs(2), longs(0), null),
                Arguments.of(longs(100), longs(200), longs(2), null),
                Arguments.of(longs(-100, 1), longs(100, 3), null, longs(3, 1)));
    }

    @ParameterizedTest
    @MethodSource("slices")
    void slice(Tensor starts, Tensor ends, Tensor axes, Tensor steps) {
        Tensor x = randn(1, 5, 4, 6);
        List<Tensor> consts = new java.util.ArrayList<>(java.util.Arrays.asList(starts, ends, axes, steps));
        while (consts.get(consts.size() - 1) == null) {
            consts.remove(consts.size() - 1);
        }
        againstOrt(withConstInputs("Slice", x, consts), x);
    }

    @Test
    void reshapeZeroAndMinusOne() {
        Tensor x = randn(2, 2, 3, 4);
        againstOrt(withConstInputs("Reshape", x, List.of(longs(0, -1))), x);
        againstOrt(withConstInputs("Reshape", x, List.of(longs(-1, 0, 2, 2))), x);
        againstOrt(withConstInputs("Reshape", x, List.of(longs(4, 6))), x);
        Tensor empty = Tensor.zeros(0, 3);
        ModelProto allowZero = withConstInputs("Reshape", empty, List.of(longs(3, 0)),
                AttributeProto.ofInt("allowzero", 1));
        assertArrayEquals(new int[] {3, 0}, runDeneb(allowZero, List.of(empty)).get(0).shape());
    }

    @Test
    void flattenTransposeSqueezeUnsqueeze() {
        Tensor x = randn(3, 2, 1, 3, 1);
        for (long axis : new long[] {0, 1, 2, -1, 4}) {
            againstOrt(new GraphBuilder(17).input("x", x).node("Flatten", List.of("x"), "y",
                    AttributeProto.ofInt("axis", axis)).output("y").build(), x);
        }
        againstOrt(new GraphBuilder(17).input("x", x).node("Transpose", List.of("x"), "y").output("y").build(), x);
        againstOrt(new GraphBuilder(17).input("x", x).node("Transpose", List.of("x"), "y",
                AttributeProto.ofInts("perm", 2, 0, 3, 1)).output("y").build(), x);
        againstOrt(withConstInputs("Squeeze", x, List.of(longs(-1, 1))), x);
        againstOrt(new GraphBuilder(17).input("x", x).node("Squeeze", List.of("x"), "y").output("y").build(), x);
        againstOrt(withConstInputs("Unsqueeze", x, List.of(longs(0, -1, 3))), x);
    }

    @Test
    void concatSplitExpandTile() {
        Tensor a = randn(4, 2, 3);
        Tensor b = randn(5, 2, 5);
        againstOrt(new GraphBuilder(17).input("a", a).input("b", b).node("Concat", List.of("a", "b"), "y",
                AttributeProto.ofInt("axis", -1)).output("y").build(), a, b);
        Tensor x = randn(6, 7, 4);
        againstOrt(new GraphBuilder(17).input("x", x).initializer("s", longs(2, 5))
                .node("Split", List.of("x", "s"), List.of("p", "q")).output("p", "q").build(), x);
        againstOrt(new GraphBuilder(18).input("x", x).node("Split", List.of("x"), List.of("p", "q", "r"),
                AttributeProto.ofInt("num_outputs", 3)).output("p", "q", "r").build(), x);
        againstOrt(new GraphBuilder(17).input("x", x).node("Split", List.of("x"), List.of("p", "q"),
                AttributeProto.ofInt("axis", 1)).output("p", "q").build(), x);
        Tensor e = randn(7, 3, 1);
        againstOrt(withConstInputs("Expand", e, List.of(longs(2, 1, 4))), e);
        againstOrt(withConstInputs("Expand", e, List.of(longs(1))), e);
        againstOrt(withConstInputs("Tile", e, List.of(longs(2, 3))), e);
    }

    @Test
    void shapeArithmeticOnInt64() {
        // What PyTorch exports for x.reshape(x.shape[0], -1): Shape, Gather, Unsqueeze, Concat, Reshape.
        Tensor x = randn(8, 3, 2, 4);
        ModelProto m = new GraphBuilder(17).batchInput("x", x)
                .node("Shape", List.of("x"), "s")
                .initializer("zero", longScalar(0))
                .node("Gather", List.of("s", "zero"), "n", AttributeProto.ofInt("axis", 0))
                .initializer("axes", longs(0))
                .node("Unsqueeze", List.of("n", "axes"), "n1")
                .initializer("rest", longs(-1))
                .node("Concat", List.of("n1", "rest"), "shape", AttributeProto.ofInt("axis", 0))
                .node("Reshape", List.of("x", "shape"), "y")
                .node("Shape", List.of("x"), "tail", AttributeProto.ofInt("start", -2))
                .node("Size", List.of("x"), "size")
                .node("ConstantOfShape", List.of("tail"), "filled",
                        AttributeProto.ofTensor("value", TensorProtos.of("v", Tensor.of(new long[] {7}, 1))))
                .output("y", "tail", "size", "filled").build();
        againstOrt(m, x);
        Tensor x5 = randn(9, 5, 2, 4);
        assertArrayEquals(new int[] {5, 8}, runDeneb(m, List.of(x5)).get(0).shape());
    }

    @Test
    void rangeAndConstants() {
        for (Tensor[] args : new Tensor[][] {
                {longScalar(2), longScalar(11),
                        longScalar(3)},
                {longScalar(5), longScalar(-2),
                        longScalar(-2)},
                {Tensor.scalar(0.5), Tensor.scalar(2.2), Tensor.scalar(0.3)}}) {
            againstOrt(new GraphBuilder(17).input("a", args[0]).input("b", args[1]).input("c", args[2])
                    .node("Range", List.of("a", "b", "c"), "y").output("y").build(), args);
        }
        Tensor x = randn(10, 3);
        ModelProto m = new GraphBuilder(17).input("x", x)
                .node("Constant", List.of(), "c1", AttributeProto.ofTensor("value", TensorProtos.of("c",
                        randn(11, 3))))
                .node("Constant", List.of(), "c2", AttributeProto.ofFloat("value_float", 2.5f))
                .node("Constant", List.of(), "c3", AttributeProto.ofInts("value_ints", 1L, 2L, 3L))
                .node("Add", List.of("x", "c1"), "s").node("Mul", List.of("s", "c2"), "y")
                .node("Cast", List.of("c3"), "c3f", AttributeProto.ofInt("to", 1))
                .node("Sub", List.of("y", "c3f"), "z").output("z").build();
        againstOrt(m, x);
    }

    @Test
    void trilu() {
        Tensor x = randn(12, 2, 4, 5);
        againstOrt(new GraphBuilder(17).input("x", x).node("Trilu", List.of("x"), "y").output("y").build(), x);
        againstOrt(withConstInputs("Trilu", x, List.of(longScalar(-1)),
                AttributeProto.ofInt("upper", 0)), x);
    }
}
