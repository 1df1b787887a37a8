package dev.deneb.tensor.cpu;

import dev.deneb.tensor.Tensor;

/** f32 copies between any two layouts of the same shape, a row (last axis) at a time, in parallel when large. */
final class StridedCopy {
    private StridedCopy() {}

    static void copy(float[] src, Tensor s, float[] dst, Tensor d) {
        int n = s.numel();
        if (n == 0) {
            return;
        }
        if (s.isContiguous() && d.isContiguous()) {
            System.arraycopy(src, s.offset(), dst, d.offset(), n);
            return;
        }
        Coalesced c = Coalesced.of(s.shape(), s.strides(), d.strides());
        int rank = c.rank();
        int len = c.rowLength();
        int[] shape = c.shape;
        int[] sStrides = c.strides[0];
        int[] dStrides = c.strides[1];
        int ss = sStrides[rank - 1];
        int ds = dStrides[rank - 1];
        Parallel.range(n / len, len, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int so = rowOffset(shape, sStrides, s.offset(), r);
                int dOff = rowOffset(shape, dStrides, d.offset(), r);
                if (ss == 1 && ds == 1) {
                    System.arraycopy(src, so, dst, dOff, len);
                } else {
                    for (int i = 0; i < len; i++) {
                        dst[dOff + i * ds] = src[so + i * ss];
                    }
                }
            }
        });
    }

    /** Storage offset of the first element of row {@code row}, rows being the runs along the last axis. */
    static int rowOffset(int[] shape, int[] strides, int offset, int row) {
        int off = offset;
        for (int dim = shape.length - 2; dim >= 0 && row > 0; dim--) {
            off += (row % shape[dim]) * strides[dim];
            row /= shape[dim];
        }
        return off;
    }
}
