package dev.deneb.tensor.cpu;

import static dev.deneb.tensor.cpu.SgemmSettings.MR;
import static dev.deneb.tensor.cpu.SgemmSettings.NR;

import java.util.Arrays;

/**
 * Copies blocks of A and B into the contiguous panel layout the micro-kernel streams through.
 *
 * <p>Packing reads through arbitrary strides, so transposed, broadcast (stride 0) and sliced operands cost nothing
 * extra. Ragged panels are padded with zeros: the kernel always computes a full MR×NR tile and the caller keeps
 * only the valid part.
 */
final class SgemmPacking {
    private SgemmPacking() {}

    /**
     * Packs the {@code mc×kc} block of A starting at {@code off} as MR-row panels: panel {@code q} holds, for each
     * {@code p}, the MR values {@code A(q*MR + r, p)} contiguously, at {@code dst[q*MR*kc + p*MR + r]}.
     */
    static void packA(int mc, int kc, float[] a, int off, int rs, int cs, float[] dst) {
        int d = 0;
        for (int i = 0; i < mc; i += MR) {
            int mr = Math.min(MR, mc - i);
            int row = off + i * rs;
            for (int p = 0; p < kc; p++, d += MR) {
                int s = row + p * cs;
                for (int r = 0; r < mr; r++) {
                    dst[d + r] = a[s + r * rs];
                }
                if (mr < MR) {
                    Arrays.fill(dst, d + mr, d + MR, 0f);
                }
            }
        }
    }

    /**
     * Packs the {@code kc×nc} block of B starting at {@code off} as NR-column panels: panel {@code q} holds, for
     * each {@code p}, the NR values {@code B(p, q*NR + j)} contiguously, at {@code dst[q*NR*kc + p*NR + j]}.
     */
    static void packB(int kc, int nc, float[] b, int off, int rs, int cs, float[] dst) {
        int d = 0;
        for (int j = 0; j < nc; j += NR) {
            int nr = Math.min(NR, nc - j);
            int col = off + j * cs;
            if (nr == NR && cs == 1) {
                for (int p = 0; p < kc; p++, d += NR) {
                    System.arraycopy(b, col + p * rs, dst, d, NR);
                }
            } else {
                for (int p = 0; p < kc; p++, d += NR) {
                    int s = col + p * rs;
                    for (int c = 0; c < nr; c++) {
                        dst[d + c] = b[s + c * cs];
                    }
                    if (nr < NR) {
                        Arrays.fill(dst, d + nr, d + NR, 0f);
                    }
                }
            }
        }
    }
}
