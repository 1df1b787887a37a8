package dev.deneb.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The in-register transpose is a copy: every float lands where the element-by-element loop puts it, for any depth,
 * width, column stride, offset and destination stride (whole blocks, leftover depths and leftover columns), and
 * nothing outside the destination block is written. Packing through it changes no bits of a product.
 */
class SgemmTransposeTest {
    static IntStream seeds() {
        return IntStream.range(0, 60);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void copiesColumnsToRowsExactly(int seed) {
        if (SgemmSettings.BITS == 0) {
            return; // vector-only, as the packing that uses it
        }
        SplittableRandom r = new SplittableRandom(seed);
        int depth = 1 + r.nextInt(seed % 3 == 0 ? 200 : 40);
        int width = 1 + r.nextInt(seed % 2 == 0 ? 80 : 20);
        int cs = depth + r.nextInt(5);
        int off = r.nextInt(7);
        int ldd = width + r.nextInt(4);
        int dOff = r.nextInt(5);
        float[] src = new float[off + (width - 1) * cs + depth + r.nextInt(3)];
        for (int i = 0; i < src.length; i++) {
            src[i] = (float) r.nextGaussian();
        }
        float[] dst = new float[dOff + (depth - 1) * ldd + width + 3];
        java.util.Arrays.fill(dst, Float.NaN);
        SgemmTranspose.columnsToRows(depth, width, src, off, cs, dst, dOff, ldd);
        for (int i = 0; i < dst.length; i++) {
            int rel = i - dOff;
            int p = Math.floorDiv(rel, ldd);
            int x = Math.floorMod(rel, ldd);
            boolean inside = rel >= 0 && p < depth && x < width;
            float want = inside ? src[off + x * cs + p] : Float.NaN;
            assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(dst[i]),
                    "depth=" + depth + " width=" + width + " cs=" + cs + " at " + i);
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void transposedWeightGivesTheBitsOfItsRowMajorCopy(int seed) {
        // x·Wᵀ with W [n, k] read in place (packed through the transpose) against W copied to Wᵀ row-major.
        SplittableRandom r = new SplittableRandom(500 + seed);
        int m = 1 + r.nextInt(90);
        int n = 1 + r.nextInt(200);
        int k = 1 + r.nextInt(seed % 4 == 0 ? 1100 : 200);
        float[] x = random(r, m * k);
        float[] w = random(r, n * k);
        float[] wt = new float[k * n];
        for (int j = 0; j < n; j++) {
            for (int p = 0; p < k; p++) {
                wt[p * n + j] = w[j * k + p];
            }
        }
        float[] c1 = random(r, m * n);
        float[] c2 = c1.clone();
        boolean accumulate = r.nextBoolean();
        if (m <= SgemmDot.MAX_ROWS) {
            return; // the dot-product path reads Wᵀ in place and sums differently; SgemmBitsTest covers it
        }
        Sgemm.gemm(m, n, k, x, 0, k, 1, w, 0, 1, k, c1, 0, n, accumulate);
        Sgemm.gemm(m, n, k, x, 0, k, 1, wt, 0, n, 1, c2, 0, n, accumulate);
        for (int i = 0; i < c1.length; i++) {
            assertEquals(Float.floatToRawIntBits(c2[i]), Float.floatToRawIntBits(c1[i]),
                    "m=" + m + " n=" + n + " k=" + k + " at " + i);
        }
    }

    private static float[] random(SplittableRandom r, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }
}
