package dev.deneb.onnx.runtime;

import static dev.deneb.onnx.ImportCheck.againstOrt;
import static dev.deneb.onnx.ImportCheck.longScalar;
import static dev.deneb.onnx.ImportCheck.randn;

import dev.deneb.onnx.GraphBuilder;
import dev.deneb.onnx.proto.AttributeProto;
import dev.deneb.onnx.proto.ModelProto;
import dev.deneb.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Gather/scatter, reductions, softmax and matrix products against ONNX Runtime. */
class IndexingAndReductionOpsTest {
    static Tensor longs(int[] shape, long... v) {
        return shape.length == 0 ? longScalar(v[0]) : Tensor.of(v, shape);
    }

    @ParameterizedTest(name = "axis {0}")
    @ValueSource(longs = {0, 1, -1})
    void gatherWithNegativeAndScalarIndices(long axis) {
        Tensor x = randn(1, 3, 4, 5);
        for (Tensor idx : new Tensor[] {longs(new int[] {2, 2}, 0, -1, 2, 1), longs(new int[0], -2),
                longs(new int[] {3}, 1, 1, 0)}) {
            againstOrt(new GraphBuilder(17).input("x", x).initializer("i", idx).node("Gather", List.of("x", "i"), "y",
                    AttributeProto.ofInt("axis", axis)).output("y").build(), x);
        }
    }

    @Test
    void gatherElementsAndScatterElements() {
        Tensor x = randn(2, 3, 4);
        Tensor idx = longs(new int[] {2, 4}, 0, -1, 2, 1, 2, 0, 1, 0);
        againstOrt(new GraphBuilder(17).input("x", x).initializer("i", idx).node("GatherElements", List.of("x", "i"),
                "y", AttributeProto.ofInt("axis", 0)).output("y").build(), x);
        Tensor upd = randn(3, 2, 4);
        Tensor unique = longs(new int[] {2, 4}, 0, 1, 2, 1, 2, 0, 1, 0);
        againstOrt(new GraphBuilder(17).input("x", x).input("u", upd).initializer("i", unique)
                .node("ScatterElements", List.of("x", "i", "u"), "y", AttributeProto.ofInt("axis", 0))
                .output("y").build(), x, upd);
        for (String r : new String[] {"add", "max", "min"}) {
            againstOrt(new GraphBuilder(18).input("x", x).input("u", upd).initializer("i", idx)
                    .node("ScatterElements", List.of("x", "i", "u"), "y", AttributeProto.ofInt("axis", -2),
                            AttributeProto.ofString("reduction", r)).output("y").build(), x, upd);
        }
    }

    @Test
    void scatterNd() {
        Tensor x = randn(4, 4, 3, 2);
        Tensor idx = longs(new int[] {2, 2}, 0, 1, -1, 2);
        Tensor upd = randn(5, 2, 2);
        againstOrt(new GraphBuilder(17).input("x", x).input("u", upd).initializer("i", idx)
                .node("ScatterND", List.of("x", "i", "u"), "y").output("y").build(), x, upd);
        Tensor dup = longs(new int[] {3, 1}, 1, 3, 1);
        Tensor upd2 = randn(6, 3, 3, 2);
        againstOrt(new GraphBuilder(17).input("x", x).input("u", upd2).initializer("i", dup)
                .node("ScatterND", List.of("x", "i", "u"), "y", AttributeProto.ofString("reduction", "add"))
                .output("y").build(), x, upd2);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceSumSquare",
            "ReduceL1", "ReduceL2", "ReduceLogSumExp"})
    void reductionsWithAxesInputAndAttribute(String op) {
        Tensor x = randn(7, 2, 3, 4);
        Tensor axes = Tensor.of(new long[] {-1, 0}, 2);
        againstOrt(new GraphBuilder(18).input("x", x).initializer("a", axes).node(op, List.of("x", "a"), "y")
                .output("y").build(), x);
        againstOrt(new GraphBuilder(18).input("x", x).initializer("a", axes).node(op, List.of("x", "a"), "y",
                AttributeProto.ofInt("keepdims", 0)).output("y").build(), x);
        againstOrt(new GraphBuilder(18).input("x", x).node(op, List.of("x"), "y").output("y").build(), x);
        if (!op.equals("ReduceSum")) {
            // Opset 13 to 17: the axes are an attribute.
            againstOrt(new GraphBuilder(13).input("x", x).node(op, List.of("x"), "y",
                    AttributeProto.ofInts("axes", 1L)).output("y").build(), x);
        }
    }

    @Test
    void argMaxArgMinSoftmax() {
        Tensor x = randn(8, 3, 5).round();
        for (String op : new String[] {"ArgMax", "ArgMin"}) {
            for (long last : new long[] {0, 1}) {
                againstOrt(new GraphBuilder(17).input("x", x).node(op, List.of("x"), "y",
                        AttributeProto.ofInt("axis", -1), AttributeProto.ofInt("keepdims", last),
                        AttributeProto.ofInt("select_last_index", last)).output("y").build(), x);
            }
        }
        Tensor z = randn(9, 2, 3, 4);
        for (long axis : new long[] {0, 1, -1}) {
            for (String op : new String[] {"Softmax", "LogSoftmax"}) {
                againstOrt(new GraphBuilder(17).input("x", z).node(op, List.of("x"), "y",
                        AttributeProto.ofInt("axis", axis)).output("y").build(), z);
            }
        }
    }

    @Test
    void matMulBroadcastsAndGemm() {
        int[][][] shapes = {{{3, 4}, {4, 5}}, {{2, 3, 4}, {4, 5}}, {{2, 1, 3, 4}, {3, 4, 2}}, {{4}, {2, 4, 3}},
                {{2, 3, 4}, {4}}};
        for (int[][] s : shapes) {
            Tensor a = randn(10, s[0]);
            Tensor b = randn(11, s[1]);
            againstOrt(new GraphBuilder(17).input("a", a).input("b", b).node("MatMul", List.of("a", "b"), "y")
                    .output("y").build(), a, b);
        }
        Tensor a = randn(12, 4, 3);
        Tensor b = randn(13, 5, 4);
        Tensor c = randn(14, 5);
        ModelProto gemm = new GraphBuilder(17).input("a", a).initializer("b", b).initializer("c", c)
                .node("Gemm", List.of("a", "b", "c"), "y", AttributeProto.ofInt("transA", 1),
                        AttributeProto.ofInt("transB", 1), AttributeProto.ofFloat("alpha", 0.5f),
                        AttributeProto.ofFloat("beta", 2f)).output("y").build();
        againstOrt(gemm, a);
    }

    @Test
    void einsum() {
        Tensor a = randn(15, 2, 3, 4);
        Tensor b = randn(16, 2, 4, 5);
        againstOrt(new GraphBuilder(17).input("a", a).input("b", b).node("Einsum", List.of("a", "b"), "y",
                AttributeProto.ofString("equation", "bij, bjk -> bik")).output("y").build(), a, b);
        againstOrt(new GraphBuilder(17).input("a", a).node("Einsum", List.of("a"), "y",
                AttributeProto.ofString("equation", "...ij->...ji")).output("y").build(), a);
    }
}
