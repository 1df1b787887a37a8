package dev.deneb.nn;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.PoolOptions;
import dev.deneb.tensor.RowNorm;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The functions under the layers (like {@code torch.nn.functional}); each layer module is a thin holder of
 * parameters around one of these. Elementwise activations that {@link Tensor} already has (relu, tanh, gelu…)
 * are not repeated here.
 */
public final class Functional {
    private Functional() {}

    /**
     * Checks that a layer's input has the dtype of its parameters: mixing them is refused (as PyTorch does) rather
     * than silently promoted, which would hide a model left in another precision than its data.
     *
     * @param op        the layer or op, for the message
     * @param input     the input
     * @param parameter a parameter (or buffer) of the layer; null skips the check
     */
    public static void checkDType(String op, Tensor input, Tensor parameter) {
        if (parameter == null || input.dtype() == parameter.dtype()) {
            return;
        }
        DType want = parameter.dtype();
        String fix = "convert the input with x.to(DType." + want.name() + ")";
        if (input.dtype().isFloating()) {
            fix += " or the layer with layer.to(DType." + input.dtype().name() + ")";
        }
        throw new IllegalArgumentException(op + ": the input is " + input.dtype() + " but the parameters are " + want
                + "; " + fix);
    }

    /** {@code x·wᵀ + b} for x {@code [..., in]}, w {@code [out, in]}, b {@code [out]} or null. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        if (x.dim() == 0 || x.size(-1) != weight.size(1)) {
            throw new IllegalArgumentException("linear: expected input [..., " + weight.size(1) + "] for weight "
                    + Arrays.toString(weight.shape()) + ", got " + Arrays.toString(x.shape()));
        }
        checkDType("linear", x, weight);
        return Tensor.linear(x, weight, bias);
    }

    /** max(0, x) + slope·min(0, x). */
    public static Tensor leakyRelu(Tensor x, double slope) {
        return Tensor.where(x.gt(0), x, x.mul(slope));
    }

    /** x for x > 0, alpha·(eᵡ − 1) otherwise. */
    public static Tensor elu(Tensor x, double alpha) {
        Tensor positive = x.gt(0);
        // exp only of the non-positive part: e^x of a large positive x overflows, and 0·inf would poison the
        // gradient of the branch that where() discards.
        Tensor negative = Tensor.where(positive, Tensor.zerosLike(x), x);
        return Tensor.where(positive, x, negative.exp().sub(1).mul(alpha));
    }

