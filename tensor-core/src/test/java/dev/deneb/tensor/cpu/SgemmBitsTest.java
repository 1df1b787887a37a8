package dev.deneb.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Same operands, same bits: whatever the thread count, and whichever path (packed or direct) a block of C takes.
 * Shapes are drawn around the thresholds where the thread count changes the path: column splits that leave blocks
 * narrower than two vectors, leftover columns, depths past one KC slice.
 */
@ExtendWith(RestoresThreadCount.class)
class SgemmBitsTest {
    static IntStream seeds() {
        return IntStream.range(0, 40);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void threadCountDoesNotChangeTheBits(int seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int m = 1 + r.nextInt(seed % 2 == 0 ? 12 : 200);
        int n = 1 + r.nextInt(seed % 3 == 0 ? 70 : 400);
        int k = 1 + r.nextInt(seed % 4 == 0 ? 2600 : 300);
        boolean transposedB = r.nextBoolean();
        float[] a = random(r, m * k);
        float[] b = random(r, k * n);
        float[] c0 = random(r, m * n);
        boolean accumulate = r.nextBoolean();
        int bRs = transposedB ? 1 : n;
        int bCs = transposedB ? k : 1;
        float[] reference = null;
        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setThreads(threads);
            float[] c = c0.clone();
            Sgemm.gemm(m, n, k, a, 0, k, 1, b, 0, bRs, bCs, c, 0, n, accumulate);
            if (reference == null) {
                reference = c;
            } else {
                for (int i = 0; i < c.length; i++) {
                    assertEquals(Float.floatToRawIntBits(reference[i]), Float.floatToRawIntBits(c[i]),
                            "m=" + m + " n=" + n + " k=" + k + (transposedB ? " Bt" : "") + " threads=" + threads
                                    + " at " + i);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void directAndPackedPathsAgreeBitForBit(int seed) {
        if (SgemmSettings.BITS == 0) {
            return; // the direct path is vector-only
        }
        SplittableRandom r = new SplittableRandom(1000 + seed);
        int m = 1 + r.nextInt(40);
        int n = 1 + r.nextInt(100);
        int k = 1 + r.nextInt(seed % 3 == 0 ? 2600 : 200);
        float[] a = random(r, m * k);
        float[] b = random(r, k * n);
        float[] direct = random(r, m * n);
        float[] packed = direct.clone();
        boolean accumulate = r.nextBoolean();
        SgemmDirect.gemm(m, n, k, a, 0, k, 1, b, 0, n, 1, direct, 0, n, accumulate);
        SgemmBlocked.gemm(m, n, k, a, 0, k, 1, b, 0, n, 1, packed, 0, n, accumulate);
        for (int i = 0; i < direct.length; i++) {
            assertEquals(Float.floatToRawIntBits(packed[i]), Float.floatToRawIntBits(direct[i]),
                    "m=" + m + " n=" + n + " k=" + k + " at " + i);
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void narrowAndPackedPathsAgreeBitForBit(int seed) {
        if (SgemmSettings.BITS == 0) {
            return; // the narrow path is vector-only
        }
        SplittableRandom r = new SplittableRandom(3000 + seed);
        int m = 1 + r.nextInt(300);
        int n = 1 + r.nextInt(SgemmMicroKernel.S.length());
        int k = 1 + r.nextInt(seed % 3 == 0 ? 2600 : 400);
        boolean transposedA = r.nextBoolean();
        float[] a = random(r, m * k);
        float[] b = random(r, k * n);
        float[] narrow = random(r, m * n);
        float[] packed = narrow.clone();
        boolean accumulate = r.nextBoolean();
        int aRs = transposedA ? 1 : k;
        int aCs = transposedA ? m : 1;
        SgemmNarrow.gemm(m, n, k, a, 0, aRs, aCs, b, 0, n, 1, narrow, 0, n, accumulate);
        SgemmBlocked.gemm(m, n, k, a, 0, aRs, aCs, b, 0, n, 1, packed, 0, n, accumulate);
        for (int i = 0; i < narrow.length; i++) {
            assertEquals(Float.floatToRawIntBits(packed[i]), Float.floatToRawIntBits(narrow[i]),
                    "m=" + m + " n=" + n + " k=" + k + (transposedA ? " At" : "") + " at " + i);
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void packedAndInPlaceRowsOfAAgreeBitForBit(int seed) {
        // Row-major A is packed for wide blocks of C and read in place for narrow ones: computing C whole and in
        // column strips narrower than the packing threshold must give the same bits.
        SplittableRandom r = new SplittableRandom(4000 + seed);
        int m = 1 + r.nextInt(seed % 2 == 0 ? 20 : 200);
        int strip = 1 + r.nextInt(300);
        int n = strip + 1024 + r.nextInt(200);
        int k = 1 + r.nextInt(seed % 4 == 0 ? 2600 : 200);
        float[] a = random(r, m * k);
        float[] b = random(r, k * n);
        float[] whole = random(r, m * n);
        float[] strips = whole.clone();
        boolean accumulate = r.nextBoolean();
        SgemmBlocked.gemm(m, n, k, a, 0, k, 1, b, 0, n, 1, whole, 0, n, accumulate);
        for (int j = 0; j < n; j += strip) {
            int w = Math.min(strip, n - j);
            SgemmBlocked.gemm(m, w, k, a, 0, k, 1, b, j, n, 1, strips, j, n, accumulate);
        }
        for (int i = 0; i < whole.length; i++) {
            assertEquals(Float.floatToRawIntBits(whole[i]), Float.floatToRawIntBits(strips[i]),
                    "m=" + m + " n=" + n + " strip=" + strip + " k=" + k + " at " + i);
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void fewRowsAgainstATransposedWeightAreDotProducts(int seed) {
        // The batch-1 linear layer: x [m, k] times Wᵀ, W [n, k] row-major. Checked against double sums.
        SplittableRandom r = new SplittableRandom(2000 + seed);
        int m = 1 + r.nextInt(SgemmDot.MAX_ROWS);
        int n = 1 + r.nextInt(150);
        int k = 1 + r.nextInt(seed % 2 == 0 ? 2000 : 70);
        float[] x = random(r, m * k);
        float[] w = random(r, n * k);
        float[] c = random(r, m * n);
        float[] before = c.clone();
        boolean accumulate = r.nextBoolean();
        Sgemm.gemm(m, n, k, x, 0, k, 1, w, 0, 1, k, c, 0, n, accumulate);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = accumulate ? before[i * n + j] : 0;
                for (int p = 0; p < k; p++) {
                    s += (double) x[i * k + p] * w[j * k + p];
                }
                assertEquals(s, c[i * n + j], 1e-5 * (k + 1), "m=" + m + " n=" + n + " k=" + k + " (" + i + "," + j
                        + ")");
            }
        }
    }

    private static float[] random(SplittableRandom r, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }
}
