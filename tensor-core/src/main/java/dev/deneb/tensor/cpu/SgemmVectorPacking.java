package dev.deneb.tensor.cpu;

import static dev.deneb.tensor.cpu.SgemmSettings.NR;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packing of row-major B with vector moves, used by {@link SgemmPacking} when the Vector API is on. C2 does not
 * vectorize the scalar copy of NR floats (it unrolls it fully, which leaves nothing for its vectorizer): packing a
 * 256×256 B took 0.61 ns per float that way and 0.31 with two vector moves per panel row.
 */
final class SgemmVectorPacking {
    private static final VectorSpecies<Float> S = SgemmMicroKernel.S;
    private static final int L = S.length();

    private SgemmVectorPacking() {}

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
