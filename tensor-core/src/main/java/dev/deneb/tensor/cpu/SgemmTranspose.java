package dev.deneb.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies a column-major block (a transposed weight, {@code x·Wᵀ}) into row-major order with in-register transposes
 * of L×L blocks: L row loads, log2(L) stages of lane swaps, L row stores. Element by element, each float costs a
 * scalar load and a store to a different cache line: packing a 384×128 transposed weight took 28 µs that way and
 * 8 µs with 512-bit blocks, as long as a row-major one. Pure data movement: the GEMM's bits do not change.
 *
 * <p>Stage {@code b} swaps the off-diagonal b×b sub-blocks of each 2b×2b block: lane {@code l} of row {@code i}
 * (bit b of i clear, bit b of l set) trades places with lane {@code l - b} of row {@code i + b}. After the stages
 * b = 1, 2, 4 (, 8) row and lane indices have traded all their bits. Blocks of 16 and 8 lanes; other widths use the
 * scalar loop.
 */
final class SgemmTranspose {
    private static final VectorSpecies<Float> S = SgemmMicroKernel.S;
    private static final int L = S.length();
    private static final VectorMask<Float> M1 = laneBit(1), M2 = laneBit(2), M4 = laneBit(4), M8 = laneBit(8);
    private static final VectorShuffle<Float> X1 = xorLanes(1), X2 = xorLanes(2), X4 = xorLanes(4), X8 = xorLanes(8);

    private SgemmTranspose() {}

    /**
     * {@code dst[dOff + p*ldd + x] = src[off + x*cs + p]} for {@code p < depth}, {@code x < width}: {@code width}
     * contiguous runs of {@code depth} floats, {@code cs} apart, become {@code depth} rows of {@code width}.
     */
    static void columnsToRows(int depth, int width, float[] src, int off, int cs, float[] dst, int dOff, int ldd) {
        int xv = L == 16 || L == 8 ? width - width % L : 0;
        int pv = depth - depth % L;
        for (int x = 0; x < xv; x += L) {
            int s = off + x * cs;
            int d = dOff + x;
            for (int p = 0; p < pv; p += L) {
                if (L == 16) {
                    block16(src, s + p, cs, dst, d + p * ldd, ldd);
                } else {
                    block8(src, s + p, cs, dst, d + p * ldd, ldd);
                }
            }
            scalar(pv, depth, x, x + L, src, off, cs, dst, dOff, ldd);
        }
        scalar(0, depth, xv, width, src, off, cs, dst, dOff, ldd);
    }

    private static void scalar(int p0, int p1, int x0, int x1, float[] src, int off, int cs, float[] dst, int dOff,
                               int ldd) {
        for (int x = x0; x < x1; x++) {
            int s = off + x * cs;
            for (int p = p0; p < p1; p++) {
                dst[dOff + p * ldd + x] = src[s + p];
            }
        }
    }

