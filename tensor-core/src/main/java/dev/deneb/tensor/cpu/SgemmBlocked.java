package dev.deneb.tensor.cpu;

import static dev.deneb.tensor.cpu.SgemmSettings.KC;
import static dev.deneb.tensor.cpu.SgemmSettings.MR;
import static dev.deneb.tensor.cpu.SgemmSettings.NR;
import static dev.deneb.tensor.cpu.SgemmSettings.balancedStep;
import static dev.deneb.tensor.cpu.SgemmSettings.columnsFor;
import static dev.deneb.tensor.cpu.SgemmSettings.rowsFor;
import static dev.deneb.tensor.cpu.SgemmSettings.roundUp;

/**
 * The packed, cache-blocked GEMM (BLIS loop order). For each NC-wide column block and KC-deep slice, B is packed
 * once (it then sits in L3 and each KC×NR sliver in L2); for each MC-high row block A is packed (it sits in L2);
 * the micro-kernel then sweeps the MR×NR tiles, keeping one B sliver hot while the A panels stream past.
 *
 * <p>On several threads ({@link #gemmRows}) the threads share each packed B block and split the rows of C: packing
 * B per thread would copy all of B once per thread.
 */
final class SgemmBlocked {
    private static final boolean VECTOR = SgemmSettings.BITS != 0;
    /** B blocks smaller than this many floats are packed by the calling thread alone: a fork/join costs more. */
    private static final int PARALLEL_PACK_MIN = 128 * 1024;
    /** Row chunks per thread in {@link #gemmRows}. */
    private static final int CHUNKS_PER_THREAD = 4;
    /**
     * Packed blocks of A take the wide micro-kernel ({@link SgemmMicroKernel#tileWide}: two B panels at once, 24
     * accumulators) where the CPU has 32 vector registers (512-bit vectors here). Measured at n=2048 on one Zen 5
     * core, paired: 201–203 GFLOP/s with the two-vector tile, 205–209 wide (OpenBLAS 207–208; FMA peak 230).
     */
    private static final boolean WIDE = SgemmSettings.BITS == 512;
    /**
     * Row-major A is packed when at least this many columns of C share each packed block, and read in place below
     * that. Scalar packing costs 0.2–0.5 ns per float (a scatter C2 does not vectorize: 38 % of a 128³ product), the
     * in-register transpose of 512-bit vectors 0.14. Read in place, A takes the two-vector kernel, whose loop needs
     * more instructions per FMA; the packed kernels' leaner loops run level with it when the core is ours alone and
     * faster when the host shares it: n=1020, one thread, 143 against 129 GFLOP/s (two-vector kernels); n=512, wide
     * and packed against in place, 176–185 against 139–151 in a slow spell, 194 against 193 at a quiet moment
     * (OpenBLAS 174–196). At 256 columns packing did not pay (175–182 against 187–193). Without the wide kernel only
     * blocks of 1024 columns pack (the LSTM's 512-column products ran slower packed).
     */
    private static final int PACK_A_MIN_COLUMNS = WIDE ? 512 : 1024;

    private SgemmBlocked() {}

    /** Same contract as {@link Sgemm#gemm} with {@code k > 0}, arguments already checked; on this thread. */
    static void gemm(int m, int n, int k,
                     float[] a, int aOff, int aRs, int aCs,
                     float[] b, int bOff, int bRs, int bCs,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        SgemmWorkspace ws = SgemmWorkspace.get();
        int kStep = balancedStep(k, KC);
        int nStep = columnsFor(kStep);
        float[] bp = ws.packedB(roundUp(Math.min(nStep, n), NR) * kStep);
        for (int jc = 0; jc < n; jc += nStep) {
            int nc = Math.min(nStep, n - jc);
            for (int pc = 0; pc < k; pc += kStep) {
                int kc = Math.min(kStep, k - pc);
                SgemmPacking.packB(kc, nc, b, bOff + pc * bRs + jc * bCs, bRs, bCs, bp);
                rowBlocks(0, m, nc, kc, a, aOff + pc * aCs, aRs, aCs, bp, 0, c, cOff + jc, ldc,
                        accumulate || pc > 0, ws);
            }
        }
    }

