package dev.deneb.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM for a C at most one vector wide (a graph layer's 16 hidden units, a classifier's 10 classes) with a large A:
 * the packed path would copy all of A to produce a few columns (for C 2708×16 from k = 1433, packing A took longer
 * than the multiply-adds). Here B is copied once into rows padded to one vector, and A is read in place, six rows
 * at a time, each broadcast against B's rows.
 *
 * <p>Same sums as the packed path: each element is a chain of fused multiply-adds from zero over the same depth
 * slices (KC), each slice added to C in turn, so a product gives the same bits on either path.
 */
final class SgemmNarrow {
    private static final VectorSpecies<Float> S = SgemmMicroKernel.S;
    private static final int L = S.length();
    /** Below this many multiply-adds the packing this path saves is too small to matter. */
    private static final long MIN_MNK = 64L * 64 * 64;

    private SgemmNarrow() {}

    /** C no wider than one vector, enough work to be worth it; call only with vectors enabled. */
    static boolean suits(int m, int n, int k) {
        return n <= L && (long) m * n * k >= MIN_MNK;
    }

    /** Same contract as {@link Sgemm#gemm} with {@code n <= L} and {@code k > 0}, rows {@code 0..m} on this thread. */
    static void gemm(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] b, int bOff, int bRs, int bCs,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        SgemmWorkspace ws = SgemmWorkspace.get();
        float[] rows = ws.rowMajorB(k * L);
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < L; j++) {
                rows[p * L + j] = j < n ? b[bOff + p * bRs + j * bCs] : 0f;
            }
        }
        float[] t = ws.edgeTile;
        int kStep = SgemmSettings.balancedStep(k, SgemmSettings.KC);
        for (int pc = 0; pc < k; pc += kStep) {
            int kc = Math.min(kStep, k - pc);
            boolean add = accumulate || pc > 0;
            int i = 0;
            for (; i + 12 <= m; i += 12) {
                tile12(kc, a, aOff + i * aRs + pc * aCs, aRs, aCs, rows, pc * L, t);
                store(t, 12, n, c, cOff + i * ldc, ldc, add);
            }
            for (; i + 6 <= m; i += 6) {
                tile6(kc, a, aOff + i * aRs + pc * aCs, aRs, aCs, rows, pc * L, t);
                store(t, 6, n, c, cOff + i * ldc, ldc, add);
            }
            for (; i < m; i++) {
                tile1(kc, a, aOff + i * aRs + pc * aCs, aCs, rows, pc * L, t);
                store(t, 1, n, c, cOff + i * ldc, ldc, add);
            }
        }
    }

    /**
     * Twelve rows of A against the padded B rows, into {@code t[r*L ..]}: twelve independent accumulators keep both
     * FMA pipes busy through the FMA latency (six left them idle part of the time: GCN's 2708×1433·1433×16 ran at
     * about 85 GFLOP/s). Each element is the same chain of fmas as in {@link #tile6}.
     */
    private static void tile12(int k, float[] a, int ai, int aRs, int aCs, float[] b, int bi, float[] t) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (int p = 0; p < k; p++) {
            FloatVector bv = FloatVector.fromArray(S, b, bi + p * L);
            int ap = ai + p * aCs;
            c0 = FloatVector.broadcast(S, a[ap]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, a[ap + aRs]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, a[ap + 2 * aRs]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, a[ap + 3 * aRs]).fma(bv, c3);
            c4 = FloatVector.broadcast(S, a[ap + 4 * aRs]).fma(bv, c4);
            c5 = FloatVector.broadcast(S, a[ap + 5 * aRs]).fma(bv, c5);
            c6 = FloatVector.broadcast(S, a[ap + 6 * aRs]).fma(bv, c6);
            c7 = FloatVector.broadcast(S, a[ap + 7 * aRs]).fma(bv, c7);
            c8 = FloatVector.broadcast(S, a[ap + 8 * aRs]).fma(bv, c8);
            c9 = FloatVector.broadcast(S, a[ap + 9 * aRs]).fma(bv, c9);
            c10 = FloatVector.broadcast(S, a[ap + 10 * aRs]).fma(bv, c10);
            c11 = FloatVector.broadcast(S, a[ap + 11 * aRs]).fma(bv, c11);
        }
        c0.intoArray(t, 0);
        c1.intoArray(t, L);
        c2.intoArray(t, 2 * L);
        c3.intoArray(t, 3 * L);
        c4.intoArray(t, 4 * L);
        c5.intoArray(t, 5 * L);
        c6.intoArray(t, 6 * L);
        c7.intoArray(t, 7 * L);
        c8.intoArray(t, 8 * L);
        c9.intoArray(t, 9 * L);
        c10.intoArray(t, 10 * L);
        c11.intoArray(t, 11 * L);
    }

    /** Six rows of A against the padded B rows, into {@code t[r*L ..]}. */
    private static void tile6(int k, float[] a, int ai, int aRs, int aCs, float[] b, int bi, float[] t) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        for (int p = 0; p < k; p++) {
            FloatVector bv = FloatVector.fromArray(S, b, bi + p * L);
            int ap = ai + p * aCs;
            c0 = FloatVector.broadcast(S, a[ap]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, a[ap + aRs]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, a[ap + 2 * aRs]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, a[ap + 3 * aRs]).fma(bv, c3);
            c4 = FloatVector.broadcast(S, a[ap + 4 * aRs]).fma(bv, c4);
            c5 = FloatVector.broadcast(S, a[ap + 5 * aRs]).fma(bv, c5);
        }
        c0.intoArray(t, 0);
        c1.intoArray(t, L);
        c2.intoArray(t, 2 * L);
        c3.intoArray(t, 3 * L);
        c4.intoArray(t, 4 * L);
        c5.intoArray(t, 5 * L);
    }

    private static void tile1(int k, float[] a, int ai, int aCs, float[] b, int bi, float[] t) {
        FloatVector c0 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            c0 = FloatVector.broadcast(S, a[ai + p * aCs]).fma(FloatVector.fromArray(S, b, bi + p * L), c0);
        }
        c0.intoArray(t, 0);
    }

    /** The valid {@code n} columns of {@code rows} tile rows into C, added when {@code add}. */
    private static void store(float[] t, int rows, int n, float[] c, int ci, int ldc, boolean add) {
        for (int r = 0; r < rows; r++) {
            int row = ci + r * ldc;
            for (int j = 0; j < n; j++) {
                c[row + j] = add ? c[row + j] + t[r * L + j] : t[r * L + j];
            }
        }
    }
}
