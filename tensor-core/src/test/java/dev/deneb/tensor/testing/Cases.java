package dev.deneb.tensor.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;

import dev.deneb.tensor.Backend;
import dev.deneb.tensor.Backends;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Seeded random test inputs: shapes (rank 0..4, sizes 0..7 with 0 and 1 common), tensors of every dtype, random
 * non-contiguous layouts of a given shape, special values, and an {@link #assertClose} that names the worst element.
 * Everything is drawn from a {@link Random} the caller seeds, so a failing case is reproduced by its seed.
 */
public final class Cases {
    private Cases() {}

    public static final DType[] ALL_DTYPES = DType.values();
    public static final DType[] FLOAT_DTYPES = {DType.F32, DType.F64};

    // =========================================================================================================
    // Shapes
    // =========================================================================================================

    /** One axis size: 0 about 10% of the time, 1 about 25%, else 2..7. */
    public static int dim(Random r) {
        int u = r.nextInt(20);
        return u < 2 ? 0 : u < 7 ? 1 : 2 + r.nextInt(6);
    }

    /** A random shape of rank 0..maxRank. */
    public static int[] shape(Random r, int maxRank) {
        int[] s = new int[r.nextInt(maxRank + 1)];
        for (int i = 0; i < s.length; i++) {
            s[i] = dim(r);
        }
        return s;
    }

    /** A random shape of rank 0..4. */
    public static int[] shape(Random r) {
        return shape(r, 4);
    }

    /** A random shape of rank 0..4 with no size-0 axis (for ops that reject empty inputs). */
    public static int[] nonEmptyShape(Random r, int maxRank) {
        int[] s = shape(r, maxRank);
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.max(1, s[i]);
        }
        return s;
    }

    /** A shape that broadcasts with {@code s}: some axes set to 1, some leading axes dropped. */
    public static int[] broadcastPartner(Random r, int[] s) {
        int drop = s.length == 0 ? 0 : r.nextInt(s.length + 1);
        int[] p = Arrays.copyOfRange(s, drop, s.length);
        for (int i = 0; i < p.length; i++) {
            if (r.nextInt(3) == 0) {
                p[i] = 1;
            }
        }
        return p;
    }

    /** A random subset of axes of a rank-{@code rank} tensor (possibly empty), some written negative. */
    public static int[] axes(Random r, int rank) {
        int[] tmp = new int[rank];
        int n = 0;
        for (int d = 0; d < rank; d++) {
            if (r.nextBoolean()) {
                tmp[n++] = r.nextBoolean() ? d : d - rank;
            }
        }
        return Arrays.copyOf(tmp, n);
    }

    public static int numel(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    // =========================================================================================================
    // Tensors
    // =========================================================================================================

    /** A contiguous tensor on {@code backend} holding {@code values} converted to {@code dtype}. */
    public static Tensor fromDoubles(Backend backend, DType dtype, int[] shape, double[] values) {
        Object array = switch (dtype) {
            case F32 -> {
                float[] a = new float[values.length];
                for (int i = 0; i < a.length; i++) a[i] = (float) values[i];
                yield a;
            }
            case F64 -> values.clone();
            case I32 -> {
                int[] a = new int[values.length];
                for (int i = 0; i < a.length; i++) a[i] = (int) values[i];
                yield a;
            }
            case I64 -> {
                long[] a = new long[values.length];
                for (int i = 0; i < a.length; i++) a[i] = (long) values[i];
                yield a;
            }
            case BOOL -> {
                boolean[] a = new boolean[values.length];
                for (int i = 0; i < a.length; i++) a[i] = values[i] != 0;
                yield a;
            }
        };
        return upload(backend, array, shape);
    }

    /** A contiguous tensor on {@code backend} wrapping a copy of a Java array. */
    public static Tensor upload(Backend backend, Object javaArray, int... shape) {
        int[] strides = new int[shape.length];
        for (int d = shape.length - 1, acc = 1; d >= 0; d--) {
            strides[d] = acc;
            acc *= Math.max(1, shape[d]);
        }
        return Tensor.fromStorage(backend.upload(javaArray), shape, strides, 0);
    }

    /** Random values of the dtype: floats normal(0, 2), integers in [-9, 9], booleans fair coins. */
    public static double[] values(Random r, DType dtype, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (dtype) {
                case F32, F64 -> 2 * r.nextGaussian();
                case I32, I64 -> r.nextInt(19) - 9;
                case BOOL -> r.nextBoolean() ? 1 : 0;
            };
        }
        return v;
    }

    /** A random contiguous tensor on the reference backend. */
    public static Tensor random(Random r, DType dtype, int... shape) {
        return random(r, Backends.reference(), dtype, shape);
    }

    public static Tensor random(Random r, Backend backend, DType dtype, int... shape) {
        return fromDoubles(backend, dtype, shape, values(r, dtype, numel(shape)));
    }

    /** Uniform values in [lo, hi) as a contiguous tensor on the reference backend. */
    public static Tensor uniform(Random r, DType dtype, double lo, double hi, int... shape) {
        double[] v = new double[numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * r.nextDouble();
        }
        return fromDoubles(Backends.reference(), dtype, shape, v);
    }

    /** Values a float kernel gets wrong most easily. {@code huge} overflows exp in f32, {@code tiny} is normal. */
    public static final double[] SPECIALS = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0,
        0.0, 100.0, -100.0, 1e30, -1e30, 1e-30, 1.0, -1.0};

    /** Only NaN, the infinities and signed zeros: for ops whose f32 result depends on accumulation order. */
    public static final double[] NONFINITE = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0,
        0.0};

    /** {@code values} with about {@code fraction} of the entries replaced by {@link #SPECIALS}. */
    public static double[] withSpecials(Random r, double[] values, double fraction) {
        return withSpecials(r, values, fraction, SPECIALS);
    }

    /** {@code values} with about {@code fraction} of the entries replaced by values from {@code pool}. */
    public static double[] withSpecials(Random r, double[] values, double fraction, double[] pool) {
        double[] v = values.clone();
        for (int i = 0; i < v.length; i++) {
            if (r.nextDouble() < fraction) {
                v[i] = pool[r.nextInt(pool.length)];
            }
        }
        return v;
    }

    /** A random float tensor (reference backend) with special values injected. */
    public static Tensor randomWithSpecials(Random r, DType dtype, double fraction, int... shape) {
        return fromDoubles(Backends.reference(), dtype, shape,
                withSpecials(r, values(r, dtype, numel(shape)), fraction));
    }

    // =========================================================================================================
    // Non-contiguous layouts
    // =========================================================================================================

    /**
     * How to obtain a tensor of a wanted shape as a view of a bigger or differently laid out base tensor. Apply the
     * same layout to copies of one base on two backends and both kernels see the same strided input.
     */
    public record Layout(String kind, int[] baseShape, UnaryOperator<Tensor> view) {
        public Tensor apply(Tensor base) {
            return view.apply(base);
        }

        @Override
        public String toString() {
            return kind + " of base " + Arrays.toString(baseShape);
        }
    }

    public static Layout contiguous(int[] shape) {
        return new Layout("contiguous", shape.clone(), t -> t);
    }

    /** A random layout of {@code shape}: contiguous, transposed, stepped slice, expanded, or a mix. */
    public static Layout layout(Random r, int[] shape) {
        return switch (r.nextInt(5)) {
            case 0 -> contiguous(shape);
            case 1 -> transposed(r, shape);
            case 2 -> stepped(r, shape);
            case 3 -> expanded(r, shape);
            default -> {
                Layout inner = stepped(r, shape);
                Layout outer = transposed(r, inner.baseShape());
                yield new Layout("stepped(transposed)", outer.baseShape(), t -> inner.apply(outer.apply(t)));
            }
        };
    }

    /** {@code shape} as a permutation of a base with permuted axes (contiguous only when rank < 2). */
    public static Layout transposed(Random r, int[] shape) {
        int rank = shape.length;
        int[] p = permutation(r, rank);
        if (rank >= 2 && isIdentity(p)) {
            int t = p[0];
            p[0] = p[1];
            p[1] = t;
        }
        int[] base = new int[rank];
        for (int i = 0; i < rank; i++) {
            base[p[i]] = shape[i];
        }
        int[] perm = p;
        return new Layout("transposed" + Arrays.toString(perm), base, t -> t.permute(perm));
    }

    /** {@code shape} as a slice with step 2 or 3 (and a random start) along one axis of a longer base. */
    public static Layout stepped(Random r, int[] shape) {
        if (shape.length == 0) {
            return contiguous(shape);
        }
        int a = r.nextInt(shape.length);
        int step = 2 + r.nextInt(2);
        int start = r.nextInt(3);
        int[] base = shape.clone();
        int end = shape[a] == 0 ? start : start + (shape[a] - 1) * step + 1;
        base[a] = end + r.nextInt(2);
        return new Layout("slice(axis " + a + ", " + start + ":" + end + ":" + step + ")", base,
                t -> t.slice(a, start, end, step));
    }

    /** {@code shape} as an expansion of a base with some axes (and maybe leading axes) of size 1. */
    public static Layout expanded(Random r, int[] shape) {
        int drop = shape.length == 0 ? 0 : r.nextInt(Math.min(2, shape.length) + 1);
        int[] base = Arrays.copyOfRange(shape, drop, shape.length);
        for (int i = 0; i < base.length; i++) {
            if (r.nextBoolean()) {
                base[i] = 1;
            }
        }
        int[] target = shape.clone();
        return new Layout("expand", base, t -> t.expand(target));
    }

    /** A random permutation of 0..n-1. */
    public static int[] permutation(Random r, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static boolean isIdentity(int[] p) {
        for (int i = 0; i < p.length; i++) {
            if (p[i] != i) {
                return false;
            }
        }
        return true;
    }

    // =========================================================================================================
    // Comparison
    // =========================================================================================================

    /**
     * Asserts same shape, same dtype, and {@code |a - e| <= atol + rtol * |e|} everywhere. NaN matches only NaN, an
     * infinity only the same infinity; integer and bool tensors are compared exactly as longs. On failure the message
     * names the worst element, its index and both values. The two tensors may live on different backends.
     */
    public static void assertClose(Tensor expected, Tensor actual, double rtol, double atol) {
        assertClose(expected, actual, rtol, atol, "");
    }

    public static void assertClose(Tensor expected, Tensor actual, double rtol, double atol, String context) {
        compare(expected, actual, rtol, atol, null, 0, context);
    }

    /**
     * Like {@link #assertClose} with a per-element allowance {@code atol + k * |scale|}, for accumulations whose
     * rounding error grows with the magnitudes summed ({@code scale} is e.g. {@code sum |x|} or {@code |A|·|B|}).
     */
    public static void assertCloseScaled(Tensor expected, Tensor actual, Tensor scale, double k, double atol,
                                         String context) {
        double[] sc = scale.to(Backends.reference()).toDoubleArray();
        if (sc.length != expected.numel()) {
            fail(context + ": scale has " + sc.length + " elements, expected " + expected.numel());
        }
        compare(expected, actual, 0, atol, sc, k, context);
    }

    private static void compare(Tensor expected, Tensor actual, double rtol, double atol, double[] scale, double k,
                                String context) {
        String ctx = context.isEmpty() ? "" : context + ": ";
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            fail(ctx + "shape: expected " + Arrays.toString(expected.shape()) + ", got "
                    + Arrays.toString(actual.shape()));
        }
        assertEquals(expected.dtype(), actual.dtype(), ctx + "dtype");
        Tensor e = expected.to(Backends.reference());
        Tensor a = actual.to(Backends.reference());
        int[] shape = expected.shape();
        if (!expected.dtype().isFloating()) {
            long[] ev = e.toLongArray();
            long[] av = a.toLongArray();
            for (int i = 0; i < ev.length; i++) {
                if (ev[i] != av[i]) {
                    fail(ctx + "first mismatch at " + Arrays.toString(unravel(i, shape)) + ": expected " + ev[i]
                            + ", got " + av[i] + " (shape " + Arrays.toString(shape) + ")");
                }
            }
            return;
        }
        double[] ev = e.toDoubleArray();
        double[] av = a.toDoubleArray();
        int worst = -1;
        double worstExcess = 0;
        int bad = 0;
        for (int i = 0; i < ev.length; i++) {
            double x = ev[i];
            double y = av[i];
            double excess;
            if (Double.isNaN(x) || Double.isNaN(y)) {
                excess = Double.isNaN(x) && Double.isNaN(y) ? 0 : Double.POSITIVE_INFINITY;
            } else if (Double.isInfinite(x) || Double.isInfinite(y)) {
                excess = x == y ? 0 : Double.POSITIVE_INFINITY;
            } else {
                double allowed = atol + rtol * Math.abs(x) + (scale == null ? 0 : k * Math.abs(scale[i]));
                excess = Math.abs(x - y) - (Double.isNaN(allowed) ? Double.POSITIVE_INFINITY : allowed);
            }
            if (excess > 0) {
                bad++;
                if (worst < 0 || excess > worstExcess) {
                    worst = i;
                    worstExcess = excess;
                }
            }
        }
        if (worst >= 0) {
            fail(ctx + bad + " of " + ev.length + " elements differ (rtol " + rtol + ", atol " + atol
                    + (scale == null ? "" : ", k " + k + " x scale " + scale[worst]) + "); worst at "
                    + Arrays.toString(unravel(worst, shape)) + ": expected " + ev[worst] + ", got " + av[worst]
                    + " (|diff| " + Math.abs(ev[worst] - av[worst]) + ", shape " + Arrays.toString(shape) + ")");
        }
    }

    /** Exact equality (integers exactly, floats with NaN == NaN; -0.0 equals 0.0). */
    public static void assertExact(Tensor expected, Tensor actual, String context) {
        assertClose(expected, actual, 0, 0, context);
    }

    /** Exact equality that also tells -0.0 from 0.0 (bitwise, every NaN equal). */
    public static void assertBitwise(Tensor expected, Tensor actual, String context) {
        assertClose(expected, actual, 0, 0, context);
        if (expected.dtype().isFloating()) {
            double[] ev = expected.to(Backends.reference()).toDoubleArray();
            double[] av = actual.to(Backends.reference()).toDoubleArray();
            for (int i = 0; i < ev.length; i++) {
                if (Double.doubleToLongBits(ev[i]) != Double.doubleToLongBits(av[i])) {
                    fail(context + ": sign of zero differs at " + Arrays.toString(unravel(i, expected.shape()))
                            + ": expected " + ev[i] + ", got " + av[i]);
                }
            }
        }
    }

    /** The multi-index of row-major position {@code flat} in {@code shape}. */
    public static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] > 0) {
                idx[d] = flat % shape[d];
                flat /= shape[d];
            }
        }
        return idx;
    }

    /** Asserts that {@code t} lives on {@code backend} (ops must not silently move data). */
    public static void assertOn(Backend backend, Tensor t, String context) {
        assertSame(backend, t.backend(), context + ": result is on " + t.backend().name() + ", expected "
                + backend.name());
    }
}