    /**
     * As {@link #gemm}, on {@code threads} threads: each packed B block is shared, rows of C are split in whole MR
     * panels (two fork/joins per block: one to pack B, one to multiply).
     */
    static void gemmRows(int m, int n, int k,
                         float[] a, int aOff, int aRs, int aCs,
                         float[] b, int bOff, int bRs, int bCs,
                         float[] c, int cOff, int ldc, boolean accumulate, int threads) {
        int kStep = balancedStep(k, KC);
        int nStep = columnsFor(kStep);
        float[] bp = SgemmWorkspace.get().packedB(roundUp(Math.min(nStep, n), NR) * kStep);
        int panels = (m + MR - 1) / MR;
        // Several chunks per thread, claimed as threads come free: a core the host slows down takes fewer rows (the
        // rows of C are computed the same way whoever takes them, so the bits do not change).
        int rowChunks = Math.min(panels, CHUNKS_PER_THREAD * threads);
        for (int jc = 0; jc < n; jc += nStep) {
            int nc = Math.min(nStep, n - jc);
            for (int pc = 0; pc < k; pc += kStep) {
                int kc = Math.min(kStep, k - pc);
                int bo = bOff + pc * bRs + jc * bCs;
                int slivers = (nc + NR - 1) / NR;
                int packChunks = (long) kc * nc < PARALLEL_PACK_MIN ? 1 : Math.min(threads, slivers);
                Parallel.forChunks(slivers, packChunks, (q0, q1) ->
                        SgemmPacking.packB(kc, q0 * NR, Math.min(q1 * NR, nc), b, bo, bRs, bCs, bp));
                int ao = aOff + pc * aCs;
                int co = cOff + jc;
                boolean add = accumulate || pc > 0;
                Parallel.forChunks(panels, rowChunks, (p0, p1) -> rowBlocks(p0 * MR, Math.min(p1 * MR, m), nc, kc,
                        a, ao, aRs, aCs, bp, 0, c, co, ldc, add, SgemmWorkspace.get()));
            }
        }
    }

