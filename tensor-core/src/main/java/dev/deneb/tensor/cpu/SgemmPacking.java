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
 *
 * <p>Full panels take loops that walk the source in its contiguous direction with constant trip counts, which C2
 * unrolls and vectorizes: the general element-by-element loop cost about 11 % of a 1024³ product (measured 3.0 ms
 * of packing against 27 ms of multiply-adds), these loops about 4 %.
 */
final class SgemmPacking {
    private static final boolean VECTOR = SgemmSettings.BITS != 0;
    /** Row-major A panels transposed in registers: 512-bit vectors only (see {@link SgemmVectorPacking}). */
    private static final boolean VECTOR_A = SgemmSettings.BITS == 512;

    private SgemmPacking() {}

    /**
     * Packs the {@code mc×kc} block of A starting at {@code off} as MR-row panels: panel {@code q} holds, for each
     * {@code p}, the MR values {@code A(q*MR + r, p)} contiguously, at {@code dst[q*MR*kc + p*MR + r]}.
     */
    static void packA(int mc, int kc, float[] a, int off, int rs, int cs, float[] dst) {
        for (int i = 0; i < mc; i += MR) {
            int mr = Math.min(MR, mc - i);
            int row = off + i * rs;
            int d = i * kc;
            if (mr == MR && cs == 1 && VECTOR_A) {
                SgemmVectorPacking.packRowMajorPanelA(kc, a, row, rs, dst, d);
            } else if (mr == MR && cs == 1) {
                // Row-major A: read each row forwards, scatter with stride MR.
                for (int r = 0; r < MR; r++) {
                    int s = row + r * rs;
                    for (int p = 0; p < kc; p++) {
                        dst[d + p * MR + r] = a[s + p];
                    }
                }
            } else if (mr == MR && rs == 1) {
                // Column-major A (a transposed view): each column of the panel is already contiguous.
                for (int p = 0; p < kc; p++) {
                    int s = row + p * cs;
                    for (int r = 0; r < MR; r++) {
                        dst[d + p * MR + r] = a[s + r];
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int s = row + p * cs;
                    int t = d + p * MR;
                    for (int r = 0; r < mr; r++) {
                        dst[t + r] = a[s + r * rs];
                    }
                    if (mr < MR) {
                        Arrays.fill(dst, t + mr, t + MR, 0f);
                    }
                }
            }
        }
    }

    /**
     * Packs the {@code kc×nc} block of B starting at {@code off} as NR-column panels: panel {@code q} holds, for
     * each {@code p}, the NR values {@code B(p, q*NR + j)} contiguously, at {@code dst[q*NR*kc + p*NR + j]}.
     */
    static void packB(int kc, int nc, float[] b, int off, int rs, int cs, float[] dst) {
        packB(kc, 0, nc, b, off, rs, cs, dst);
    }

    /**
     * Packs only columns {@code j0..j1} of the {@code kc×nc} block ({@code j0} a multiple of NR, {@code j1} one too
     * or the block's last column), to the same places as {@link #packB}: threads can share the work of one block.
     */
    static void packB(int kc, int j0, int j1, float[] b, int off, int rs, int cs, float[] dst) {
        int full = j0 + (j1 - j0) / NR * NR;
        if (cs == 1 && VECTOR) {
            SgemmVectorPacking.packRowMajorB(kc, j0, full, b, off, rs, dst);
        } else if (cs == 1) {
            // Row-major B: walk each row of the block forwards, dropping NR floats into every panel.
            for (int p = 0; p < kc; p++) {
                int s = off + p * rs;
                for (int j = j0, d = j0 * kc + p * NR; j < full; j += NR, d += NR * kc) {
                    for (int x = 0; x < NR; x++) {
                        dst[d + x] = b[s + j + x];
                    }
                }
            }
        } else if (rs == 1 && VECTOR) {
            // Column-major B (a transposed weight): L×L blocks transposed in registers.
            for (int j = j0; j < full; j += NR) {
                SgemmTranspose.columnsToRows(kc, NR, b, off + j * cs, cs, dst, j * kc, NR);
            }
        } else if (rs == 1) {
            // Column-major B (a transposed view): each column is contiguous along p. Transposed in blocks of 16
            // depths, so the 16 panel rows being written stay in L1 while each column is read a line at a time: a
            // conv weight gradient's product (32x1024 by 1024x288) took 300 us, against 366 walking each column
            // over all depths and 930 writing the panel in order while reading the 32 columns side by side.
            for (int j = j0; j < full; j += NR) {
                int d = j * kc;
                int s = off + j * cs;
                for (int p0 = 0; p0 < kc; p0 += 16) {
                    int p1 = Math.min(p0 + 16, kc);
                    for (int x = 0; x < NR; x++) {
                        int sx = s + x * cs;
                        for (int p = p0; p < p1; p++) {
                            dst[d + p * NR + x] = b[sx + p];
                        }
                    }
                }
            }
        } else {
            for (int j = j0; j < full; j += NR) {
                packBPanel(kc, NR, b, off + j * cs, rs, cs, dst, j * kc);
            }
        }
        if (full < j1) {
            packBPanel(kc, j1 - full, b, off + full * cs, rs, cs, dst, full * kc);
        }
    }

    /** One panel of {@code nr <= NR} columns, element by element, zero-padded to NR. */
    private static void packBPanel(int kc, int nr, float[] b, int off, int rs, int cs, float[] dst, int d) {
        for (int p = 0; p < kc; p++, d += NR) {
            int s = off + p * rs;
            for (int x = 0; x < nr; x++) {
                dst[d + x] = b[s + x * cs];
            }
            if (nr < NR) {
                Arrays.fill(dst, d + nr, d + NR, 0f);
            }
        }
    }
}
