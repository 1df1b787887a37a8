package dev.deneb.nn.graph;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;

/**
 * Scatter reductions over the first axis (PyTorch Geometric's {@code torch_scatter}), built on the differentiable
 * {@link Tensor#scatterAdd} and {@link Tensor#indexSelect} / {@link Tensor#gather}: row i of {@code src} goes to
 * row {@code index[i]} of the result, which has {@code size} rows.
 */
public final class Scatter {
    private Scatter() {}

    /** {@code out[j] = Σ_{i: index[i] = j} src[i]}; src {@code [E, ...]}, index {@code [E]}, out {@code [size, ...]}. */
    public static Tensor sum(Tensor src, Tensor index, int size) {
        check("Scatter.sum", src, index, size);
        int[] shape = src.shape().clone();
        shape[0] = size;
        Tensor zeros = (Tensor.zeros(src.dtype(), shape).to(src.backend()));
        if (src.size(0) == 0) {
            return zeros.add(src.sum(new int[] {0}, true));  // keeps the graph connected; adds zeros
        }
        return zeros.scatterAdd(0, spread(index, src.shape()), src);
    }

    /** The mean over each group; empty groups give 0. */
    public static Tensor mean(Tensor src, Tensor index, int size) {
        Tensor s = sum(src, index, size);
        double[] count = counts(index, size);
        for (int i = 0; i < size; i++) {
            count[i] = 1.0 / Math.max(1.0, count[i]);
        }
        int[] shape = new int[src.dim()];
        Arrays.fill(shape, 1);
        shape[0] = size;
        return s.mul((Tensor.of(count, shape).to(src.dtype()).to(src.backend())));
    }

    /**
     * The maximum over each group, elementwise; empty groups give 0. The gradient goes to the (first) arg-max of each
     * group and column, as PyTorch's {@code amax} would send it to one element.
     */
    public static Tensor max(Tensor src, Tensor index, int size) {
        check("Scatter.max", src, index, size);
        int e = src.size(0);
        int cols = e == 0 ? 0 : src.numel() / e;
        double[] x = src.toDoubleArray();
        long[] idx = index.toLongArray();
        long[] arg = new long[size * cols];
        boolean[] empty = new boolean[size * cols];
        Arrays.fill(arg, -1);
        for (int i = 0; i < e; i++) {
            int g = (int) idx[i];
            for (int c = 0; c < cols; c++) {
                int o = g * cols + c;
                if (arg[o] < 0 || x[i * cols + c] > x[(int) arg[o] * cols + c]) {
                    arg[o] = i;
                }
            }
        }
        for (int o = 0; o < arg.length; o++) {
            if (arg[o] < 0) {
                arg[o] = 0;
                empty[o] = true;
            }
        }
        int[] shape = src.shape().clone();
        shape[0] = size;
        if (e == 0) {
            return (Tensor.zeros(src.dtype(), shape));
        }
        Tensor out = src.gather(0, Tensor.of(arg, shape).to(src.backend()));
        Tensor emptyMask = Tensor.of(empty, shape).to(src.backend());
        return out.maskedFill(emptyMask, 0);
    }

    /** The per-group maximum as a plain tensor (no gradient), {@code -inf} for empty groups. */
    public static Tensor maxValues(Tensor src, Tensor index, int size) {
        int e = src.size(0);
        int cols = e == 0 ? 1 : src.numel() / e;
        double[] x = src.toDoubleArray();
        long[] idx = index.toLongArray();
        double[] m = new double[size * cols];
        Arrays.fill(m, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < e; i++) {
            int base = (int) idx[i] * cols;
            for (int c = 0; c < cols; c++) {
                m[base + c] = Math.max(m[base + c], x[i * cols + c]);
            }
        }
        int[] shape = src.shape().clone();
        shape[0] = size;
        return Tensor.of(m, shape).to(src.dtype()).to(src.backend());
    }

    /**
     * Softmax of {@code src [E, ...]} within each group of rows sharing an index (e.g. the incoming edges of a node):
     * {@code exp(src_i − max_g) / Σ_{j in g} exp(src_j − max_g)}. The group maximum is subtracted first (as a
     * constant, which does not change the result or its gradient), so large scores do not overflow.
     */
    public static Tensor softmax(Tensor src, Tensor index, int size) {
        check("Scatter.softmax", src, index, size);
        Tensor groupMax;
        try (var ignored = GradMode.noGrad()) {
            groupMax = maxValues(src.detach(), index, size).indexSelect(0, index);
        }
        Tensor ex = src.sub(groupMax).exp();
        Tensor denom = sum(ex, index, size).indexSelect(0, index);
        return ex.div(denom);
    }

    /** Number of rows per group. */
    public static double[] counts(Tensor index, int size) {
        double[] c = new double[size];
        for (long i : index.toLongArray()) {
            c[(int) i]++;
        }
        return c;
    }

    /** index [E] reshaped to [E, 1, ...] and expanded to {@code shape}. */
    static Tensor spread(Tensor index, int[] shape) {
        int[] s = new int[shape.length];
        Arrays.fill(s, 1);
        s[0] = index.numel();
        return index.to(DType.I64).reshape(s).expand(shape);
    }

    private static void check(String who, Tensor src, Tensor index, int size) {
        if (src.dim() < 1) {
            throw new IllegalArgumentException(who + ": src must have rank >= 1, got a scalar");
        }
        if (index.dim() != 1 || index.numel() != src.size(0)) {
            throw new IllegalArgumentException(who + ": index must be 1-D with one entry per row of src ("
                    + src.size(0) + "), got shape " + Arrays.toString(index.shape()));
        }
        if (index.dtype() != DType.I64 && index.dtype() != DType.I32) {
            throw new IllegalArgumentException(who + ": index must be i64 or i32, got " + index.dtype());
        }
        if (size < 0) {
            throw new IllegalArgumentException(who + ": size must be >= 0, got " + size);
        }
    }
}
