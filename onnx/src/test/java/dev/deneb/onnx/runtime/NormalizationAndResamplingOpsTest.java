package dev.deneb.onnx.runtime;

import static dev.deneb.onnx.ImportCheck.againstOrt;
import static dev.deneb.onnx.ImportCheck.randn;
import static dev.deneb.onnx.ImportCheck.uniform;

import dev.deneb.onnx.GraphBuilder;
import dev.deneb.onnx.proto.AttributeProto;
import dev.deneb.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Normalisation layers, Dropout, Pad and Resize against ONNX Runtime. */
class NormalizationAndResamplingOpsTest {
    @Test
    void batchNormalization() {
        Tensor x = randn(1, 2, 3, 4, 5);
        againstOrt(new GraphBuilder(17).input("x", x).initializer("s", randn(2, 3)).initializer("b", randn(3, 3))
                .initializer("m", randn(4, 3)).initializer("v", uniform(5, 0.5, 2, 3))
                .node("BatchNormalization", List.of("x", "s", "b", "m", "v"), "y",
                        AttributeProto.ofFloat("epsilon", 1e-3f)).output("y").build(), x);
        Tensor x2 = randn(6, 4, 3);
        againstOrt(new GraphBuilder(17).input("x", x2).initializer("s", randn(2, 3)).initializer("b", randn(3, 3))
                .initializer("m", randn(4, 3)).initializer("v", uniform(5, 0.5, 2, 3))
                .node("BatchNormalization", List.of("x", "s", "b", "m", "v"), "y").output("y").build(), x2);
    }

    @ParameterizedTest(name = "axis {0}")
    @ValueSource(longs = {-1, -2, 1})
    void layerNormalizationWithStatistics(long axis) {
        Tensor x = randn(7, 2, 3, 4);
        int[] normalized = axis == -1 ? new int[] {4} : new int[] {3, 4};
        againstOrt(new GraphBuilder(17).input("x", x).initializer("s", randn(8, normalized))
                .initializer("b", randn(9, normalized))
                .node("LayerNormalization", List.of("x", "s", "b"), List.of("y", "mean", "inv"),
                        AttributeProto.ofInt("axis", axis), AttributeProto.ofFloat("epsilon", 1e-4f))
                .output("y", "mean", "inv").build(), x);
        againstOrt(new GraphBuilder(17).input("x", x).initializer("s", randn(8, normalized))
                .node("LayerNormalization", List.of("x", "s"), "y", AttributeProto.ofInt("axis", axis))
                .output("y").build(), x);
    }

    @Test
    void instanceAndGroupNormalization() {
        Tensor x = randn(10, 2, 4, 3, 3);
        againstOrt(new GraphBuilder(17).input("x", x).initializer("s", randn(11, 4)).initializer("b", randn(12, 4))
                .node("InstanceNormalization", List.of("x", "s", "b"), "y").output("y").build(), x);
        // Opset 18: one scale per group; opset 21: one per channel.
        againstOrt(new GraphBuilder(18).input("x", x).initializer("s", randn(13, 2)).initializer("b", randn(14, 2))
                .node("GroupNormalization", List.of("x", "s", "b"), "y", AttributeProto.ofInt("num_groups", 2))
                .output("y").build(), x);
        againstOrt(new GraphBuilder(21).input("x", x).initializer("s", randn(13, 4)).initializer("b", randn(14, 4))
                .node("GroupNormalization", List.of("x", "s", "b"), "y", AttributeProto.ofInt("num_groups", 2))
                .output("y").build(), x);
    }

    @Test
    void dropoutIsIdentityWithMask() {
        Tensor x = randn(15, 3, 4);
        againstOrt(new GraphBuilder(17).input("x", x).node("Dropout", List.of("x"), List.of("y", "mask"))
                .output("y", "mask").build(), x);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"constant", "reflect", "edge", "wrap"})
    void pad(String mode) {
        Tensor x = randn(16, 2, 3, 4);
        Tensor pads = Tensor.of(new long[] {0, 2, 1, 0, 1, 3}, 6);
        againstOrt(new GraphBuilder(19).input("x", x).initializer("p", pads).initializer("v", Tensor.scalar(1.5))
                .node("Pad", List.of("x", "p", "v"), "y", AttributeProto.ofString("mode", mode)).output("y").build(),
                x);
        Tensor cropping = Tensor.of(new long[] {-1, 1, 0, 2}, 4);
        againstOrt(new GraphBuilder(19).input("x", x).initializer("p", cropping)
                .initializer("a", Tensor.of(new long[] {1, -1}, 2))
                .node("Pad", List.of("x", "p", "", "a"), "y", AttributeProto.ofString("mode", "constant"))
                .output("y").build(), x);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nearest asymmetric floor", "nearest half_pixel round_prefer_floor",
            "nearest align_corners round_prefer_ceil", "linear half_pixel", "linear align_corners",
            "linear pytorch_half_pixel", "linear asymmetric", "nearest half_pixel ceil"})
    void resize(String setting) {
        String[] s = setting.split(" ");
        Tensor x = randn(17, 1, 2, 4, 5);
        AttributeProto[] attrs = s.length == 3
                ? new AttributeProto[] {AttributeProto.ofString("mode", s[0]),
                        AttributeProto.ofString("coordinate_transformation_mode", s[1]),
                        AttributeProto.ofString("nearest_mode", s[2])}
                : new AttributeProto[] {AttributeProto.ofString("mode", s[0]),
                        AttributeProto.ofString("coordinate_transformation_mode", s[1])};
        againstOrt(new GraphBuilder(17).input("x", x).initializer("sc", Tensor.of(new float[] {1, 1, 2, 1.5f}, 4))
                .node("Resize", List.of("x", "", "sc"), "y", attrs).output("y").build(), x);
        againstOrt(new GraphBuilder(17).input("x", x).initializer("sz", Tensor.of(new long[] {1, 2, 3, 9}, 4))
                .node("Resize", List.of("x", "", "", "sz"), "y", attrs).output("y").build(), x);
    }
}
