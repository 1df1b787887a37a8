package dev.deneb.tensor.cpu;

import dev.deneb.tensor.Backend;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;

/**
 * Element access for the reference backend: every tensor is read into a plain array in row-major order (doubles for
 * floating types, longs for the rest) and results are written from one. Simple and slow on purpose.
 */
final class Elements {
    private Elements() {}

    /** Storage offsets of all elements of {@code t} in row-major order. */
    static int[] offsets(Tensor t) {
        int[] shape = t.shape();
        int[] strides = t.strides();
        int n = t.numel();
        int[] out = new int[n];
        int[] idx = new int[shape.length];
        int off = t.offset();
        for (int i = 0; i < n; i++) {
            out[i] = off;
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    off += strides[d];
                    break;
                }
                off -= strides[d] * (shape[d] - 1);
                idx[d] = 0;
            }
        }
        return out;
    }

    static double[] readDoubles(Tensor t) {
        int[] pos = offsets(t);
        double[] out = new double[pos.length];
        switch (array(t)) {
            case float[] a -> { for (int i = 0; i < pos.length; i++) out[i] = a[pos[i]]; }
            case double[] a -> { for (int i = 0; i < pos.length; i++) out[i] = a[pos[i]]; }
            case int[] a -> { for (int i = 0; i < pos.length; i++) out[i] = a[pos[i]]; }
            case long[] a -> { for (int i = 0; i < pos.length; i++) out[i] = a[pos[i]]; }
            case boolean[] a -> { for (int i = 0; i < pos.length; i++) out[i] = a[pos[i]] ? 1 : 0; }
            default -> throw new IllegalStateException();
        }
        return out;
    }

    static long[] readLongs(Tensor t) {
        int[] pos = offsets(t);
        long[] out = new long[pos.length];
        switch (array(t)) {
            case float[] a -> { for (int i = 0; i < pos.length; i++) out[i] = (long) a[pos[i]]; }
            case double[] a -> { for (int i = 0; i < pos.length; i++) out[i] = (long) a[pos[i]]; }
            case int[] a -> { for (int i = 0; i < pos.length; i++) out[i] = a[pos[i]]; }
            case long[] a -> { for (int i = 0; i < pos.length; i++) out[i] = a[pos[i]]; }
            case boolean[] a -> { for (int i = 0; i < pos.length; i++) out[i] = a[pos[i]] ? 1 : 0; }
            default -> throw new IllegalStateException();
        }
        return out;
    }

    /** Writes {@code v} (row-major) into the elements of {@code dst}, converting to its dtype. */
    static void writeDoubles(Tensor dst, double[] v) {
        int[] pos = offsets(dst);
        switch (array(dst)) {
            case float[] a -> { for (int i = 0; i < pos.length; i++) a[pos[i]] = (float) v[i]; }
            case double[] a -> { for (int i = 0; i < pos.length; i++) a[pos[i]] = v[i]; }
            // (int) saturates and maps NaN to 0, like the (long) cast below (not (int) (long), which wraps).
            case int[] a -> { for (int i = 0; i < pos.length; i++) a[pos[i]] = (int) v[i]; }
            case long[] a -> { for (int i = 0; i < pos.length; i++) a[pos[i]] = (long) v[i]; }
            case boolean[] a -> { for (int i = 0; i < pos.length; i++) a[pos[i]] = v[i] != 0; }
            default -> throw new IllegalStateException();
        }
    }

    static void writeLongs(Tensor dst, long[] v) {
        int[] pos = offsets(dst);
        switch (array(dst)) {
            case float[] a -> { for (int i = 0; i < pos.length; i++) a[pos[i]] = v[i]; }
            case double[] a -> { for (int i = 0; i < pos.length; i++) a[pos[i]] = v[i]; }
            case int[] a -> { for (int i = 0; i < pos.length; i++) a[pos[i]] = (int) v[i]; }
            case long[] a -> { for (int i = 0; i < pos.length; i++) a[pos[i]] = v[i]; }
            case boolean[] a -> { for (int i = 0; i < pos.length; i++) a[pos[i]] = v[i] != 0; }
            default -> throw new IllegalStateException();
        }
    }

    static Tensor newDoubles(Backend be, DType dtype, int[] shape, double[] v) {
        Tensor t = Tensor.empty(be, dtype, shape);
        writeDoubles(t, v);
        return t;
    }

    static Tensor newLongs(Backend be, DType dtype, int[] shape, long[] v) {
        Tensor t = Tensor.empty(be, dtype, shape);
        writeLongs(t, v);
        return t;
    }

    /** Reads a floating tensor as doubles or any other as longs: whichever holds its values exactly. */
    static Object readExact(Tensor t) {
        return t.dtype().isFloating() ? readDoubles(t) : readLongs(t);
    }

    static Tensor newExact(Backend be, DType dtype, int[] shape, Object values) {
        return values instanceof double[] d ? newDoubles(be, dtype, shape, d) : newLongs(be, dtype, shape, (long[]) values);
    }

    static Object array(Tensor t) {
        return ((CpuStorage) t.storage()).array();
    }
}
