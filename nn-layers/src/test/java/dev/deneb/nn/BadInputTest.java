package dev.deneb.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.nn.Losses.CrossEntropyOptions;
import dev.deneb.nn.Losses.Reduction;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.PoolOptions;
import dev.deneb.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Wrong input shapes, labels out of range and bad hyper-parameters: each is an {@link IllegalArgumentException}
 * whose message names the layer or op and the shapes involved. (Corrupt safetensors files and state dicts of other
 * models are covered in {@code SafeTensorsTest}, {@code ModelIOTest} and {@link ModuleBehaviourTest}.)
 */
class BadInputTest {
    private static void assertMessage(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(f),
                    "expected '" + f + "' in: " + e.getMessage());
        }
    }

    private static Tensor x(int... shape) {
        return Tensor.ones(shape);
    }

    // ---- layers ----

    @Test
    void linearWithTheWrongFeatureCount() {
        assertMessage(() -> new Linear(4, 3).forward(x(2, 5)), "linear", "[..., 4]", "[3, 4]", "[2, 5]");
        assertMessage(() -> new Linear(4, 3).forward(Tensor.scalar(1)), "linear", "[]");
    }

    @Test
    void convolutionWithTheWrongChannelsOrRank() {
        assertMessage(() -> new Conv2d(3, 4, 3).forward(x(2, 2, 5, 5)), "conv2d", "C_in = 3", "[2, 2, 5, 5]");
        assertMessage(() -> new Conv2d(3, 4, 3).forward(x(3, 5, 5)), "conv2d", "[3, 5, 5]");
        assertMessage(() -> new Conv2d(3, 4, 5).forward(x(1, 3, 3, 3)), "conv2d", "kernel", "[5, 5]");
        assertMessage(() -> new Conv1d(3, 4, 3).forward(x(2, 4, 8)), "conv1d", "C_in = 3", "[2, 4, 8]");
        assertMessage(() -> new Conv1d(3, 4, 3).forward(x(2, 3, 8, 8)), "conv1d", "[2, 3, 8, 8]");
    }

    @Test
    void transposedConvolutionWithTheWrongChannelsOrRank() {
        assertMessage(() -> new ConvTranspose2d(3, 4, 3).forward(x(2, 2, 5, 5)), "convTranspose2d", "C_in = 3",
                "[2, 2, 5, 5]");
        assertMessage(() -> new ConvTranspose2d(3, 4, 3).forward(x(3, 5, 5)), "convTranspose2d", "[3, 5, 5]");
        assertMessage(() -> new ConvTranspose2d(3, 4, 5, ConvTranspose2d.Options.defaults().padding(3))
                .forward(x(1, 3, 1, 1)), "convTranspose2d", "output size", "too small");
        assertMessage(() -> new ConvTranspose1d(3, 4, 3).forward(x(2, 4, 8)), "convTranspose1d", "C_in = 3",
                "[2, 4, 8]");
        assertMessage(() -> new ConvTranspose1d(3, 4, 3).forward(x(2, 3, 8, 8)), "convTranspose1d", "[2, 3, 8, 8]");
        assertMessage(() -> new ConvTranspose2d(2, 2, 3).forward(x(1, 2, 4, 4), 9, 6), "ConvTranspose2d",
                "requested output height 9", "[6, 6]");
    }

    @Test
    void interpolationWithTheWrongRankOrSizes() {
        Upsample.Options up = Upsample.Options.defaults();
        assertMessage(() -> new Upsample(2, Upsample.Mode.BILINEAR).forward(x(2, 3, 4)), "interpolate", "BILINEAR",
                "[N, C, H, W]", "[2, 3, 4]");
        assertMessage(() -> new Upsample(2, Upsample.Mode.LINEAR).forward(x(2, 3, 4, 4)), "interpolate", "LINEAR",
                "[N, C, L]", "[2, 3, 4, 4]");
        assertMessage(() -> new Upsample(2, Upsample.Mode.NEAREST).forward(x(2, 3)), "interpolate", "NEAREST",
                "[2, 3]");
        assertMessage(() -> new Upsample(up.size(3, 4, 5)).forward(x(1, 1, 4, 4)), "interpolate", "size",
                "1 or 2 values", "[3, 4, 5]");
        assertMessage(() -> new Upsample(up.scaleFactor(0.1)).forward(x(1, 1, 4, 4)), "interpolate",
                "scaleFactor 0.1", "spatial size 4", "into 0");
        assertMessage(() -> new Upsample(2, Upsample.Mode.BILINEAR).forward(x(1, 1, 2, 2).to(DType.I32)),
                "interpolate", "floating-point", "i32");
        assertMessage(() -> Functional.interpolate(x(1, 1, 2, 2), up), "interpolate", "either size or scaleFactor");
    }

    @Test
    void groupAndInstanceNormWithTheWrongShape() {
        assertMessage(() -> new GroupNorm(2, 4).forward(x(2, 6, 3)), "GroupNorm", "[N, 4, ...]", "[2, 6, 3]");
        assertMessage(() -> Functional.groupNorm(x(2, 6, 3), 4, null, null, 1e-5), "groupNorm", "numGroups 4",
                "[2, 6, 3]");
        assertMessage(() -> Functional.groupNorm(x(2, 6, 3), 2, x(4), null, 1e-5), "groupNorm", "[6]", "[4]");
        assertMessage(() -> new InstanceNorm2d(3).forward(x(2, 4, 5, 5)), "InstanceNorm2d", "[N, 3, H, W]",
                "[2, 4, 5, 5]");
        assertMessage(() -> new InstanceNorm2d(3).forward(x(2, 3, 1, 1)), "instanceNorm",
                "more than 1 spatial element", "[2, 3, 1, 1]");
        assertMessage(() -> new PReLU(3, 0.25).forward(x(2, 4, 5)), "prelu", "[N, 3, ...]", "[2, 4, 5]");
        assertMessage(() -> new Unflatten(1, 4, 2).forward(x(2, 6)), "Unflatten", "[4, 2]", "size 6", "[2, 6]");
        assertMessage(() -> new Unflatten(2, 2, 3).forward(x(2, 6)), "Unflatten", "dim 2", "[2, 6]");
    }

    @Test
    void poolingWithTheWrongRankOrATooSmallInput() {
        assertMessage(() -> new MaxPool2d(2).forward(x(3, 4, 4)), "maxPool2d", "[3, 4, 4]");
        assertMessage(() -> new AvgPool2d(2).forward(x(4, 4)), "avgPool2d", "[4, 4]");
        assertMessage(() -> new MaxPool1d(2).forward(x(2, 3, 4, 4)), "maxPool1d", "[2, 3, 4, 4]");
        assertMessage(() -> new MaxPool2d(PoolOptions.of(5)).forward(x(1, 1, 3, 3)), "maxPool2d", "[1, 1, 3, 3]");
        assertMessage(() -> new AdaptiveAvgPool2d(2, 2).forward(x(3, 4, 4)), "adaptiveAvgPool2d", "[3, 4, 4]");
    }

    @Test
    void normalisationWithTheWrongShape() {
        assertMessage(() -> new BatchNorm2d(3).forward(x(2, 4, 5, 5)), "BatchNorm2d", "3 channels", "[2, 4, 5, 5]");
        assertMessage(() -> new BatchNorm2d(3).forward(x(2, 3, 5)), "BatchNorm2d", "[2, 3, 5]");
        assertMessage(() -> new BatchNorm1d(3).forward(x(2, 3, 4, 4)), "BatchNorm1d", "[2, 3, 4, 4]");
        assertMessage(() -> new BatchNorm1d(3).forward(x(1, 3)), "batchNorm", "more than 1 value per channel",
                "[1, 3]");
        assertMessage(() -> new LayerNorm(5).forward(x(2, 4)), "layerNorm", "[..., 5]", "[2, 4]");
        assertMessage(() -> new LayerNorm(3, 4).forward(x(4, 3)), "layerNorm", "[..., 3, 4]", "[4, 3]");
    }

    @Test
    void embeddingWithBadIndices() {
        Embedding e = new Embedding(10, 4);
        assertMessage(() -> e.forward(Tensor.of(new long[] {1, 10})), "index 10", "out of range");
        assertMessage(() -> e.forward(Tensor.of(new long[] {-1})), "index -1", "out of range");
        assertMessage(() -> e.forward(Tensor.of(new float[] {1f})), "embedding", "i32 or i64", "f32");
    }

    @Test
    void flattenWithBadAxes() {
        assertMessage(() -> new Flatten(1, 5).forward(x(2, 3)), "axis 5");
    }

    @Test
    void badHyperParameters() {
        assertMessage(() -> new Linear(0, 3), "Linear", "in=0");
        assertMessage(() -> new Conv2d(3, 4, 3, Conv2d.Options.defaults().groups(2)), "Conv2d", "groups=2",
                "in=3");
        assertMessage(() -> new Conv1d(4, 6, 3, Conv1d.Options.defaults().groups(4)), "Conv1d",
                "out=6", "groups=4");
        assertMessage(() -> new Dropout(1.5), "Dropout", "1.5");
        assertMessage(() -> new BatchNorm1d(3, BatchNorm1d.Options.defaults().momentum(-0.1)), "BatchNorm", "momentum",
                "-0.1");
        assertMessage(() -> new BatchNorm1d(0), "BatchNorm1d", "numFeatures", "0");
        assertMessage(() -> new Embedding(0, 4), "Embedding", "0 x 4");
    }

    // ---- losses ----

    @Test
    void crossEntropyWithLabelsOutOfRange() {
        Tensor logits = x(3, 4);
        assertMessage(() -> Losses.crossEntropy(logits, Tensor.of(new long[] {0, 4, 1})), "crossEntropy", "label 4",
                "out of range for 4 classes", "0 .. 3");
        assertMessage(() -> Losses.crossEntropy(logits, Tensor.of(new long[] {0, -1, 1})), "crossEntropy", "label -1",
                "4 classes");
        assertMessage(() -> Losses.crossEntropy(logits, Tensor.of(new long[] {0, -100, 7}),
                CrossEntropyOptions.defaults()), "label 7");
        assertMessage(() -> Losses.nll(logits, Tensor.of(new int[] {9, 0, 0})), "nll",
                "label 9");
    }

    @Test
    void crossEntropyWithLabelsOfTheWrongShapeOrType() {
        Tensor logits = x(3, 4);
        assertMessage(() -> Losses.crossEntropy(logits, Tensor.of(new long[] {0, 1})), "crossEntropy", "[2]", "[3, 4]",
                "expected [3]");
        assertMessage(() -> Losses.crossEntropy(logits, Tensor.zeros(3)), "crossEntropy", "integer", "f32");
        assertMessage(() -> Losses.crossEntropy(logits, Tensor.of(new long[] {0, 1, 2}),
                CrossEntropyOptions.defaults().weight(Tensor.ones(3))), "class weights", "[4]", "[3]");
        assertMessage(() -> Losses.crossEntropy(logits, Tensor.of(new long[] {0, 1, 2}),
                CrossEntropyOptions.defaults().labelSmoothing(1.5)), "labelSmoothing", "1.5");
        assertMessage(() -> Losses.nll(x(4), Tensor.of(new long[] {0})), "nll", "[4]");
    }

    @Test
    void crossEntropyWithBadClassProbabilities() {
        Tensor logits = x(3, 4);
        assertMessage(() -> Losses.crossEntropy(logits, x(3, 5)), "crossEntropy", "class probabilities",
                "input's shape [3, 4]", "got [3, 5]", "integer", "[3]");
        assertMessage(() -> Losses.crossEntropy(x(2, 3, 4), x(2, 4, 3)), "crossEntropy", "[2, 3, 4]", "got [2, 4, 3]",
                "labels must be an integer tensor", "[2, 4]");
        assertMessage(() -> Losses.crossEntropy(x(4), x(4)), "crossEntropy", "expected input [N, C, …]", "[4]");
        assertMessage(() -> Losses.crossEntropy(logits, x(3, 4), CrossEntropyOptions.defaults()
                .weight(Tensor.ones(3))), "crossEntropy", "class weights", "[4]", "[3]");
        assertMessage(() -> Losses.crossEntropy(logits, x(3, 4), CrossEntropyOptions.defaults().ignoreIndex(0)),
                "crossEntropy", "ignoreIndex 0", "class-probability targets");
        assertMessage(() -> Losses.crossEntropy(logits, x(3, 4), CrossEntropyOptions.defaults()
                .labelSmoothing(-0.1)), "labelSmoothing", "-0.1");
        assertMessage(() -> Losses.nll(logits, x(3, 4)), "nll",
                "integer tensor", "f32", "use crossEntropy");
    }

    @Test
    void regressionAndBinaryLossesWithMismatchedShapes() {
        assertMessage(() -> Losses.mse(x(2, 3), x(3, 2)), "mse", "[2, 3]", "[3, 2]");
        assertMessage(() -> Losses.l1(x(2, 3), x(3), Reduction.SUM), "l1", "[2, 3]", "[3]");
        assertMessage(() -> Losses.smoothL1(x(2), x(3), 1, Reduction.MEAN), "smoothL1", "[2]", "[3]");
        assertMessage(() -> Losses.smoothL1(x(2), x(2), -1, Reduction.MEAN), "smoothL1", "beta");
        assertMessage(() -> Losses.huber(x(2), x(2), 0, Reduction.MEAN), "huber", "delta");
        assertMessage(() -> Losses.bce(x(2, 2), x(4)), "bce", "[2, 2]", "[4]");
        assertMessage(() -> Losses.bceWithLogits(x(2, 2), x(2, 3)), "bceWithLogits", "[2, 2]", "[2, 3]");
    }

    @Test
    void bceWithValuesOutsideZeroOne() {
        Tensor p = Tensor.of(new float[] {0.5f, 1.5f});
        assertMessage(() -> Losses.bce(p, Tensor.zeros(2)), "bce", "1.5",
                "bceWithLogits");
        Tensor nan = Tensor.of(new float[] {Float.NaN});
        assertMessage(() -> Losses.bce(nan, Tensor.zeros(1)), "bce", "NaN");
    }

    @Test
    void integerIndicesWhereFloatsAreExpectedAreNamed() {
        assertMessage(() -> Losses.crossEntropy(x(3, 4), Tensor.ones(DType.BOOL, 3)), "crossEntropy", "bool");
    }
}
