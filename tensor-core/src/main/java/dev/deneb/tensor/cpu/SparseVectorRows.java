package dev.deneb.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The vector half of {@link SparseKernels}: one output row of the CSR product, a vector of columns at a time, with
 * the same fused multiply-add chain per element as the scalar loop (so the same bits). Only loaded when
 * {@link VectorSupport#ENABLED}.
 */
final class SparseVectorRows {
    private SparseVectorRows() {}

    /** Columns of one output row in whole vectors, then the remainder under a mask; returns n (all done). */
    static int row(int k0, int k1, int n, long[] columns, float[] values, int valuesOff,
                                 float[] dense, int denseOff, float[] out, int outOff) {
        var sp = VectorKernels.SPECIES;
        int j = 0;
        for (int bound = sp.loopBound(n); j < bound; j += sp.length()) {
            FloatVector acc = FloatVector.zero(sp);
            for (int k = k0; k < k1; k++) {
                FloatVector d = FloatVector.fromArray(sp, dense, denseOff + (int) columns[k] * n + j);
                acc = d.fma(FloatVector.broadcast(sp, values[valuesOff + k]), acc);
            }
            acc.intoArray(out, outOff + j);
        }
        if (j < n) {
            VectorMask<Float> m = sp.indexInRange(j, n);
            FloatVector acc = FloatVector.zero(sp);
            for (int k = k0; k < k1; k++) {
                FloatVector d = FloatVector.fromArray(sp, dense, denseOff + (int) columns[k] * n + j, m);
                acc = d.fma(FloatVector.broadcast(sp, values[valuesOff + k]), acc);
            }
            acc.intoArray(out, outOff + j, m);
        }
        return n;
    }
}
