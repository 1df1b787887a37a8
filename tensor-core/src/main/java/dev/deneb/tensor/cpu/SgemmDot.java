package dev.deneb.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM for a few rows of A against a B whose columns are contiguous (a transposed weight, as {@code x·Wᵀ} in a
 * linear layer at batch 1): each element is a dot product of two contiguous runs. The packed path would copy all of
 * B to use it for one row (a 1600×128 weight: 150 µs against 3 µs of work).
 *
 * <p>Each dot product runs four vector accumulators over blocks of four vectors, adds them in a fixed order, then
 * its lanes in lane order, then the scalar tail: the same bits whether or not the JIT has compiled the loop. The
 * path is chosen by shape alone (see {@link #suits}), never by the thread count.
 */
final class SgemmDot {
    private static final VectorSpecies<Float> S = SgemmMicroKernel.S;
    private static final int L = S.length();
    /** At most this many rows of A take this path; from MR rows on, the tiled kernels reuse each B load enough. */
    static final int MAX_ROWS = 4;

    private SgemmDot() {}

    /** A row-major with few rows, B with contiguous columns, depth of at least one vector. */
    static boolean suits(int m, int k, int aCs, int bRs) {
        return m <= MAX_ROWS && aCs == 1 && bRs == 1 && k >= L;
    }

    /** Same contract as {@link Sgemm#gemm} with {@code aCs == 1}, {@code bRs == 1}; columns split over threads. */
    static void gemm(int m, int n, int k, float[] a, int aOff, int aRs, float[] b, int bOff, int bCs,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        Parallel.range(n, (long) m * k, (j0, j1) -> {
            float[] lanes = new float[L];
            for (int j = j0; j < j1; j++) {
                for (int i = 0; i < m; i++) {
                    float s = dot(k, a, aOff + i * aRs, b, bOff + j * bCs, lanes);
                    int at = cOff + i * ldc + j;
                    c[at] = accumulate ? c[at] + s : s;
                }
            }
        });
    }

    private static float dot(int k, float[] a, int ai, float[] b, int bi, float[] lanes) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int p = 0;
        for (int bound = k - k % (4 * L); p < bound; p += 4 * L) {
            s0 = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, b, bi + p), s0);
            s1 = FloatVector.fromArray(S, a, ai + p + L).fma(FloatVector.fromArray(S, b, bi + p + L), s1);
            s2 = FloatVector.fromArray(S, a, ai + p + 2 * L).fma(FloatVector.fromArray(S, b, bi + p + 2 * L), s2);
            s3 = FloatVector.fromArray(S, a, ai + p + 3 * L).fma(FloatVector.fromArray(S, b, bi + p + 3 * L), s3);
        }
        for (int bound = k - k % L; p < bound; p += L) {
            s0 = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, b, bi + p), s0);
        }
        s0.add(s1).add(s2.add(s3)).intoArray(lanes, 0);
        float s = FloatRuns.sumInLaneOrder(lanes);
        for (; p < k; p++) {
            s = Math.fma(a[ai + p], b[bi + p], s);
        }
        return s;
    }
}
