package dev.deneb.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.autograd.GradCheck;
import dev.deneb.nn.Losses.CrossEntropyOptions;
import dev.deneb.nn.Losses.Reduction;
import dev.deneb.tensor.ConvOptions;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.PoolOptions;
import dev.deneb.tensor.Tensor;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference gradient checks in f64 ({@link GradCheck}, PyTorch's default step and tolerances) through every
 * layer and loss, on tiny shapes. Parameter-free layers are checked as modules; layers with parameters through the
 * functional form they are built on, with the parameters as checked inputs. Inputs are kept away from kinks (ReLU at
 * 0, |d| = beta for smooth L1, ties in max pooling) so that finite differences are meaningful.
 */
class LayerGradCheckTest {
    private static final Generator G = new Generator(2024);

    private static Tensor randn(int... shape) {
        return G.normal(0, 1, shape).to(DType.F64);
    }

    /** Random values with |x| >= 0.1 (away from the kinks of relu-like functions at 0). */
    private static Tensor awayFromZero(int... shape) {
        Tensor t = randn(shape);
        return t.add(t.sign().mul(0.1));
    }

    /** Distinct values (a shuffled ramp plus noise): no ties for max pooling. */
    private static Tensor distinct(int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        Tensor ramp = Tensor.arange(0, n, 1).to(DType.F64).mul(0.1);
        return ramp.indexSelect(0, G.permutation(n)).reshape(shape).add(G.uniform(0, 0.01, shape).to(DType.F64));
    }

    private static Tensor labels(long... v) {
        return Tensor.of(v);
    }

    private static Arguments c(String name, Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        return Arguments.of(name, f, inputs);
    }

    private static Function<List<Tensor>, Tensor> module(Layer m) {
        return v -> m.forward(v.get(0));
    }

    static Stream<Arguments> layers() {
        Layer eval = new Dropout(0.5);
        eval.eval();
        return Stream.of(
                c("linear", v -> Functional.linear(v.get(0), v.get(1), v.get(2)), randn(2, 3), randn(4, 3), randn(4)),
                c("linear 3-D no bias", v -> Functional.linear(v.get(0), v.get(1), null), randn(2, 2, 3), randn(2, 3)),
                c("conv1d s2 p1 d2 g2", v -> Tensor.conv1d(v.get(0), v.get(1), v.get(2), ConvOptions.of(2, 1, 2, 2)),
                        randn(1, 4, 7), randn(4, 2, 3), randn(4)),
                c("conv2d s(2,1) p(1,0) g2", v -> Tensor.conv2d(v.get(0), v.get(1), v.get(2),
                        new ConvOptions(2, 1, 1, 0, 1, 1, 2)), randn(1, 2, 5, 4), randn(4, 1, 3, 2), randn(4)),
                c("conv2d dilation 2", v -> Tensor.conv2d(v.get(0), v.get(1), null, ConvOptions.of(1, 1, 2, 1)),
                        randn(1, 1, 5, 5), randn(2, 1, 2, 2)),
                c("maxpool1d", module(new MaxPool1d(PoolOptions.of(3).stride(2).padding(1))), distinct(1, 2, 7)),
                c("maxpool2d k3 s2 p1 ceil", module(new MaxPool2d(new PoolOptions(3, 3, 2, 2, 1, 1, 1, 1, true, true))),
                        distinct(1, 2, 6, 6)),
                c("maxpool2d dilation 2", module(new MaxPool2d(new PoolOptions(2, 2, 1, 1, 0, 0, 2, 2, false, true))),
                        distinct(1, 1, 5, 5)),
                c("avgpool2d count_include_pad", module(new AvgPool2d(PoolOptions.of(3, 2, 1))), randn(1, 2, 5, 5)),
                c("avgpool2d exclude pad, ceil",
                        module(new AvgPool2d(new PoolOptions(3, 3, 2, 2, 1, 1, 1, 1, true, false))), randn(1, 1, 6, 6)),
                c("adaptiveavgpool2d 3x4 of 5x7", module(new AdaptiveAvgPool2d(3, 4)), randn(1, 1, 5, 7)),
                c("batchnorm train [N, C]", v -> Functional.batchNorm(v.get(0), null, null, v.get(1), v.get(2), true,
                        0.1, 1e-5), randn(4, 3), randn(3), randn(3)),
                c("batchnorm train [N, C, H, W]", v -> Functional.batchNorm(v.get(0), null, null, v.get(1), v.get(2),
                        true, 0.1, 1e-5), randn(2, 2, 2, 3), randn(2), randn(2)),
                c("batchnorm eval", v -> Functional.batchNorm(v.get(0), Tensor.of(new double[] {0.5, -1}),
                        Tensor.of(new double[] {2, 0.5}), v.get(1), v.get(2), false, 0.1, 1e-5),
                        randn(3, 2, 2), randn(2), randn(2)),
                c("layernorm [3, 4]", v -> Functional.layerNorm(v.get(0), new int[] {3, 4}, v.get(1), v.get(2), 1e-5),
                        randn(2, 3, 4), randn(3, 4), randn(3, 4)),
                c("embedding", v -> Functional.embedding(v.get(1).detach(), v.get(0)), randn(5, 3),
                        labels(1, 4, 1, 0).reshape(2, 2)),
                c("dropout train (fixed mask)", v -> Functional.dropout(v.get(0), 0.3, true, new Generator(5)),
                        randn(3, 4)),
                c("dropout eval", module(eval), randn(2, 3)),
                c("flatten", module(new Flatten()), randn(2, 2, 3)),
                c("relu", module(Activation.relu()), awayFromZero(3, 4)),
                c("leakyrelu", module(Activation.leakyRelu(0.1)), awayFromZero(3, 4)),
                c("elu", module(Activation.elu(0.7)), awayFromZero(3, 4)),
                c("gelu", module(Activation.gelu()), randn(3, 4)),
                c("silu", module(Activation.silu()), randn(3, 4)),
                c("tanh", module(Activation.tanh()), randn(3, 4)),
                c("sigmoid", module(Activation.sigmoid()), randn(3, 4)),
                c("softmax", module(Activation.softmax(1)), randn(3, 4)),
                c("logsoftmax", module(Activation.logSoftmax(1)), randn(3, 4)));
    }

    /** The issue-15 layers: transposed convolutions, interpolation, group and instance norm, PReLU, Unflatten. */
    static Stream<Arguments> moreLayers() {
        Upsample.Options up = Upsample.Options.defaults();
        Upsample.Mode bilinear = Upsample.Mode.BILINEAR;
        Tensor runningMean = Tensor.of(new double[] {0.5, -1, 0.2});
        Tensor runningVar = Tensor.of(new double[] {2, 0.5, 1.3});
        return Stream.of(
                c("convTranspose2d s2 p1 output padding 1", v -> Functional.convTranspose2d(v.get(0), v.get(1),
                        v.get(2), ConvOptions.of(2, 1, 1, 1), 1, 1), randn(2, 2, 3, 3), randn(2, 3, 3, 3), randn(3)),
                c("convTranspose2d groups 2 dilation 2 rect", v -> Functional.convTranspose2d(v.get(0), v.get(1), null,
                        new ConvOptions(1, 2, 1, 0, 2, 1, 2), 0, 1), randn(1, 4, 3, 3), randn(4, 1, 2, 3)),
                c("convTranspose1d s3 output padding 2", v -> Functional.convTranspose1d(v.get(0), v.get(1), v.get(2),
                        ConvOptions.of(3, 1, 1, 1), 2), randn(2, 2, 4), randn(2, 3, 3), randn(3)),
                c("ConvTranspose2d forward(x, outputSize)", v -> {
                    ConvTranspose2d m = new ConvTranspose2d(2, 2, 3, ConvTranspose2d.Options.defaults().stride(2)
                            .generator(new Generator(9)));
                    m.to(DType.F64);
                    return m.forward(v.get(0), 10, 7);
                }, randn(1, 2, 4, 3)),
                c("interpolate nearest 2-D scale 1.7", module(new Upsample(up.scaleFactor(1.7))), randn(1, 2, 3, 4)),
                c("interpolate nearest 1-D size 7", module(new Upsample(up.size(7))), randn(2, 2, 3)),
                c("interpolate nearest 3-D down and up", module(new Upsample(up.size(2, 3, 5))), randn(1, 1, 3, 2, 3)),
                c("interpolate bilinear scale 2", module(new Upsample(2, bilinear)), randn(1, 2, 3, 3)),
                c("interpolate bilinear align corners", module(new Upsample(up.size(5, 2).mode(bilinear)
                        .alignCorners(true))), randn(2, 1, 3, 4)),
                c("interpolate bilinear down 0.6, recomputed", module(new Upsample(up.scaleFactor(0.6).mode(bilinear)
                        .recomputeScaleFactor(true))), randn(1, 2, 5, 6)),
                c("interpolate linear scale 2.5", module(new Upsample(2.5, Upsample.Mode.LINEAR)), randn(2, 2, 4)),
                c("groupNorm affine", v -> Functional.groupNorm(v.get(0), 2, v.get(1), v.get(2), 1e-5),
                        randn(2, 4, 2, 3), randn(4), randn(4)),
                c("groupNorm no affine [N, C, L]", v -> Functional.groupNorm(v.get(0), 3, null, null, 1e-5),
                        randn(2, 6, 3)),
                c("instanceNorm input statistics, affine", v -> Functional.instanceNorm(v.get(0), null, null, v.get(1),
                        v.get(2), true, 0.1, 1e-5), randn(2, 3, 2, 3), randn(3), randn(3)),
                c("instanceNorm running statistics", v -> Functional.instanceNorm(v.get(0), runningMean, runningVar,
                        v.get(1), null, false, 0.1, 1e-5), randn(2, 3, 2, 2), randn(3)),
                c("InstanceNorm2d unbatched", module(new InstanceNorm2d(2)), randn(2, 3, 3)),
                c("prelu one slope", v -> Functional.prelu(v.get(0), v.get(1)), awayFromZero(2, 3, 2), randn(1)),
                c("prelu per channel", v -> Functional.prelu(v.get(0), v.get(1)), awayFromZero(2, 3, 2), randn(3)),
                c("leakyrelu default slope", module(Activation.leakyRelu()), awayFromZero(3, 4)),
                c("unflatten", module(new Unflatten(1, 2, -1)), randn(2, 6, 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("moreLayers")
    void moreLayersMatchFiniteDifferences(String name, Function<List<Tensor>, Tensor> f, Tensor[] inputs) {
        GradCheck.Result r = GradCheck.check(f, List.of(inputs), GradCheck.Options.defaults());
        assertTrue(r.passed() && r.elementsChecked() > 0, name + ": " + r.message());
    }

    /** groupNorm runs on the fused row normalisation; gradients of gradients must still be exact. */
    @Test
    void groupNormSecondOrder() {
        GradCheck.assertSecondOrder(v -> Functional.groupNorm(v.get(0), 2, v.get(1), v.get(2), 1e-5),
                randn(2, 4, 3), randn(4), randn(4));
    }

    static Stream<Arguments> losses() {
        Tensor lab = labels(2, 0, -100, 1);
        Tensor cw = Tensor.of(new double[] {0.5, 2, 1});
        CrossEntropyOptions all = CrossEntropyOptions.defaults().weight(cw).labelSmoothing(0.15);
        Tensor probs = G.uniform(0.1, 0.9, 3, 2).to(DType.F64);
        Tensor soft = G.uniform(0, 1, 3, 2).to(DType.F64);
        Tensor ew = G.uniform(0.5, 1.5, 3, 2).to(DType.F64);
        Tensor pw = Tensor.of(new double[] {0.5, 3});
        Tensor a = randn(3, 2);
        Tensor b = a.add(awayFromZero(3, 2).mul(1.5)); // |a − b| >= 0.15, and off beta/delta below
        return Stream.of(
                c("mse mean", v -> Losses.mse(v.get(0), v.get(1)), a, b),
                c("mse none", v -> Losses.mse(v.get(0), v.get(1), Reduction.NONE), a, b),
                c("l1 sum", v -> Losses.l1(v.get(0), v.get(1), Reduction.SUM), a, b),
                c("smoothL1 beta 0.8", v -> Losses.smoothL1(v.get(0), v.get(1), 0.8, Reduction.NONE), a, b),
                c("huber delta 0.9", v -> Losses.huber(v.get(0), v.get(1), 0.9, Reduction.MEAN), a, b),
                c("crossEntropy mean", v -> Losses.crossEntropy(v.get(0), lab), randn(4, 3)),
                c("crossEntropy weight+smoothing+ignore mean", v -> Losses.crossEntropy(v.get(0), lab, all),
                        randn(4, 3)),
                c("crossEntropy weight+smoothing sum", v -> Losses.crossEntropy(v.get(0), lab,
                        all.reduction(Reduction.SUM)), randn(4, 3)),
                c("crossEntropy smoothing none", v -> Losses.crossEntropy(v.get(0), lab,
                        all.reduction(Reduction.NONE)), randn(4, 3)),
                c("crossEntropy [N, C, d]", v -> Losses.crossEntropy(v.get(0), labels(0, 2, 1, 1).reshape(2, 2)),
                        randn(2, 3, 2)),
                c("nll weight ignore", v -> Losses.nll(v.get(0), lab,
                        Losses.NllOptions.defaults().weight(cw)), randn(4, 3)),
                // class probabilities as targets: gradients of the logits and of the target
                c("crossEntropy probs mean", v -> Losses.crossEntropy(v.get(0), v.get(1)), randn(4, 3),
                        randn(4, 3).softmax(1)),
                c("crossEntropy probs weight+smoothing mean", v -> Losses.crossEntropy(v.get(0), v.get(1), all),
                        randn(4, 3), randn(4, 3).softmax(1)),
                c("crossEntropy probs weight+smoothing sum", v -> Losses.crossEntropy(v.get(0), v.get(1),
                        all.reduction(Reduction.SUM)), randn(4, 3), randn(4, 3).softmax(1)),
                c("crossEntropy probs [N, C, d] weight none", v -> Losses.crossEntropy(v.get(0), v.get(1),
                        all.reduction(Reduction.NONE)), randn(2, 3, 2), randn(2, 3, 2).softmax(1)),
                c("bce weight mean", v -> Losses.bce(v.get(0), v.get(1),
                        Losses.BceOptions.defaults().weight(ew)), probs, soft),
                c("bceWithLogits weight pos_weight none", v -> Losses.bceWithLogits(v.get(0), v.get(1),
                        Losses.BceOptions.defaults().weight(ew).posWeight(pw).reduction(Reduction.NONE)),
                        randn(3, 2).mul(2), soft),
                c("bceWithLogits mean", v -> Losses.bceWithLogits(v.get(0), v.get(1)), randn(3, 2).mul(2), soft));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"layers", "losses"})
    void gradientsMatchFiniteDifferences(String name, Function<List<Tensor>, Tensor> f, Tensor[] inputs) {
        GradCheck.Result r = GradCheck.check(f, List.of(inputs), GradCheck.Options.defaults());
        assertTrue(r.passed() && r.elementsChecked() > 0, name + ": " + r.message());
    }

    /** layerNorm's backward is a fused step; with createGraph it must still give exact second derivatives. */
    @Test
    void layerNormSecondOrder() {
        GradCheck.assertSecondOrder(v -> Functional.layerNorm(v.get(0), new int[] {4}, v.get(1), v.get(2), 1e-5),
                randn(3, 4), randn(4), randn(4));
    }
}