    private static void block16(float[] b, int s, int cs, float[] dst, int d, int ldd) {
        FloatVector v0 = FloatVector.fromArray(S, b, s);
        FloatVector v1 = FloatVector.fromArray(S, b, s + cs);
        FloatVector v2 = FloatVector.fromArray(S, b, s + 2 * cs);
        FloatVector v3 = FloatVector.fromArray(S, b, s + 3 * cs);
        FloatVector v4 = FloatVector.fromArray(S, b, s + 4 * cs);
        FloatVector v5 = FloatVector.fromArray(S, b, s + 5 * cs);
        FloatVector v6 = FloatVector.fromArray(S, b, s + 6 * cs);
        FloatVector v7 = FloatVector.fromArray(S, b, s + 7 * cs);
        FloatVector v8 = FloatVector.fromArray(S, b, s + 8 * cs);
        FloatVector v9 = FloatVector.fromArray(S, b, s + 9 * cs);
        FloatVector v10 = FloatVector.fromArray(S, b, s + 10 * cs);
        FloatVector v11 = FloatVector.fromArray(S, b, s + 11 * cs);
        FloatVector v12 = FloatVector.fromArray(S, b, s + 12 * cs);
        FloatVector v13 = FloatVector.fromArray(S, b, s + 13 * cs);
        FloatVector v14 = FloatVector.fromArray(S, b, s + 14 * cs);
        FloatVector v15 = FloatVector.fromArray(S, b, s + 15 * cs);
        FloatVector t;
        // Written out, loads included: a loop over an array of vectors, or a helper returning a vector that the JIT
        // leaves out of line in a large caller, boxes every vector.
        t = v0.blend(v1.rearrange(X1), M1); v1 = v0.rearrange(X1).blend(v1, M1); v0 = t;
        t = v2.blend(v3.rearrange(X1), M1); v3 = v2.rearrange(X1).blend(v3, M1); v2 = t;
        t = v4.blend(v5.rearrange(X1), M1); v5 = v4.rearrange(X1).blend(v5, M1); v4 = t;
        t = v6.blend(v7.rearrange(X1), M1); v7 = v6.rearrange(X1).blend(v7, M1); v6 = t;
        t = v8.blend(v9.rearrange(X1), M1); v9 = v8.rearrange(X1).blend(v9, M1); v8 = t;
        t = v10.blend(v11.rearrange(X1), M1); v11 = v10.rearrange(X1).blend(v11, M1); v10 = t;
        t = v12.blend(v13.rearrange(X1), M1); v13 = v12.rearrange(X1).blend(v13, M1); v12 = t;
        t = v14.blend(v15.rearrange(X1), M1); v15 = v14.rearrange(X1).blend(v15, M1); v14 = t;

        t = v0.blend(v2.rearrange(X2), M2); v2 = v0.rearrange(X2).blend(v2, M2); v0 = t;
        t = v1.blend(v3.rearrange(X2), M2); v3 = v1.rearrange(X2).blend(v3, M2); v1 = t;
        t = v4.blend(v6.rearrange(X2), M2); v6 = v4.rearrange(X2).blend(v6, M2); v4 = t;
        t = v5.blend(v7.rearrange(X2), M2); v7 = v5.rearrange(X2).blend(v7, M2); v5 = t;
        t = v8.blend(v10.rearrange(X2), M2); v10 = v8.rearrange(X2).blend(v10, M2); v8 = t;
        t = v9.blend(v11.rearrange(X2), M2); v11 = v9.rearrange(X2).blend(v11, M2); v9 = t;
        t = v12.blend(v14.rearrange(X2), M2); v14 = v12.rearrange(X2).blend(v14, M2); v12 = t;
        t = v13.blend(v15.rearrange(X2), M2); v15 = v13.rearrange(X2).blend(v15, M2); v13 = t;

        t = v0.blend(v4.rearrange(X4), M4); v4 = v0.rearrange(X4).blend(v4, M4); v0 = t;
        t = v1.blend(v5.rearrange(X4), M4); v5 = v1.rearrange(X4).blend(v5, M4); v1 = t;
        t = v2.blend(v6.rearrange(X4), M4); v6 = v2.rearrange(X4).blend(v6, M4); v2 = t;
        t = v3.blend(v7.rearrange(X4), M4); v7 = v3.rearrange(X4).blend(v7, M4); v3 = t;
        t = v8.blend(v12.rearrange(X4), M4); v12 = v8.rearrange(X4).blend(v12, M4); v8 = t;
        t = v9.blend(v13.rearrange(X4), M4); v13 = v9.rearrange(X4).blend(v13, M4); v9 = t;
        t = v10.blend(v14.rearrange(X4), M4); v14 = v10.rearrange(X4).blend(v14, M4); v10 = t;
        t = v11.blend(v15.rearrange(X4), M4); v15 = v11.rearrange(X4).blend(v15, M4); v11 = t;

        t = v0.blend(v8.rearrange(X8), M8); v8 = v0.rearrange(X8).blend(v8, M8); v0 = t;
        t = v1.blend(v9.rearrange(X8), M8); v9 = v1.rearrange(X8).blend(v9, M8); v1 = t;
        t = v2.blend(v10.rearrange(X8), M8); v10 = v2.rearrange(X8).blend(v10, M8); v2 = t;
        t = v3.blend(v11.rearrange(X8), M8); v11 = v3.rearrange(X8).blend(v11, M8); v3 = t;
        t = v4.blend(v12.rearrange(X8), M8); v12 = v4.rearrange(X8).blend(v12, M8); v4 = t;
        t = v5.blend(v13.rearrange(X8), M8); v13 = v5.rearrange(X8).blend(v13, M8); v5 = t;
        t = v6.blend(v14.rearrange(X8), M8); v14 = v6.rearrange(X8).blend(v14, M8); v6 = t;
        t = v7.blend(v15.rearrange(X8), M8); v15 = v7.rearrange(X8).blend(v15, M8); v7 = t;

        v0.intoArray(dst, d);
        v1.intoArray(dst, d + ldd);
        v2.intoArray(dst, d + 2 * ldd);
        v3.intoArray(dst, d + 3 * ldd);
        v4.intoArray(dst, d + 4 * ldd);
        v5.intoArray(dst, d + 5 * ldd);
        v6.intoArray(dst, d + 6 * ldd);
        v7.intoArray(dst, d + 7 * ldd);
        v8.intoArray(dst, d + 8 * ldd);
        v9.intoArray(dst, d + 9 * ldd);
        v10.intoArray(dst, d + 10 * ldd);
        v11.intoArray(dst, d + 11 * ldd);
        v12.intoArray(dst, d + 12 * ldd);
        v13.intoArray(dst, d + 13 * ldd);
        v14.intoArray(dst, d + 14 * ldd);
        v15.intoArray(dst, d + 15 * ldd);
    }

