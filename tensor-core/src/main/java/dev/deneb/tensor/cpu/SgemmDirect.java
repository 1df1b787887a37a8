package dev.deneb.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM without packing for small products: for small sizes packing the operands would cost as much as multiplying
 * them. B is read by rows; a B whose rows are not contiguous (a transposed view, as {@code q·kᵀ} in attention) is
 * first copied row-major into a per-thread buffer, k·n floats against m·n·k multiply-adds. Tiles of 4 rows × 2 vectors read A through its strides (broadcasts) and B
 * straight from its rows; leftover rows use a 1-row tile and leftover columns a scalar loop.
 */
final class SgemmDirect {
    private static final VectorSpecies<Float> S = SgemmMicroKernel.S;
    private static final int L = S.length();
    private static final int W = 2 * L;

    private SgemmDirect() {}

    /** Whether to take this path; call only when vectors are enabled (this class loads the Vector API). */
    static boolean suits(int m, int n, int k) {
        return n >= W && (long) m * n * k <= SgemmSettings.DIRECT_MAX_MNK;
    }

    /** Same contract as {@link Sgemm#gemm} with {@code k > 0}. */
    static void gemm(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                     float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc, boolean accumulate) {
        SgemmWorkspace ws = SgemmWorkspace.get();
        if (bCs != 1) {
            float[] rows = ws.rowMajorB(k * n);
            if (bRs == 1) {
                SgemmTranspose.columnsToRows(k, n, b, bOff, bCs, rows, 0, n);
            } else {
                for (int p = 0; p < k; p++) {
                    for (int j = 0; j < n; j++) {
                        rows[p * n + j] = b[bOff + p * bRs + j * bCs];
                    }
                }
            }
            b = rows;
            bOff = 0;
            bRs = n;
        }
        // Depth in the packed path's slices, each added to C in turn: the same sums in the same order, so a product
        // gives the same bits on either path (the thread count decides which path a column block takes).
        int kStep = SgemmSettings.balancedStep(k, SgemmSettings.KC);
        for (int pc = 0; pc < k; pc += kStep) {
            slice(m, n, Math.min(kStep, k - pc), a, aOff + pc * aCs, aRs, aCs, b, bOff + pc * bRs, bRs,
                    c, cOff, ldc, accumulate || pc > 0, ws.sumTile);
        }
    }

    private static void slice(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                              float[] b, int bOff, int bRs, float[] c, int cOff, int ldc, boolean accumulate,
                              float[] scratch) {
        int nv = n - n % W;
        float[] t = accumulate ? scratch : null;
        for (int j = 0; j < nv; j += W) {
            int i = 0;
            for (; i + 6 <= m; i += 6) {
                tile6(k, a, aOff + i * aRs, aRs, aCs, b, bOff + j, bRs, c, cOff + i * ldc + j, ldc, accumulate, t);
            }
            for (; i + 4 <= m; i += 4) {
                tile4(k, a, aOff + i * aRs, aRs, aCs, b, bOff + j, bRs, c, cOff + i * ldc + j, ldc, accumulate, t);
            }
            for (; i < m; i++) {
                tile1(k, a, aOff + i * aRs, aCs, b, bOff + j, bRs, c, cOff + i * ldc + j, accumulate, t);
            }
        }
        if (nv < n) {
            scalarColumns(m, nv, n, k, a, aOff, aRs, aCs, b, bOff, bRs, c, cOff, ldc, accumulate);
        }
    }

    /** Six rows × two vectors: twelve accumulators, broadcasts pinned as in {@link SgemmMicroKernel}. */
    private static void tile6(int k, float[] a, int ai, int aRs, int aCs, float[] b, int bi, int bRs,
                              float[] c, int ci, int ldc, boolean add, float[] t) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = 0; p < k; p++) {
            int bp = bi + p * bRs;
            int ap = ai + p * aCs;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector av = FloatVector.broadcast(S, a[ap]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            SgemmMicroKernel.pin();
            av = FloatVector.broadcast(S, a[ap + aRs]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            SgemmMicroKernel.pin();
            av = FloatVector.broadcast(S, a[ap + 2 * aRs]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            SgemmMicroKernel.pin();
            av = FloatVector.broadcast(S, a[ap + 3 * aRs]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            SgemmMicroKernel.pin();
            av = FloatVector.broadcast(S, a[ap + 4 * aRs]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            SgemmMicroKernel.pin();
            av = FloatVector.broadcast(S, a[ap + 5 * aRs]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        float[] d = add ? t : c;
        int r = add ? 0 : ci;
        int ld = add ? W : ldc;
        c00.intoArray(d, r);
        c01.intoArray(d, r + L);
        r += ld;
        c10.intoArray(d, r);
        c11.intoArray(d, r + L);
        r += ld;
        c20.intoArray(d, r);
        c21.intoArray(d, r + L);
        r += ld;
        c30.intoArray(d, r);
        c31.intoArray(d, r + L);
        r += ld;
        c40.intoArray(d, r);
        c41.intoArray(d, r + L);
        r += ld;
        c50.intoArray(d, r);
        c51.intoArray(d, r + L);
        if (add) {
            SgemmMicroKernel.addTile(t, 6, c, ci, ldc);
        }
    }

    private static void tile4(int k, float[] a, int ai, int aRs, int aCs, float[] b, int bi, int bRs,
                              float[] c, int ci, int ldc, boolean add, float[] t) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0; p < k; p++) {
            int bp = bi + p * bRs;
            int ap = ai + p * aCs;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector av = FloatVector.broadcast(S, a[ap]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[ap + aRs]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[ap + 2 * aRs]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[ap + 3 * aRs]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        float[] d = add ? t : c;
        int r = add ? 0 : ci;
        int ld = add ? W : ldc;
        c00.intoArray(d, r);
        c01.intoArray(d, r + L);
        r += ld;
        c10.intoArray(d, r);
        c11.intoArray(d, r + L);
        r += ld;
        c20.intoArray(d, r);
        c21.intoArray(d, r + L);
        r += ld;
        c30.intoArray(d, r);
        c31.intoArray(d, r + L);
        if (add) {
            SgemmMicroKernel.addTile(t, 4, c, ci, ldc);
        }
    }

    private static void tile1(int k, float[] a, int ai, int aCs, float[] b, int bi, int bRs,
                              float[] c, int ci, boolean add, float[] t) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0;
        for (int p = 0; p < k; p++) {
            int bp = bi + p * bRs;
            FloatVector av = FloatVector.broadcast(S, a[ai + p * aCs]);
            c0 = av.fma(FloatVector.fromArray(S, b, bp), c0);
            c1 = av.fma(FloatVector.fromArray(S, b, bp + L), c1);
        }
        if (add) {
            c0.intoArray(t, 0);
            c1.intoArray(t, L);
            SgemmMicroKernel.addTile(t, 1, c, ci, 0);
        } else {
            c0.intoArray(c, ci);
            c1.intoArray(c, ci + L);
        }
    }

    private static void scalarColumns(int m, int j0, int n, int k, float[] a, int aOff, int aRs, int aCs,
                                      float[] b, int bOff, int bRs, float[] c, int cOff, int ldc, boolean add) {
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            for (int j = j0; j < n; j++) {
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    s = Math.fma(a[aOff + i * aRs + p * aCs], b[bOff + p * bRs + j], s);
                }
                c[row + j] = add ? c[row + j] + s : s;
            }
        }
    }
}
