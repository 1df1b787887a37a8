package dev.deneb.onnx.runtime;

import dev.deneb.tensor.Tensor;

/** Small tensor constructors the operators share. */
final class Values {
    private Values() {}

    /** A rank-0 INT64 tensor. */
    static Tensor longScalar(long v) {
        return Tensor.of(new long[] {v}).reshape();
    }

    /** {@code v} in the given shape, which may be empty (a scalar; {@code Tensor.of} would make it 1-D). */
    static Tensor longs(long[] v, int[] shape) {
        Tensor t = Tensor.of(v, shape);
        return shape.length == 0 ? t.reshape() : t;
    }

    /** A 1-D INT64 tensor. */
    static Tensor longs(long... v) {
        return Tensor.of(v, v.length);
    }

    /** {@code [1, ..., 1, n, 1, ..., 1]} of rank {@code rank} with {@code n} at {@code axis}, to broadcast a 1-D
     *  tensor along one axis. */
    static int[] along(int rank, int axis, int n) {
        int[] s = new int[rank];
        java.util.Arrays.fill(s, 1);
        s[axis] = n;
        return s;
    }
}
