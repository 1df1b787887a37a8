package dev.deneb.tensor.cpu;

import static dev.deneb.tensor.cpu.SgemmSettings.MR;
import static dev.deneb.tensor.cpu.SgemmSettings.NR;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-tiled inner kernel: a 3×(3 vectors) tile of C held in nine local vectors while it walks the packed
 * panels of A and B. Each step loads three B vectors, broadcasts three A values and issues nine independent FMAs,
 * with no lane reductions anywhere.
 *
 * <p>Why 3×3 vectors and not the usual 6×2: C2 schedules every load of a loop iteration first, so all broadcasts and
 * B vectors are live at once. With AVX2's 16 registers a 6×2 tile (12 accumulators + 2 + 6 loads) spilled one
 * accumulator to the stack every iteration and ran at half speed; 3×3 needs 9 + 3 + 3 = 15 and does not spill.
 * Unrolling the depth loop spills for the same reason, so the loop is left rolled and walks with bumped indices
 * (fewer address computations than {@code p*NR}).
 */
final class SgemmMicroKernel {
    /** Must stay a static final constant: HotSpot only intrinsifies vector code whose species it can fold. */
    static final VectorSpecies<Float> S = SgemmSettings.BITS == 512 ? FloatVector.SPECIES_512
            : SgemmSettings.BITS == 128 ? FloatVector.SPECIES_128 : FloatVector.SPECIES_256;
    private static final int L = S.length();

    private SgemmMicroKernel() {}

    /**
     * Computes the MR×NR tile {@code A_panel·B_panel} over depth {@code kc} and stores it to
     * {@code c[ci + r*ldc + j]}, adding to what is there when {@code add}. The tile must lie fully inside C.
     */
    static void tile(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00;
        for (int p = 0, aj = ai, bj = bi; p < kc; p++, aj += MR, bj += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bj);
            FloatVector b1 = FloatVector.fromArray(S, bp, bj + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bj + 2 * L);
            FloatVector a = FloatVector.broadcast(S, ap[aj]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            c02 = a.fma(b2, c02);
            a = FloatVector.broadcast(S, ap[aj + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            c12 = a.fma(b2, c12);
            a = FloatVector.broadcast(S, ap[aj + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            c22 = a.fma(b2, c22);
        }
        store(c00, c01, c02, c, ci, add);
        store(c10, c11, c12, c, ci + ldc, add);
        store(c20, c21, c22, c, ci + 2 * ldc, add);
    }

    private static void store(FloatVector v0, FloatVector v1, FloatVector v2, float[] c, int ci, boolean add) {
        if (add) {
            v0 = v0.add(FloatVector.fromArray(S, c, ci));
            v1 = v1.add(FloatVector.fromArray(S, c, ci + L));
            v2 = v2.add(FloatVector.fromArray(S, c, ci + 2 * L));
        }
        v0.intoArray(c, ci);
        v1.intoArray(c, ci + L);
        v2.intoArray(c, ci + 2 * L);
    }
}