    /**
     * As {@link #gemm} with all of B already packed as one block ({@code k <= KC}, {@code n <= columnsFor(k)}; see
     * {@link SgemmPackCache}), on {@code threads} threads: rows split as in {@link #gemmRows} when C is tall, whole
     * NR panels of columns when it is wide.
     */
    static void gemmPackedB(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] bp,
                            float[] c, int cOff, int ldc, boolean accumulate, int threads) {
        if (threads <= 1) {
            rowBlocks(0, m, n, k, a, aOff, aRs, aCs, bp, 0, c, cOff, ldc, accumulate, SgemmWorkspace.get());
        } else if (m >= n) {
            int panels = (m + MR - 1) / MR;
            Parallel.forChunks(panels, Math.min(threads, panels), (p0, p1) -> rowBlocks(p0 * MR,
                    Math.min(p1 * MR, m), n, k, a, aOff, aRs, aCs, bp, 0, c, cOff, ldc, accumulate,
                    SgemmWorkspace.get()));
        } else {
            int panels = (n + NR - 1) / NR;
            Parallel.forChunks(panels, Math.min(threads, panels), (q0, q1) -> {
                int j0 = q0 * NR;
                rowBlocks(0, m, Math.min(q1 * NR, n) - j0, k, a, aOff, aRs, aCs, bp, j0 * k, c, cOff + j0, ldc,
                        accumulate, SgemmWorkspace.get());
            });
        }
    }

    /**
     * Rows {@code i0..i1} of C against one packed B block starting at {@code bp[bpOff]}: pack each MC-high block of
     * A (unless it is row-major), sweep its tiles.
     */
    private static void rowBlocks(int i0, int i1, int nc, int kc, float[] a, int aOff, int aRs, int aCs,
                                  float[] bp, int bpOff, float[] c, int cOff, int ldc, boolean add,
                                  SgemmWorkspace ws) {
        int mStep = roundUp(balancedStep(i1 - i0, rowsFor(kc)), MR);
        float[] ap = ws.packedA(mStep * kc);
        for (int ic = i0; ic < i1; ic += mStep) {
            int mc = Math.min(mStep, i1 - ic);
            if (VECTOR && aCs == 1 && nc < PACK_A_MIN_COLUMNS) {
                // Row-major A is read in place; only a ragged last panel is packed (zero-padded to MR rows).
                int full = mc / MR * MR;
                macroKernelRowMajorA(full, nc, kc, a, aOff + ic * aRs, aRs, bp, bpOff, c, cOff + ic * ldc, ldc, add,
                        ws);
                if (full < mc) {
                    SgemmPacking.packA(mc - full, kc, a, aOff + (ic + full) * aRs, aRs, aCs, ap);
                    macroKernel(mc - full, nc, kc, ap, bp, bpOff, c, cOff + (ic + full) * ldc, ldc, add, ws);
                }
            } else {
                SgemmPacking.packA(mc, kc, a, aOff + ic * aRs, aRs, aCs, ap);
                macroKernel(mc, nc, kc, ap, bp, bpOff, c, cOff + ic * ldc, ldc, add, ws);
            }
        }
    }

    /** As {@link #macroKernel} for {@code mc} (a multiple of MR) rows of row-major A read in place. */
    private static void macroKernelRowMajorA(int mc, int nc, int kc, float[] a, int aOff, int lda, float[] bp,
                                             int bpOff, float[] c, int cOff, int ldc, boolean add,
                                             SgemmWorkspace ws) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int bi = bpOff + jr * kc;
            for (int ir = 0; ir < mc; ir += MR) {
                int ai = aOff + ir * lda;
                int ci = cOff + ir * ldc + jr;
                if (nr == NR) {
                    SgemmMicroKernel.tileRows(kc, a, ai, lda, bp, bi, c, ci, ldc, add, ws.sumTile);
                } else {
                    float[] t = ws.edgeTile;
                    SgemmMicroKernel.tileRows(kc, a, ai, lda, bp, bi, t, 0, NR, false, ws.sumTile);
                    storeEdge(t, MR, nr, c, ci, ldc, add);
                }
            }
        }
    }

    /**
     * Sweeps all tiles of one packed block: with the wide kernel, pairs of full B panels against full MR-row panels
     * of A; the rest one NR panel at a time.
     */
    private static void macroKernel(int mc, int nc, int kc, float[] ap, float[] bp, int bpOff,
                                    float[] c, int cOff, int ldc, boolean add, SgemmWorkspace ws) {
        int jr = 0;
        if (WIDE) {
            int fullRows = mc / MR * MR;
            for (; jr + 2 * NR <= nc; jr += 2 * NR) {
                int bi = bpOff + jr * kc;
                for (int ir = 0; ir < fullRows; ir += MR) {
                    SgemmMicroKernel.tileWide(kc, ap, ir * kc, bp, bi, bi + NR * kc, c, cOff + ir * ldc + jr, ldc,
                            add, ws.sumTile, ws.sumTile2);
                }
                panelTiles(fullRows, mc, jr, jr + 2 * NR, kc, ap, bp, bpOff, c, cOff, ldc, add, ws);
            }
        }
        panelTiles(0, mc, jr, nc, kc, ap, bp, bpOff, c, cOff, ldc, add, ws);
    }

    /**
     * The MR×NR tiles of rows {@code i0..mc} and columns {@code j0..j1} of one packed block; tiles on a ragged edge
     * go through a scratch tile.
     */
    private static void panelTiles(int i0, int mc, int j0, int j1, int kc, float[] ap, float[] bp, int bpOff,
                                   float[] c, int cOff, int ldc, boolean add, SgemmWorkspace ws) {
        for (int jr = j0; jr < j1; jr += NR) {
            int nr = Math.min(NR, j1 - jr);
            int bi = bpOff + jr * kc;
            for (int ir = i0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int ai = ir * kc;
                int ci = cOff + ir * ldc + jr;
                if (mr == MR && nr == NR) {
                    tile(kc, ap, ai, bp, bi, c, ci, ldc, add, ws.sumTile);
                } else {
                    float[] t = ws.edgeTile;
                    tile(kc, ap, ai, bp, bi, t, 0, NR, false, ws.sumTile);
                    storeEdge(t, mr, nr, c, ci, ldc, add);
                }
            }
        }
    }

    /** The valid {@code mr×nr} corner of a full tile computed into the scratch {@code t}, stored or added to C. */
    private static void storeEdge(float[] t, int mr, int nr, float[] c, int ci, int ldc, boolean add) {
        for (int r = 0; r < mr; r++) {
            int row = ci + r * ldc;
            for (int j = 0; j < nr; j++) {
                c[row + j] = add ? c[row + j] + t[r * NR + j] : t[r * NR + j];
            }
        }
    }

    private static void tile(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc,
                             boolean add, float[] scratch) {
        if (VECTOR) {
            SgemmMicroKernel.tile(kc, ap, ai, bp, bi, c, ci, ldc, add, scratch);
        } else {
            SgemmScalarKernel.tile(kc, ap, ai, bp, bi, c, ci, ldc, add);
        }
    }
}
