package dev.deneb.nn;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;

/**
 * The index arithmetic of {@link Functional#interpolate}, written to give PyTorch 1.13's source indices exactly.
 * Each spatial axis is resized on its own (the modes are separable), the last axis first, which is also the order
 * of PyTorch's sums; the result is index selections and weighted sums of them, so gradients come from those ops'
 * rules (index selection's adjoint adds into the picked positions).
 *
 * <p>Nearest has two kernels in PyTorch, both reproduced here so that it picks the same source pixel as PyTorch
 * for every size and factor (checked over a sweep of sizes and factors against PyTorch's own output). With one
 * spatial axis the index is computed in the input's "op-math" type: in float for f32 inputs (scale and product),
 * and for f64 inputs in double with the product rounded to float before the floor. With two or three spatial axes
 * it is computed in float whatever the dtype, and an axis whose output size equals its input size is copied as it
 * is, one twice as large takes {@code dst / 2}, whatever the scale factor.
 */
final class Interpolation {
    private Interpolation() {}

    static Tensor interpolate(Tensor x, Upsample.Options o) {
        String op = "interpolate";
        OptionChecks.requireOptions(op, o);
        o.checkComplete(op);
        Upsample.Mode mode = o.mode();
        int spatial = x.dim() - 2;
        boolean rankOk = switch (mode) {
            case NEAREST -> spatial >= 1 && spatial <= 3;
            case LINEAR -> spatial == 1;
            case BILINEAR -> spatial == 2;
        };
        if (!rankOk) {
            throw new IllegalArgumentException(op + ": mode " + mode + " expects input of shape " + switch (mode) {
                case NEAREST -> "[N, C, L], [N, C, H, W] or [N, C, D, H, W]";
                case LINEAR -> "[N, C, L]";
                case BILINEAR -> "[N, C, H, W]";
            } + ", got " + Arrays.toString(x.shape()));
        }
        if (mode.interpolating() && !x.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": mode " + mode + " needs a floating-point input, got "
                    + x.dtype());
        }
        int[] size = o.size();
        double[] factor = o.scaleFactor();
        int given = size != null ? size.length : factor.length;
        if (given != 1 && given != spatial) {
            throw new IllegalArgumentException(op + ": expected " + (size != null ? "size" : "scaleFactor")
                    + " with 1 or " + spatial + " values for input " + Arrays.toString(x.shape()) + ", got "
                    + (size != null ? Arrays.toString(size) : Arrays.toString(factor)));
        }
        int[] in = Arrays.copyOfRange(x.shape(), 2, x.dim());
        int[] out = new int[spatial];
        double[] scales = new double[spatial]; // NaN: no factor reaches the index formula
        for (int d = 0; d < spatial; d++) {
            if (in[d] < 1) {
                throw new IllegalArgumentException(op + ": input " + Arrays.toString(x.shape())
                        + " has an empty spatial axis");
            }
            if (size != null) {
                out[d] = size[given == 1 ? 0 : d];
                scales[d] = Double.NaN;
            } else {
                double f = factor[given == 1 ? 0 : d];
                double outSize = Math.floor(in[d] * f);
                if (outSize < 1 || outSize > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(op + ": scaleFactor " + f + " turns spatial size " + in[d]
                            + " of input " + Arrays.toString(x.shape()) + " into " + (long) outSize
                            + "; the output size must be between 1 and " + Integer.MAX_VALUE);
                }
                out[d] = (int) outSize;
                scales[d] = o.recomputeScaleFactor() ? Double.NaN : f;
            }
        }
        boolean f64 = x.dtype() == DType.F64;
        Tensor y = x;
        for (int d = spatial - 1; d >= 0; d--) {
            int axis = 2 + d;
            y = mode == Upsample.Mode.NEAREST ? nearest(y, axis, in[d], out[d], scales[d], f64, spatial)
                    : linear(y, axis, in[d], out[d], scales[d], o.alignCorners(), f64);
        }
        return y;
    }

    /**
     * Source indices of nearest, {@code min(floor(dst · scale), in - 1)}, for an input with {@code spatial} spatial
     * axes (see the class comment for the arithmetic and the shortcuts).
     */
    static long[] nearestIndices(int in, int out, double scaleFactor, boolean f64, int spatial) {
        long[] idx = new long[out];
        boolean given = !Double.isNaN(scaleFactor) && scaleFactor > 0;
        if (spatial > 1 && (out == in || out == 2 * in)) {
            for (int i = 0; i < out; i++) {
                idx[i] = out == in ? i : i >> 1;
            }
        } else if (f64 && spatial == 1) {
            double scale = given ? 1.0 / scaleFactor : (double) in / out;
            for (int i = 0; i < out; i++) {
                idx[i] = Math.min((long) Math.floor((float) (i * scale)), in - 1);
            }
        } else {
            float scale = given ? (float) (1.0 / scaleFactor) : (float) in / (float) out;
            for (int i = 0; i < out; i++) {
                idx[i] = Math.min((long) Math.floor((float) i * scale), in - 1);
            }
        }
        return idx;
    }

    private static Tensor nearest(Tensor x, int axis, int in, int out, double scaleFactor, boolean f64,
                                  int spatial) {
        long[] idx = nearestIndices(in, out, scaleFactor, f64, spatial);
        boolean identity = in == out;
        for (int i = 0; identity && i < out; i++) {
            identity = idx[i] == i;
        }
        return identity ? x : x.indexSelect(axis, Tensor.of(idx).to(x.backend()));
    }

    /** The two source positions and weights of each output position along one axis, as PyTorch computes them. */
    record Taps(long[] index0, long[] index1, double[] lambda0, double[] lambda1) {}

    static Taps linearTaps(int in, int out, double scaleFactor, boolean alignCorners, boolean f64) {
        long[] i0 = new long[out];
        long[] i1 = new long[out];
        double[] l0 = new double[out];
        double[] l1 = new double[out];
        boolean given = !Double.isNaN(scaleFactor) && scaleFactor > 0;
        double scaleD = alignCorners ? (out > 1 ? (double) (in - 1) / (out - 1) : 0)
                : given ? 1.0 / scaleFactor : (double) in / out;
        float scaleF = alignCorners ? (out > 1 ? (float) (in - 1) / (float) (out - 1) : 0f)
                : given ? (float) (1.0 / scaleFactor) : (float) in / (float) out;
        for (int i = 0; i < out; i++) {
            if (in == out) {
                i0[i] = i;
                i1[i] = i;
                l0[i] = 1;
                continue;
            }
            if (f64) {
                double src = alignCorners ? scaleD * i : Math.max(scaleD * (i + 0.5) - 0.5, 0);
                i0[i] = (long) src;
                i1[i] = i0[i] + (i0[i] < in - 1 ? 1 : 0);
                l1[i] = Math.min(Math.max(src - i0[i], 0), 1);
                l0[i] = 1 - l1[i];
            } else {
                float src = alignCorners ? scaleF * i : Math.max(scaleF * (i + 0.5f) - 0.5f, 0f);
                i0[i] = (long) src;
                i1[i] = i0[i] + (i0[i] < in - 1 ? 1 : 0);
                float lambda1 = Math.min(Math.max(src - i0[i], 0f), 1f);
                l1[i] = lambda1;
                l0[i] = 1f - lambda1;
            }
        }
        return new Taps(i0, i1, l0, l1);
    }

    private static Tensor linear(Tensor x, int axis, int in, int out, double scaleFactor, boolean alignCorners,
                                 boolean f64) {
        if (in == out) {
            return x;
        }
        Taps t = linearTaps(in, out, scaleFactor, alignCorners, f64);
        int[] wshape = new int[x.dim()];
        Arrays.fill(wshape, 1);
        wshape[axis] = out;
        Tensor w0 = Tensor.of(t.lambda0(), wshape).to(x.dtype()).to(x.backend());
        Tensor w1 = Tensor.of(t.lambda1(), wshape).to(x.dtype()).to(x.backend());
        Tensor a = x.indexSelect(axis, Tensor.of(t.index0()).to(x.backend()));
        Tensor b = x.indexSelect(axis, Tensor.of(t.index1()).to(x.backend()));
        return a.mul(w0).add(b.mul(w1));
    }
}
