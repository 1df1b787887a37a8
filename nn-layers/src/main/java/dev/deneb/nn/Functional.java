package dev.deneb.nn;

import dev.deneb.tensor.ConvOptions;
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

    /** max(0, x) + slope·min(0, x) (PyTorch's default slope is 0.01; module: {@link Activation#leakyRelu()}). */
    public static Tensor leakyRelu(Tensor x, double slope) {
        return Tensor.where(x.gt(0), x, x.mul(slope));
    }

    /**
     * x for x &gt; 0, {@code weight}·x otherwise, with a learnable slope: {@code weight} {@code [1]} (one slope) or
     * {@code [C]}, one per channel on axis 1 of {@code [N, C, ...]} (PyTorch's {@code F.prelu}).
     */
    public static Tensor prelu(Tensor x, Tensor weight) {
        if (weight.dim() != 1 || weight.size(0) < 1) {
            throw new IllegalArgumentException("prelu: expected weight of shape [1] or [C], got "
                    + Arrays.toString(weight.shape()));
        }
        checkDType("prelu", x, weight);
        Tensor slope = weight;
        int c = weight.size(0);
        if (c != 1) {
            if (x.dim() < 2 || x.size(1) != c) {
                throw new IllegalArgumentException("prelu: expected input [N, " + c + ", ...] (channels on axis 1 to"
                        + " match weight " + Arrays.toString(weight.shape()) + "), got " + Arrays.toString(x.shape()));
            }
            int[] shape = new int[x.dim()];
            Arrays.fill(shape, 1);
            shape[1] = c;
            slope = weight.reshape(shape);
        } else if (x.dim() == 0) {
            slope = weight.reshape();
        }
        return Tensor.where(x.gt(0), x, x.mul(slope));
    }

    /**
     * 2-D transposed convolution (PyTorch's {@code F.conv_transpose2d}): input {@code [N, C_in, H, W]}, weight
     * {@code [C_in, C_out / groups, kH, kW]}, bias {@code [C_out]} or null; see {@link Tensor#convTranspose2d}.
     */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, ConvOptions options,
                                         int outputPaddingH, int outputPaddingW) {
        checkDType("convTranspose2d", x, weight);
        return Tensor.convTranspose2d(x, weight, bias, options, outputPaddingH, outputPaddingW);
    }

    /** 1-D transposed convolution: input {@code [N, C_in, L]}, weight {@code [C_in, C_out / groups, k]}; the
     *  width settings of the options apply. */
    public static Tensor convTranspose1d(Tensor x, Tensor weight, Tensor bias, ConvOptions options,
                                         int outputPadding) {
        checkDType("convTranspose1d", x, weight);
        return Tensor.convTranspose1d(x, weight, bias, options, outputPadding);
    }

    /**
     * Resizes the spatial axes (PyTorch's {@code F.interpolate}) by the options' size or scale factor, in mode
     * nearest (1 to 3 spatial axes), linear ({@code [N, C, L]}) or bilinear ({@code [N, C, H, W]}), with
     * PyTorch's index formulas (see {@link Upsample}).
     */
    public static Tensor interpolate(Tensor x, Upsample.Options options) {
        return Interpolation.interpolate(x, options);
    }

    /** {@link #interpolate(Tensor, Upsample.Options)} to a given spatial size. */
    public static Tensor interpolate(Tensor x, int[] size, Upsample.Mode mode) {
        return Interpolation.interpolate(x, Upsample.Options.defaults().size(size).mode(mode));
    }

    /** {@link #interpolate(Tensor, Upsample.Options)} by one factor on every spatial axis. */
    public static Tensor interpolate(Tensor x, double scaleFactor, Upsample.Mode mode) {
        return Interpolation.interpolate(x, Upsample.Options.defaults().scaleFactor(scaleFactor).mode(mode));
    }

    /** x for x > 0, alpha·(eᵡ − 1) otherwise. */
    public static Tensor elu(Tensor x, double alpha) {
        Tensor positive = x.gt(0);
        // exp only of the non-positive part: e^x of a large positive x overflows, and 0·inf would poison the
        // gradient of the branch that where() discards.
        Tensor negative = Tensor.where(positive, Tensor.zeros(x.dtype()), x);
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
        // The fused row normalisation is a primitive of its own: one or two passes per row, and an exact rule;
        // with both weight and bias, the affine part too (one tensor written instead of three, same bits).
        if (weight != null && bias != null && bias.dtype() == x.dtype()
                && Arrays.equals(weight.shape(), normalizedShape) && Arrays.equals(bias.shape(), normalizedShape)) {
            return RowNorm.affine(x.reshape(-1, features), weight.reshape(features), bias.reshape(features), eps)
                    .reshape(xs);
        }
        Tensor y = RowNorm.forward(x.reshape(-1, features), eps).normalized().reshape(xs);
        if (weight != null) {
            y = y.mul(weight);
        }
        return bias == null ? y : y.add(bias);
    }

    /**
     * Group normalisation of {@code [N, C, ...]} (PyTorch's {@code F.group_norm}): the channels split into
     * {@code numGroups} groups of consecutive channels, each sample's group normalised to zero mean and unit
     * (biased) variance over its channels and positions, then scaled by {@code weight [C]} and shifted by
     * {@code bias [C]} when given.
     */
    public static Tensor groupNorm(Tensor x, int numGroups, Tensor weight, Tensor bias, double eps) {
        if (x.dim() < 2 || numGroups < 1 || x.size(1) % numGroups != 0 || x.numel() == 0) {
            throw new IllegalArgumentException("groupNorm: expected a non-empty input [N, C, ...] with C divisible by"
                    + " numGroups " + numGroups + ", got " + Arrays.toString(x.shape()));
        }
        checkDType("groupNorm", x, weight);
        int[] xs = x.shape();
        Tensor y = RowNorm.forward(x.reshape(xs[0] * numGroups, -1), eps).normalized().reshape(xs);
        return channelAffine("groupNorm", y, weight, bias);
    }

    /**
     * Instance normalisation of {@code [N, C, ...]} (PyTorch's {@code F.instance_norm}): each sample's channel
     * normalised over its positions. With {@code useInputStats} the statistics are the input's (biased variance),
     * and running statistics, when given ({@code [C]}), are updated in place with the batch average of each
     * channel's mean and unbiased variance (weight {@code momentum}); otherwise the running statistics are used.
     * Then {@code weight [C]} and {@code bias [C]} when given.
     */
    public static Tensor instanceNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                      boolean useInputStats, double momentum, double eps) {
        if (x.dim() < 3 || x.numel() == 0) {
            throw new IllegalArgumentException("instanceNorm: expected a non-empty input [N, C, ...] with at least"
                    + " one spatial axis, got " + Arrays.toString(x.shape()));
        }
        if ((runningMean == null) != (runningVar == null)) {
            throw new IllegalArgumentException("instanceNorm: give both running statistics or neither");
        }
        checkDType("instanceNorm", x, weight != null ? weight : runningMean);
        int[] xs = x.shape();
        int n = xs[0];
        int c = xs[1];
        int positions = x.numel() / (n * c);
        int[] bshape = new int[x.dim()];
        Arrays.fill(bshape, 1);
        bshape[1] = c;
        Tensor y;
        if (useInputStats) {
            if (positions <= 1) {
                throw new IllegalArgumentException("instanceNorm: expected more than 1 spatial element when"
                        + " training, got input " + Arrays.toString(xs));
            }
            y = RowNorm.forward(x.reshape(n * c, positions), eps).normalized().reshape(xs);
            if (runningMean != null) {
                Tensor rows = x.detach().reshape(n, c, positions);
                Tensor mean = rows.mean(new int[] {2}, false).mean(new int[] {0}, false);
                Tensor unbiased = rows.var(new int[] {2}, 1, false).mean(new int[] {0}, false);
                runningMean.copyFrom(runningMean.mul(1 - momentum).add(mean.mul(momentum)));
                runningVar.copyFrom(runningVar.mul(1 - momentum).add(unbiased.mul(momentum)));
            }
        } else {
            if (runningMean == null) {
                throw new IllegalArgumentException("instanceNorm: running statistics are needed when not using the"
                        + " input's statistics");
            }
            y = x.sub(runningMean.reshape(bshape)).mul(runningVar.reshape(bshape).add(eps).rsqrt());
        }
        return channelAffine("instanceNorm", y, weight, bias);
    }

    /** {@code y·weight + bias} with {@code [C]} tensors applied along axis 1; either may be null. */
    private static Tensor channelAffine(String op, Tensor y, Tensor weight, Tensor bias) {
        int c = y.size(1);
        int[] bshape = new int[y.dim()];
        Arrays.fill(bshape, 1);
        bshape[1] = c;
        for (Tensor t : new Tensor[] {weight, bias}) {
            if (t != null && (t.dim() != 1 || t.size(0) != c)) {
                throw new IllegalArgumentException(op + ": expected weight and bias of shape [" + c + "] (the input's"
                        + " channels), got " + Arrays.toString(t.shape()));
            }
        }
        if (weight != null) {
            y = y.mul(weight.reshape(bshape));
        }
        return bias == null ? y : y.add(bias.reshape(bshape));
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