    private static void block8(float[] b, int s, int cs, float[] dst, int d, int ldd) {
        FloatVector v0 = FloatVector.fromArray(S, b, s);
        FloatVector v1 = FloatVector.fromArray(S, b, s + cs);
        FloatVector v2 = FloatVector.fromArray(S, b, s + 2 * cs);
        FloatVector v3 = FloatVector.fromArray(S, b, s + 3 * cs);
        FloatVector v4 = FloatVector.fromArray(S, b, s + 4 * cs);
        FloatVector v5 = FloatVector.fromArray(S, b, s + 5 * cs);
        FloatVector v6 = FloatVector.fromArray(S, b, s + 6 * cs);
        FloatVector v7 = FloatVector.fromArray(S, b, s + 7 * cs);
        FloatVector t;
        t = v0.blend(v1.rearrange(X1), M1); v1 = v0.rearrange(X1).blend(v1, M1); v0 = t;
        t = v2.blend(v3.rearrange(X1), M1); v3 = v2.rearrange(X1).blend(v3, M1); v2 = t;
        t = v4.blend(v5.rearrange(X1), M1); v5 = v4.rearrange(X1).blend(v5, M1); v4 = t;
        t = v6.blend(v7.rearrange(X1), M1); v7 = v6.rearrange(X1).blend(v7, M1); v6 = t;

        t = v0.blend(v2.rearrange(X2), M2); v2 = v0.rearrange(X2).blend(v2, M2); v0 = t;
        t = v1.blend(v3.rearrange(X2), M2); v3 = v1.rearrange(X2).blend(v3, M2); v1 = t;
        t = v4.blend(v6.rearrange(X2), M2); v6 = v4.rearrange(X2).blend(v6, M2); v4 = t;
        t = v5.blend(v7.rearrange(X2), M2); v7 = v5.rearrange(X2).blend(v7, M2); v5 = t;

        t = v0.blend(v4.rearrange(X4), M4); v4 = v0.rearrange(X4).blend(v4, M4); v0 = t;
        t = v1.blend(v5.rearrange(X4), M4); v5 = v1.rearrange(X4).blend(v5, M4); v1 = t;
        t = v2.blend(v6.rearrange(X4), M4); v6 = v2.rearrange(X4).blend(v6, M4); v2 = t;
        t = v3.blend(v7.rearrange(X4), M4); v7 = v3.rearrange(X4).blend(v7, M4); v3 = t;

        v0.intoArray(dst, d);
        v1.intoArray(dst, d + ldd);
        v2.intoArray(dst, d + 2 * ldd);
        v3.intoArray(dst, d + 3 * ldd);
        v4.intoArray(dst, d + 4 * ldd);
        v5.intoArray(dst, d + 5 * ldd);
        v6.intoArray(dst, d + 6 * ldd);
        v7.intoArray(dst, d + 7 * ldd);
    }

    /** Lanes whose index has bit {@code bit} set (a species narrower than the bit selects none: unused there). */
    private static VectorMask<Float> laneBit(int bit) {
        boolean[] m = new boolean[L];
        for (int l = 0; l < L; l++) {
            m[l] = (l & bit) != 0;
        }
        return VectorMask.fromArray(S, m, 0);
    }

    /** Lane {@code l} takes lane {@code l ^ bit} (kept in range for narrow species, where it is unused). */
    private static VectorShuffle<Float> xorLanes(int bit) {
        int[] s = new int[L];
        for (int l = 0; l < L; l++) {
            s[l] = (l ^ bit) % L;
        }
        return VectorShuffle.fromArray(S, s, 0);
    }
}
