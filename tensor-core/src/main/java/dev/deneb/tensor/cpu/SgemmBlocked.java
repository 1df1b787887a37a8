package dev.deneb.tensor.cpu;

import static dev.deneb.tensor.cpu.SgemmSettings.KC;
import static dev.deneb.tensor.cpu.SgemmSettings.MC;
import static dev.deneb.tensor.cpu.SgemmSettings.MR;
import static dev.deneb.tensor.cpu.SgemmSettings.NC;
import static dev.deneb.tensor.cpu.SgemmSettings.NR;
import static dev.deneb.tensor.cpu.SgemmSettings.roundUp;

/**
 * The packed, cache-blocked GEMM on one thread (BLIS loop order). For each NC-wide column block and KC-deep slice,
 * B is packed once (it then sits in L3 and each KC×NR sliver in L1); for each MC-high row block A is packed (it
 * sits in L2); the micro-kernel then sweeps the MR×NR tiles, keeping one B sliver in L1 while A panels stream past.
 */
final class SgemmBlocked {
    private static final boolean VECTOR = SgemmSettings.BITS != 0;

    private SgemmBlocked() {}

    /** Same contract as {@link Sgemm#gemm} with {@code k > 0}, arguments already checked. */
    static void gemm(int m, int n, int k,
                     float[] a, int aOff, int aRs, int aCs,
                     float[] b, int bOff, int bRs, int bCs,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        SgemmWorkspace ws = SgemmWorkspace.get();
        int kcMax = Math.min(KC, k);
        float[] ap = ws.packedA(roundUp(Math.min(MC, m), MR) * kcMax);
        float[] bp = ws.packedB(roundUp(Math.min(NC, n), NR) * kcMax);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean add = accumulate || pc > 0;
                SgemmPacking.packB(kc, nc, b, bOff + pc * bRs + jc * bCs, bRs, bCs, bp);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    SgemmPacking.packA(mc, kc, a, aOff + ic * aRs + pc * aCs, aRs, aCs, ap);
                    macroKernel(mc, nc, kc, ap, bp, c, cOff + ic * ldc + jc, ldc, add, ws);
                }
            }
        }
    }

    /** Sweeps all MR×NR tiles of one packed block; tiles on a ragged edge go through a scratch tile. */
    private static void macroKernel(int mc, int nc, int kc, float[] ap, float[] bp,
                                    float[] c, int cOff, int ldc, boolean add, SgemmWorkspace ws) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int bi = jr * kc;
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int ai = ir * kc;
                int ci = cOff + ir * ldc + jr;
                if (mr == MR && nr == NR) {
                    tile(kc, ap, ai, bp, bi, c, ci, ldc, add);
                } else {
                    float[] t = ws.edgeTile;
                    tile(kc, ap, ai, bp, bi, t, 0, NR, false);
                    for (int r = 0; r < mr; r++) {
                        int row = ci + r * ldc;
                        for (int j = 0; j < nr; j++) {
                            c[row + j] = add ? c[row + j] + t[r * NR + j] : t[r * NR + j];
                        }
                    }
                }
            }
        }
    }

    private static void tile(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc,
                             boolean add) {
        if (VECTOR) {
            SgemmMicroKernel.tile(kc, ap, ai, bp, bi, c, ci, ldc, add);
        } else {
            SgemmScalarKernel.tile(kc, ap, ai, bp, bi, c, ci, ldc, add);
        }
    }
}