    /**
     * Zeroes each element with probability {@code p} and scales the rest by 1/(1-p) while training; the identity
     * otherwise.
     */
    public static Tensor dropout(Tensor x, double p, boolean training, Generator generator) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("dropout: p must be in [0, 1], got " + p);
        }
        if (!training || p == 0) {
            return x;
        }
        if (p == 1) {
            return x.mul(0);
        }
        Tensor keep = generator.bernoulli(1 - p, x.shape()).to(x.dtype());
        // The mask is a new tensor: scaled in place when its dtype holds the scale.
        keep = x.dtype().isFloating() ? keep.mulInPlace(1.0 / (1 - p)) : keep.mul(1.0 / (1 - p));
        return x.mul((keep.to(x.backend())));
    }

    /**
     * Batch normalisation over every axis but 1 (channels) of {@code [N, C, ...]}. While training it normalises by
     * the batch statistics (biased variance) and updates the running ones in place (unbiased variance, as PyTorch);
     * otherwise it uses the running ones.
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight,
                                     Tensor bias, boolean training, double momentum, double eps) {
        if (x.dim() < 2) {
            throw new IllegalArgumentException("batchNorm: expected input [N, C, ...], got " + Arrays.toString(x.shape()));
        }
        checkDType("batchNorm", x, weight != null ? weight : runningMean);
        int c = x.size(1);
        int[] axes = new int[x.dim() - 1];
        int[] bshape = new int[x.dim()];
        Arrays.fill(bshape, 1);
        bshape[1] = c;
        for (int i = 0, j = 0; i < x.dim(); i++) {
            if (i != 1) {
                axes[j++] = i;
            }
        }
        Tensor centered;
        Tensor var;
        if (training) {
            int n = x.numel() / Math.max(1, c);
            if (n <= 1) {
                throw new IllegalArgumentException("batchNorm: expected more than 1 value per channel when training,"
                        + " got input " + Arrays.toString(x.shape()));
            }
            Tensor mean = x.mean(axes, true);
            centered = x.sub(mean);
            var = centered.mul(centered).mean(axes, true);
            if (runningMean != null) {
                Tensor batchMean = mean.detach().reshape(c);
                Tensor unbiased = var.detach().reshape(c).mul((double) n / (n - 1));
                runningMean.copyFrom(runningMean.mul(1 - momentum).add(batchMean.mul(momentum)));
                runningVar.copyFrom(runningVar.mul(1 - momentum).add(unbiased.mul(momentum)));
            }
        } else {
            centered = x.sub(runningMean.reshape(bshape));
            var = runningVar.reshape(bshape);
        }
        // The weight folds into the per-channel factor: one pass over x for the scale instead of two.
        Tensor scale = var.add(eps).rsqrt();
        if (weight != null) {
            scale = scale.mul(weight.reshape(bshape));
        }
        Tensor y = centered.mul(scale);
        return bias == null ? y : y.add(bias.reshape(bshape));
    }

    /** Normalises over the trailing axes given by {@code normalizedShape}, then applies weight and bias if given. */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        int k = normalizedShape.length;
        int[] xs = x.shape();
        if (k == 0 || k > xs.length
                || !Arrays.equals(Arrays.copyOfRange(xs, xs.length - k, xs.length), normalizedShape)) {
            throw new IllegalArgumentException("layerNorm: expected input [..., " + Arrays.toString(normalizedShape)
                    .replaceAll("[\\[\\]]", "") + "], got " + Arrays.toString(xs));
        }
        checkDType("layerNorm", x, weight);
        int features = 1;
        for (int d : normalizedShape) {
            features *= d;
        }
        // The fused row normalisation is a primitive of its own: one or two passes per row, and an exact rule.
        Tensor y = RowNorm.forward(x.reshape(-1, features), eps).normalized().reshape(xs);
        if (weight != null) {
            y = y.mul(weight);
        }
        return bias == null ? y : y.add(bias);
    }

    /** Average pooling of {@code [N, C, H, W]} to a fixed output size, with PyTorch's window boundaries. */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        if (x.dim() != 4 || outH < 1 || outW < 1) {
            throw new IllegalArgumentException("adaptiveAvgPool2d: expected input [N, C, H, W] and output size >= 1,"
                    + " got input " + Arrays.toString(x.shape()) + " and output " + outH + "x" + outW);
        }
        int h = x.size(2);
        int w = x.size(3);
        if (h % outH == 0 && w % outW == 0) {
            int kh = h / outH;
            int kw = w / outW;
            return x.avgPool2d(new PoolOptions(kh, kw, kh, kw, 0, 0, 1, 1, false, true));
        }
        List<Tensor> rows = new ArrayList<>();
        for (int i = 0; i < outH; i++) {
            int h0 = Math.floorDiv(i * h, outH);
            int h1 = Math.ceilDiv((i + 1) * h, outH);
            List<Tensor> cells = new ArrayList<>();
            for (int j = 0; j < outW; j++) {
                int w0 = Math.floorDiv(j * w, outW);
                int w1 = Math.ceilDiv((j + 1) * w, outW);
                cells.add(x.slice(2, h0, h1).slice(3, w0, w1).mean(new int[] {2, 3}, true));
            }
            rows.add(Tensor.cat(3, cells));
        }
        return Tensor.cat(2, rows);
    }

    /** Rows of {@code weight} at integer {@code indices}; shape {@code indices.shape + [dim]}. */
    public static Tensor embedding(Tensor indices, Tensor weight) {
        if (indices.dtype().isFloating() || indices.dtype() == DType.BOOL) {
            throw new IllegalArgumentException("embedding: indices must be i32 or i64, got " + indices.dtype()
                    + "; convert them with x.to(DType.I64)");
        }
        return Tensor.embedding(weight, indices);
    }
}
