package dev.deneb.tensor.cpu;

import static dev.deneb.tensor.cpu.SgemmSettings.MR;
import static dev.deneb.tensor.cpu.SgemmSettings.NR;

import java.util.function.IntUnaryOperator;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packing of row-major operands with vector moves, used by {@link SgemmPacking} when the Vector API is on.
 *
 * <p>B: C2 does not vectorize the scalar copy of NR floats (it unrolls it fully, which leaves nothing for its
 * vectorizer): packing a 256×256 B took 0.61 ns per float that way and 0.31 with two vector moves per panel row.
 *
 * <p>A: a panel interleaves its six rows ({@code dst[p*MR + r]}), which as scalar code is one store per float (C2
 * does not vectorize a stride-6 scatter). Here one vector from each row is transposed in registers with two-source
 * lane selections: rows paired first (r0 r1 r0 r1 …), then three pairs merged into each output vector. With
 * AVX-512 each selection is one instruction: a 168×1024 block packs at 0.14 ns per float against 0.24–0.39 for the
 * scalar scatter (Zen 5), which at n=2048 is 2 % of the product. With AVX2 alone (the JVM run with
 * {@code -XX:UseAVX=2}) the same code took 0.35 ns and at 128 bits 0.65, against 0.25: only 512-bit vectors use it.
 */
final class SgemmVectorPacking {
    private static final VectorSpecies<Float> S = SgemmMicroKernel.S;
    private static final int L = S.length();

    /** Pairs two rows: lanes {@code a0 b0 a1 b1 …} of the first half of each, and of the second half. */
    private static final FloatVector PAIR_LO = indices(i -> (i % 2) * L + i / 2);
    private static final FloatVector PAIR_HI = indices(i -> (i % 2) * L + i / 2 + L / 2);
    /** Output vector j (0..2) of a half: pairs 01 and 23 where they land, then pair 45 merged in. */
    private static final FloatVector[] FIRST = {firstStage(0), firstStage(1), firstStage(2)};
    private static final FloatVector[] SECOND = {secondStage(0), secondStage(1), secondStage(2)};

    private SgemmVectorPacking() {}

    /**
     * One full MR-row panel of row-major A, {@code a[row + r*rs + p]} for {@code p < kc}, laid out as
     * {@link SgemmPacking#packA} lays it out: {@code dst[d + p*MR + r]}. Same floats moved, so the same bits.
     */
    static void packRowMajorPanelA(int kc, float[] a, int row, int rs, float[] dst, int d) {
        FloatVector f0 = FIRST[0], f1 = FIRST[1], f2 = FIRST[2];
        FloatVector s0 = SECOND[0], s1 = SECOND[1], s2 = SECOND[2];
        int p = 0;
        for (; p <= kc - L; p += L) {
            int x = row + p;
            FloatVector r0 = FloatVector.fromArray(S, a, x);
            FloatVector r1 = FloatVector.fromArray(S, a, x + rs);
            FloatVector r2 = FloatVector.fromArray(S, a, x + 2 * rs);
            FloatVector r3 = FloatVector.fromArray(S, a, x + 3 * rs);
            FloatVector r4 = FloatVector.fromArray(S, a, x + 4 * rs);
            FloatVector r5 = FloatVector.fromArray(S, a, x + 5 * rs);
            FloatVector lo01 = PAIR_LO.selectFrom(r0, r1), lo23 = PAIR_LO.selectFrom(r2, r3);
            FloatVector lo45 = PAIR_LO.selectFrom(r4, r5);
            FloatVector hi01 = PAIR_HI.selectFrom(r0, r1), hi23 = PAIR_HI.selectFrom(r2, r3);
            FloatVector hi45 = PAIR_HI.selectFrom(r4, r5);
            int t = d + p * MR;
            s0.selectFrom(f0.selectFrom(lo01, lo23), lo45).intoArray(dst, t);
            s1.selectFrom(f1.selectFrom(lo01, lo23), lo45).intoArray(dst, t + L);
            s2.selectFrom(f2.selectFrom(lo01, lo23), lo45).intoArray(dst, t + 2 * L);
            s0.selectFrom(f0.selectFrom(hi01, hi23), hi45).intoArray(dst, t + 3 * L);
            s1.selectFrom(f1.selectFrom(hi01, hi23), hi45).intoArray(dst, t + 4 * L);
            s2.selectFrom(f2.selectFrom(hi01, hi23), hi45).intoArray(dst, t + 5 * L);
        }
        for (int r = 0; r < MR; r++) {
            int s = row + r * rs;
            for (int q = p; q < kc; q++) {
                dst[d + q * MR + r] = a[s + q];
            }
        }
    }

    /** Lane i of output vector j within a half holds unit (pair element) {@code g = j*L/2 + i/2}: depth g/3, pair
     *  g%3, element i%2 of the pair, which sits at lane {@code 2*(g/3) + i%2} of its pair vector. */
    private static FloatVector firstStage(int j) {
        return indices(i -> {
            int g = j * L / 2 + i / 2;
            int lane = 2 * (g / 3) + i % 2;
            return g % 3 == 0 ? lane : g % 3 == 1 ? L + lane : 0;
        });
    }

    private static FloatVector secondStage(int j) {
        return indices(i -> {
            int g = j * L / 2 + i / 2;
            return g % 3 == 2 ? L + 2 * (g / 3) + i % 2 : i;
        });
    }

    private static FloatVector indices(IntUnaryOperator f) {
        float[] x = new float[L];
        for (int i = 0; i < L; i++) {
            x[i] = f.applyAsInt(i);
        }
        return FloatVector.fromArray(S, x, 0);
    }

    /** Full panels {@code j0..j1} (multiples of NR) of a row-major block, laid out as in {@link SgemmPacking#packB}. */
    static void packRowMajorB(int kc, int j0, int j1, float[] b, int off, int rs, float[] dst) {
        for (int p = 0; p < kc; p++) {
            int s = off + p * rs;
            for (int j = j0, d = j0 * kc + p * NR; j < j1; j += NR, d += NR * kc) {
                for (int x = 0; x < NR; x += L) {
                    FloatVector.fromArray(S, b, s + j + x).intoArray(dst, d + x);
                }
            }
        }
    }
}
