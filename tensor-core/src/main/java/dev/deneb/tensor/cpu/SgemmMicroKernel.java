package dev.deneb.tensor.cpu;

import static dev.deneb.tensor.cpu.SgemmSettings.MR;
import static dev.deneb.tensor.cpu.SgemmSettings.NR;

import java.lang.invoke.VarHandle;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-tiled inner kernels: a 6×(2 vectors) tile of C held in twelve local vectors while it walks A (a
 * packed panel, or rows read in place) and a packed panel of B; and with 32 vector registers a 6×(4 vectors) tile over
 * two panels of B ({@link #tileWide}). Each step loads two B vectors, then broadcasts the six A
 * values one at a time, each feeding two independent FMAs; there are no lane reductions anywhere.
 *
 * <p>Why twelve accumulators: an FMA has a latency of 4 cycles and two issue per cycle, so at least eight
 * independent sums must be in flight; with nine (the earlier 3×3 tile) the loop reached about 70 % of peak even in
 * C, with twelve it reaches peak. The catch is AVX2's sixteen registers: 12 accumulators + 2 B vectors + 1 broadcast
 * leave one spare, and C2 likes to issue every load of an iteration first (six live broadcasts), which spills
 * accumulators and halves the speed. {@link VarHandle#loadLoadFence()} between the rows stops that: a load may not
 * move above it, so each broadcast is issued just before its two FMAs. On x86 the fence emits no instruction (loads
 * are never reordered with loads there); it only constrains the compiler. Elsewhere it would emit a barrier, and
 * those machines have 32 vector registers anyway, so it is used on x86 only.
 *
 * <p>Why two kernels that differ only in how they index A: every index in the loop must be the loop counter times
 * a constant plus an invariant, or C2 cannot prove it in bounds once before the loop and checks it on every step.
 * One kernel with A's strides as arguments ran six compare-and-branches, six index additions and three stack
 * reloads per step besides its twelve FMAs (41 instructions); {@link #tile} runs 27, {@link #tileRows} 33. Alone on
 * a core the FMAs hide that; when the host runs another thread on the core's sibling, the two share the front end,
 * and the leaner loops ran 1.2× faster (n=1020, one thread: 120 → 143 GFLOP/s packed, 129 in place).
 */
final class SgemmMicroKernel {
    /** Must stay a static final constant: HotSpot only intrinsifies vector code whose species it can fold. */
    static final VectorSpecies<Float> S = SgemmSettings.BITS == 512 ? FloatVector.SPECIES_512
            : SgemmSettings.BITS == 128 ? FloatVector.SPECIES_128 : FloatVector.SPECIES_256;
    private static final int L = S.length();
    /** Whether to pin the broadcasts in place with compiler-only fences (see the class comment). */
    private static final boolean PIN = isX86();

    private SgemmMicroKernel() {}

    /**
     * Computes the MR×NR tile {@code A·B_panel} over depth {@code kc} and stores it to {@code c[ci + r*ldc + j]},
     * adding to what is there when {@code add} (through the scratch {@code t} of MR×NR floats). The tile must lie
     * fully inside C. A is a packed panel, {@code A(r, p) = a[ai + p*MR + r]}: one index for the six broadcasts,
     * which differ only in their constant displacement.
     */
    static void tile(int kc, float[] a, int ai, float[] bp, int bi, float[] c, int ci, int ldc, boolean add,
                     float[] t) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00;
        FloatVector c50 = c00, c51 = c00;
        for (int p = 0, bj = bi; p < kc; p++, bj += NR) {
            int i = ai + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bj);
            FloatVector b1 = FloatVector.fromArray(S, bp, bj + L);
            FloatVector av = FloatVector.broadcast(S, a[i]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            pin();
            av = FloatVector.broadcast(S, a[i + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            pin();
            av = FloatVector.broadcast(S, a[i + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            pin();
            av = FloatVector.broadcast(S, a[i + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            pin();
            av = FloatVector.broadcast(S, a[i + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            pin();
            av = FloatVector.broadcast(S, a[i + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        // Plain stores straight into C; a tile that adds to C lands in the scratch t first (see addTile). The
        // same stores close tileRows.
        float[] d = add ? t : c;
        int r = add ? 0 : ci;
        int ld = add ? NR : ldc;
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
            addTile(t, MR, c, ci, ldc);
        }
    }

    /**
     * As {@link #tile} with A read in place from six rows of a row-major block, {@code A(r, p) = a[ai + r*lda + p]}:
     * six sequential streams that the MC blocking keeps in L2, which spares packing A where packing would cost more
     * than it saves (see {@link SgemmBlocked}). The same FMAs in the same order as {@link #tile}, so the same bits.
     */
    static void tileRows(int kc, float[] a, int ai, int lda, float[] bp, int bi, float[] c, int ci, int ldc,
                         boolean add, float[] t) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00;
        FloatVector c50 = c00, c51 = c00;
        int a0 = ai, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda;
        for (int p = 0, bj = bi; p < kc; p++, bj += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bj);
            FloatVector b1 = FloatVector.fromArray(S, bp, bj + L);
            FloatVector av = FloatVector.broadcast(S, a[a0 + p]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            pin();
            av = FloatVector.broadcast(S, a[a1 + p]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            pin();
            av = FloatVector.broadcast(S, a[a2 + p]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            pin();
            av = FloatVector.broadcast(S, a[a3 + p]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            pin();
            av = FloatVector.broadcast(S, a[a4 + p]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            pin();
            av = FloatVector.broadcast(S, a[a5 + p]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        float[] d = add ? t : c;
        int r = add ? 0 : ci;
        int ld = add ? NR : ldc;
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
            addTile(t, MR, c, ci, ldc);
        }
    }

    /**
     * As {@link #tile} for two adjacent B panels at once ({@code bi} and {@code bi2}): a 6×(4 vectors) tile in 24
     * accumulators, so each broadcast of A feeds four FMAs and a step needs fewer instructions per FMA. Needs 32
     * vector registers (AVX-512). The tile's second half lands at {@code ci + NR}; a tile that adds to C goes
     * through the scratches {@code t} and {@code t2}. Same FMAs per element in the same order as {@link #tile}, so
     * the same bits. No {@link #pin} fences here: with them this loop ran at 150 GFLOP/s against 205 without
     * (n=2048, one Zen 5 core).
     */
    static void tileWide(int kc, float[] a, int ai, float[] bp, int bi, int bi2, float[] c, int ci, int ldc,
                         boolean add, float[] t, float[] t2) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00, c43 = c00;
        FloatVector c50 = c00, c51 = c00, c52 = c00, c53 = c00;
        for (int p = 0; p < kc; p++) {
            int i = ai + p * MR;
            int bj = bi + p * NR;
            int bk = bi2 + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bj);
            FloatVector b1 = FloatVector.fromArray(S, bp, bj + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bk);
            FloatVector b3 = FloatVector.fromArray(S, bp, bk + L);
            FloatVector av = FloatVector.broadcast(S, a[i]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            c02 = av.fma(b2, c02);
            c03 = av.fma(b3, c03);
            av = FloatVector.broadcast(S, a[i + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            c12 = av.fma(b2, c12);
            c13 = av.fma(b3, c13);
            av = FloatVector.broadcast(S, a[i + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            c22 = av.fma(b2, c22);
            c23 = av.fma(b3, c23);
            av = FloatVector.broadcast(S, a[i + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            c32 = av.fma(b2, c32);
            c33 = av.fma(b3, c33);
            av = FloatVector.broadcast(S, a[i + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            c42 = av.fma(b2, c42);
            c43 = av.fma(b3, c43);
            av = FloatVector.broadcast(S, a[i + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            c52 = av.fma(b2, c52);
            c53 = av.fma(b3, c53);
        }
        float[] d = add ? t : c;
        float[] e = add ? t2 : c;
        int r = add ? 0 : ci;
        int q = add ? 0 : ci + NR;
        int ld = add ? NR : ldc;
        c00.intoArray(d, r);
        c01.intoArray(d, r + L);
        c02.intoArray(e, q);
        c03.intoArray(e, q + L);
        r += ld;
        q += ld;
        c10.intoArray(d, r);
        c11.intoArray(d, r + L);
        c12.intoArray(e, q);
        c13.intoArray(e, q + L);
        r += ld;
        q += ld;
        c20.intoArray(d, r);
        c21.intoArray(d, r + L);
        c22.intoArray(e, q);
        c23.intoArray(e, q + L);
        r += ld;
        q += ld;
        c30.intoArray(d, r);
        c31.intoArray(d, r + L);
        c32.intoArray(e, q);
        c33.intoArray(e, q + L);
        r += ld;
        q += ld;
        c40.intoArray(d, r);
        c41.intoArray(d, r + L);
        c42.intoArray(e, q);
        c43.intoArray(e, q + L);
        r += ld;
        q += ld;
        c50.intoArray(d, r);
        c51.intoArray(d, r + L);
        c52.intoArray(e, q);
        c53.intoArray(e, q + L);
        if (add) {
            addTile(t, MR, c, ci, ldc);
            addTile(t2, MR, c, ci + NR, ldc);
        }
    }

    /**
     * {@code c[ci + r*ldc + j] += t[r*NR + j]} for {@code rows} rows of NR columns. A loop in a method of its own:
     * written out after the FMA loop, twelve load-add-stores pushed the tile's compilation past C2's node budget
     * ({@code NodeCountInliningCutoff}), the last helper calls were left out of line and each boxed its vector.
     */
    static void addTile(float[] t, int rows, float[] c, int ci, int ldc) {
        for (int r = 0; r < rows; r++) {
            int ti = r * NR;
            int row = ci + r * ldc;
            FloatVector.fromArray(S, t, ti).add(FloatVector.fromArray(S, c, row)).intoArray(c, row);
            FloatVector.fromArray(S, t, ti + L).add(FloatVector.fromArray(S, c, row + L)).intoArray(c, row + L);
        }
    }

    /** A compiler-only fence on x86: loads after it stay after it (see the class comment). */
    static void pin() {
        if (PIN) {
            VarHandle.loadLoadFence();
        }
    }

    private static boolean isX86() {
        String arch = System.getProperty("os.arch", "");
        return arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x86") || arch.equals("i386");
    }
}
