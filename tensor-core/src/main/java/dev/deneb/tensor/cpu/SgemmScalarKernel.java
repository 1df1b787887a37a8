package dev.deneb.tensor.cpu;

import static dev.deneb.tensor.cpu.SgemmSettings.MR;
import static dev.deneb.tensor.cpu.SgemmSettings.NR;

/**
 * Plain-Java twin of {@link SgemmMicroKernel} over the same packed panels, used when the Vector API is disabled
 * ({@code -Ddeneb.vector=false}) or missing. It sweeps the MR×NR tile in 3×4 blocks held in twelve local floats
 * (an accumulator array would live in memory and run several times slower).
 */
final class SgemmScalarKernel {
    private SgemmScalarKernel() {}

    static void tile(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc, boolean add) {
        for (int r = 0; r < MR; r += 3) {
            for (int j = 0; j < NR; j += 4) {
                block(kc, ap, ai + r, bp, bi + j, c, ci + r * ldc + j, ldc, add);
            }
        }
    }

    /** One 3×4 block of the tile: rows {@code ai..ai+2} of the A panel, columns {@code bj..bj+3} of the B panel. */
    private static void block(int kc, float[] ap, int ai, float[] bp, int bj, float[] c, int ci, int ldc,
                              boolean add) {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        float c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        for (int p = 0, a = ai, b = bj; p < kc; p++, a += MR, b += NR) {
            float a0 = ap[a];
            float a1 = ap[a + 1];
            float a2 = ap[a + 2];
            float b0 = bp[b];
            float b1 = bp[b + 1];
            float b2 = bp[b + 2];
            float b3 = bp[b + 3];
            c00 += a0 * b0;
            c01 += a0 * b1;
            c02 += a0 * b2;
            c03 += a0 * b3;
            c10 += a1 * b0;
            c11 += a1 * b1;
            c12 += a1 * b2;
            c13 += a1 * b3;
            c20 += a2 * b0;
            c21 += a2 * b1;
            c22 += a2 * b2;
            c23 += a2 * b3;
        }
        store(c, ci, add, c00, c01, c02, c03);
        store(c, ci + ldc, add, c10, c11, c12, c13);
        store(c, ci + 2 * ldc, add, c20, c21, c22, c23);
    }

    private static void store(float[] c, int ci, boolean add, float v0, float v1, float v2, float v3) {
        if (add) {
            v0 += c[ci];
            v1 += c[ci + 1];
            v2 += c[ci + 2];
            v3 += c[ci + 3];
        }
        c[ci] = v0;
        c[ci + 1] = v1;
        c[ci + 2] = v2;
        c[ci + 3] = v3;
    }
}
