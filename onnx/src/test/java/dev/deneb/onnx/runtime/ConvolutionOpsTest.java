package dev.deneb.onnx.runtime;

import static dev.deneb.onnx.ImportCheck.againstOrt;
import static dev.deneb.onnx.ImportCheck.randn;

import dev.deneb.onnx.GraphBuilder;
import dev.deneb.onnx.proto.AttributeProto;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Conv, ConvTranspose and pooling (1-D and 2-D, asymmetric and automatic padding) against ONNX Runtime. */
class ConvolutionOpsTest {
    static Stream<Arguments> convs() {
        return Stream.of(
                Arguments.of("2-D plain", new int[] {2, 3, 7, 6}, new int[] {4, 3, 3, 3}, 1, List.of()),
                Arguments.of("2-D stride pads dilation", new int[] {1, 4, 9, 8}, new int[] {6, 2, 3, 2}, 2,
                        List.of(AttributeProto.ofInts("strides", 2, 1), AttributeProto.ofInts("pads", 1, 0, 1, 0),
                                AttributeProto.ofInts("dilations", 2, 1))),
                Arguments.of("2-D asymmetric pads", new int[] {2, 2, 5, 5}, new int[] {3, 2, 3, 3}, 1,
                        List.of(AttributeProto.ofInts("pads", 0, 1, 2, 1))),
                Arguments.of("2-D SAME_UPPER stride 2", new int[] {1, 2, 6, 7}, new int[] {2, 2, 4, 3}, 1,
                        List.of(AttributeProto.ofString("auto_pad", "SAME_UPPER"), AttributeProto.ofInts("strides", 2,
                                2))),
                Arguments.of("2-D SAME_LOWER", new int[] {1, 2, 6, 7}, new int[] {2, 2, 2, 2}, 1,
                        List.of(AttributeProto.ofString("auto_pad", "SAME_LOWER"))),
                Arguments.of("2-D VALID depthwise", new int[] {2, 4, 6, 6}, new int[] {4, 1, 3, 3}, 4,
                        List.of(AttributeProto.ofString("auto_pad", "VALID"))),
                Arguments.of("1-D", new int[] {2, 3, 11}, new int[] {5, 3, 3}, 1,
                        List.of(AttributeProto.ofInts("pads", 1, 1), AttributeProto.ofInts("strides", 2))),
                Arguments.of("1-D asymmetric groups", new int[] {2, 4, 10}, new int[] {6, 2, 4}, 2,
                        List.of(AttributeProto.ofInts("pads", 2, 1), AttributeProto.ofInts("dilations", 2))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convs")
    void conv(String name, int[] xShape, int[] wShape, int groups, List<AttributeProto> attrs) {
        Tensor x = randn(1, xShape);
        Tensor w = randn(2, wShape);
        Tensor b = randn(3, wShape[0]);
        List<AttributeProto> all = new ArrayList<>(attrs);
        all.add(AttributeProto.ofInt("group", groups));
        againstOrt(new GraphBuilder(17).input("x", x).initializer("w", w).initializer("b", b)
                .node("Conv", List.of("x", "w", "b"), "y", all.toArray(AttributeProto[]::new)).output("y").build(), x);
        againstOrt(new GraphBuilder(17).input("x", x).initializer("w", w)
                .node("Conv", List.of("x", "w"), "y", all.toArray(AttributeProto[]::new)).output("y").build(), x);
    }

    static Stream<Arguments> transposed() {
        return Stream.of(
                Arguments.of("2-D stride pads", new int[] {2, 3, 4, 5}, new int[] {3, 2, 3, 3}, 1,
                        List.of(AttributeProto.ofInts("strides", 2, 2), AttributeProto.ofInts("pads", 1, 1, 1, 1))),
                Arguments.of("2-D output padding groups", new int[] {1, 4, 3, 3}, new int[] {4, 3, 3, 2}, 2,
                        List.of(AttributeProto.ofInts("strides", 3, 2), AttributeProto.ofInts("output_padding", 1, 1))),
                Arguments.of("2-D asymmetric pads dilation", new int[] {1, 2, 4, 4}, new int[] {2, 2, 3, 3}, 1,
                        List.of(AttributeProto.ofInts("pads", 0, 1, 2, 0), AttributeProto.ofInts("dilations", 2, 1),
                                AttributeProto.ofInts("strides", 2, 2))),
                Arguments.of("2-D output_shape", new int[] {1, 2, 4, 4}, new int[] {2, 3, 3, 3}, 1,
                        List.of(AttributeProto.ofInts("strides", 2, 2), AttributeProto.ofInts("output_shape", 8, 9))),
                Arguments.of("1-D", new int[] {2, 3, 7}, new int[] {3, 2, 3}, 1,
                        List.of(AttributeProto.ofInts("strides", 2), AttributeProto.ofInts("output_padding", 1))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transposed")
    void convTranspose(String name, int[] xShape, int[] wShape, int groups, List<AttributeProto> attrs) {
        Tensor x = randn(4, xShape);
        Tensor w = randn(5, wShape);
        Tensor b = randn(6, wShape[1] * groups);
        List<AttributeProto> all = new ArrayList<>(attrs);
        all.add(AttributeProto.ofInt("group", groups));
        againstOrt(new GraphBuilder(17).input("x", x).initializer("w", w).initializer("b", b)
                .node("ConvTranspose", List.of("x", "w", "b"), "y", all.toArray(AttributeProto[]::new)).output("y")
                .build(), x);
    }

    static Stream<Arguments> pools() {
        return Stream.of(
                Arguments.of("2x2", new int[] {2, 3, 6, 7}, List.of(AttributeProto.ofInts("kernel_shape", 2, 2),
                        AttributeProto.ofInts("strides", 2, 2))),
                Arguments.of("3x3 pads 1 stride 2", new int[] {1, 2, 7, 7}, List.of(AttributeProto.ofInts(
                        "kernel_shape", 3, 3), AttributeProto.ofInts("strides", 2, 2), AttributeProto.ofInts("pads",
                        1, 1, 1, 1))),
                Arguments.of("asymmetric pads", new int[] {1, 2, 6, 5}, List.of(AttributeProto.ofInts("kernel_shape",
                        3, 2), AttributeProto.ofInts("pads", 0, 1, 2, 0))),
                Arguments.of("ceil mode", new int[] {1, 2, 7, 8}, List.of(AttributeProto.ofInts("kernel_shape", 3, 3),
                        AttributeProto.ofInts("strides", 2, 2), AttributeProto.ofInt("ceil_mode", 1))),
                Arguments.of("SAME_UPPER", new int[] {1, 2, 5, 6}, List.of(AttributeProto.ofInts("kernel_shape", 3, 3),
                        AttributeProto.ofInts("strides", 2, 2), AttributeProto.ofString("auto_pad", "SAME_UPPER"))),
                Arguments.of("1-D", new int[] {2, 3, 11}, List.of(AttributeProto.ofInts("kernel_shape", 3),
                        AttributeProto.ofInts("strides", 2), AttributeProto.ofInts("pads", 1, 1))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pools")
    void pooling(String name, int[] xShape, List<AttributeProto> attrs) {
        Tensor x = randn(7, xShape);
        againstOrt(new GraphBuilder(17).input("x", x).node("MaxPool", List.of("x"), "y",
                attrs.toArray(AttributeProto[]::new)).output("y").build(), x);
        for (long countPad : new long[] {0, 1}) {
            List<AttributeProto> all = new ArrayList<>(attrs);
            all.add(AttributeProto.ofInt("count_include_pad", countPad));
            againstOrt(new GraphBuilder(17).input("x", x).node("AveragePool", List.of("x"), "y",
                    all.toArray(AttributeProto[]::new)).output("y").build(), x);
        }
    }

    @Test
    void globalPooling() {
        for (int[] s : new int[][] {{2, 3, 4, 5}, {2, 3, 7}}) {
            Tensor x = randn(8, s);
            for (String op : new String[] {"GlobalAveragePool", "GlobalMaxPool"}) {
                againstOrt(new GraphBuilder(17).input("x", x).node(op, List.of("x"), "y").output("y").build(), x);
            }
        }
    }
}
