package dev.deneb.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.PoolOptions;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.ExtendWith;

/** Pooling: hand-checked reference cases (PyTorch's semantics), backward properties, and fast against reference. */
@ExtendWith(RestoresThreadCount.class)
class PoolTest {
    private static final double NAN = Double.NaN;
    private static final double NEG_INF = Double.NEGATIVE_INFINITY;

    private static double[] iota(int n, double start) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = start + i;
        }
        return v;
    }

    private static PoolOptions pool(int k, int stride, int pad, boolean ceil, boolean countIncludePad) {
        return new PoolOptions(k, k, stride, stride, pad, pad, 1, 1, ceil, countIncludePad);
    }

    // ---- reference, by hand ------------------------------------------------------------------------------------

    @Test
    void maxPoolTwoByTwo() {
        long[] idx = new long[4];
        double[] y = PoolReference.maxPool2d(iota(16, 0), new int[] {1, 1, 4, 4}, PoolOptions.of(2), idx);
        assertArrayEquals(new double[] {5, 7, 13, 15}, y);
        assertArrayEquals(new long[] {5, 7, 13, 15}, idx);
    }

    @Test
    void ceilModeKeepsThePartialWindow() {
        int[] xs = {1, 1, 3, 3};
        double[] x = iota(9, 1); // [[1,2,3],[4,5,6],[7,8,9]]
        long[] idx = new long[4];
        assertArrayEquals(new double[] {5, 6, 8, 9}, PoolReference.maxPool2d(x, xs, pool(2, 2, 0, true, true), idx));
        assertArrayEquals(new long[] {4, 5, 7, 8}, idx);
        // The clipped windows divide by what is left of them: 4, 2, 2, 1 (as torch's avg_pool2d, ceil_mode=True).
        assertArrayEquals(new double[] {3, 4.5, 7.5, 9}, PoolReference.avgPool2d(x, xs, pool(2, 2, 0, true, true)));
        assertEquals(1, PoolReference.avgPool2d(x, xs, pool(2, 2, 0, false, true)).length);
    }

    @Test
    void paddingIsMinusInfinityForMax() {
        double[] x = iota(9, -9); // all negative: a zero pad would win
        long[] idx = new long[9];
        double[] y = PoolReference.maxPool2d(x, new int[] {1, 1, 3, 3}, pool(3, 1, 1, false, true), idx);
        assertArrayEquals(new double[] {-5, -4, -4, -2, -1, -1, -2, -1, -1}, y);
        assertArrayEquals(new long[] {4, 5, 5, 7, 8, 8, 7, 8, 8}, idx);
    }

    @Test
    void countIncludePad() {
        double[] x = iota(9, 1);
        int[] xs = {1, 1, 3, 3};
        double[] with = PoolReference.avgPool2d(x, xs, pool(3, 1, 1, false, true));
        double[] without = PoolReference.avgPool2d(x, xs, pool(3, 1, 1, false, false));
        assertEquals(12.0 / 9, with[0], 1e-15);   // corner: 1+2+4+5 over the full 3×3 window
        assertEquals(3.0, without[0], 1e-15);     // ... over the 4 elements inside
        assertEquals(21.0 / 9, with[1], 1e-15);   // edge: 1+2+3+4+5+6
        assertEquals(3.5, without[1], 1e-15);
        assertEquals(5.0, with[4], 1e-15);
        assertEquals(5.0, without[4], 1e-15);
    }

    @Test
    void ceilModeWithPaddingClipsAtThePaddedEdge() {
        double[] x = iota(16, 0); // x[i][j] = 4i + j
        int[] xs = {1, 1, 4, 4};
        // Windows start at -1, 1, 3; the last spans rows 3..5 but the padded input ends at row 4.
        double[] with = PoolReference.avgPool2d(x, xs, pool(3, 2, 1, true, true));
        double[] without = PoolReference.avgPool2d(x, xs, pool(3, 2, 1, true, false));
        assertEquals(9, with.length);
        assertEquals(10.0 / 9, with[0], 1e-15);
        assertEquals(2.5, without[0], 1e-15);
        assertEquals(15.0 / 4, with[8], 1e-15);
        assertEquals(15.0, without[8], 1e-15);
        long[] idx = new long[9];
        double[] max = PoolReference.maxPool2d(x, xs, pool(3, 2, 1, true, true), idx);
        assertEquals(15, max[8]);
        assertEquals(15, idx[8]);
    }

    @Test
    void tiesPickTheFirstInScanOrder() {
        long[] idx = new long[1];
        PoolReference.maxPool2d(new double[] {2, 2, 2, 2}, new int[] {1, 1, 2, 2}, PoolOptions.of(2), idx);
        assertEquals(0, idx[0]);
        PoolReference.maxPool2d(new double[] {1, 3, 3, 0}, new int[] {1, 1, 2, 2}, PoolOptions.of(2), idx);
        assertEquals(1, idx[0]);
    }

    @Test
    void nanWins() {
        long[] idx = new long[1];
        double[] y = PoolReference.maxPool2d(new double[] {1, NAN, NAN, 5}, new int[] {1, 1, 2, 2},
                PoolOptions.of(2), idx);
        assertTrue(Double.isNaN(y[0]));
        assertEquals(1, idx[0]);
        y = PoolReference.maxPool2d(new double[] {NAN, 5, 1, 2}, new int[] {1, 1, 2, 2}, PoolOptions.of(2), idx);
        assertTrue(Double.isNaN(y[0]));
        assertEquals(0, idx[0]);
    }

    @Test
    void minusInfinityInputStillGetsAnIndex() {
        long[] idx = new long[4];
        double[] y = PoolReference.maxPool2d(new double[] {NEG_INF, NEG_INF, NEG_INF, NEG_INF},
                new int[] {1, 1, 2, 2}, pool(2, 2, 1, false, true), idx);
        assertArrayEquals(new double[] {NEG_INF, NEG_INF, NEG_INF, NEG_INF}, y);
        assertArrayEquals(new long[] {0, 1, 2, 3}, idx); // the one in-bounds element of each window
    }

    @Test
    void windowEntirelyInPadding() {
        // Dilation 5 with padding 1 on width 4: the only window reads columns -1 and 4.
        PoolOptions o = new PoolOptions(1, 2, 1, 1, 0, 1, 1, 5, false, false);
        int[] xs = {1, 1, 1, 4};
        long[] idx = new long[1];
        assertArrayEquals(new double[] {NEG_INF}, PoolReference.maxPool2d(iota(4, 0), xs, o, idx));
        assertEquals(-1, idx[0]);
        assertArrayEquals(new double[4], PoolReference.maxPool2dBackward(new double[] {1}, idx, new int[] {1, 1, 1, 1},
                xs));
        assertArrayEquals(new double[] {0}, PoolReference.avgPool2d(iota(4, 0), xs, o));
        float[] fy = PoolFast.maxPool2d(new float[] {0, 1, 2, 3}, 0, xs, o, idx);
        assertEquals(Float.NEGATIVE_INFINITY, fy[0]);
        assertEquals(-1, idx[0]);
        assertArrayEquals(new float[] {0}, PoolFast.avgPool2d(new float[] {0, 1, 2, 3}, 0, xs, o));
    }

    // ---- backward ----------------------------------------------------------------------------------------------

    @Test
    void maxBackwardRoutesToTheArgmax() {
        double[] x = {1, 2, 3, 4, 9, 5, 6, 7, 8};
        int[] xs = {1, 1, 3, 3};
        long[] idx = new long[4];
        PoolReference.maxPool2d(x, xs, pool(2, 1, 0, false, true), idx);
        assertArrayEquals(new long[] {4, 4, 4, 4}, idx); // every window holds the centre
        double[] gx = PoolReference.maxPool2dBackward(new double[] {1, 2, 3, 4}, idx, new int[] {1, 1, 2, 2}, xs);
        assertArrayEquals(new double[] {0, 0, 0, 0, 10, 0, 0, 0, 0}, gx);
    }

    /** Central differences of {@code <maxPool(x), gy>} away from ties equal the routed gradient. */
    @ParameterizedTest
    @MethodSource("referenceCases")
    void maxBackwardMatchesFiniteDifferences(int[] xs, PoolOptions o) {
        Random r = new Random(Arrays.hashCode(xs) + o.hashCode());
        double[] x = new double[ConvReferenceTest.size(xs)];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + r.nextDouble() * 0.5; // distinct, at least 0.5 apart: a step of 1e-3 cannot reorder them
        }
        shuffle(x, r);
        int[] ys = outShape(xs, o);
        double[] gy = ConvReferenceTest.random(r, ConvReferenceTest.size(ys));
        long[] idx = new long[gy.length];
        PoolReference.maxPool2d(x, xs, o, idx);
        double[] gx = PoolReference.maxPool2dBackward(gy, idx, ys, xs);
        double h = 1e-3;
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + h;
            double plus = finiteDot(PoolReference.maxPool2d(x, xs, o, idx), gy);
            x[i] = keep - h;
            double minus = finiteDot(PoolReference.maxPool2d(x, xs, o, idx), gy);
            x[i] = keep;
            assertEquals((plus - minus) / (2 * h), gx[i], 1e-9);
        }
    }

    /** {@code <avgPool(x), gy> = <x, avgPoolBackward(gy)>}: average pooling is linear. */
    @ParameterizedTest
    @MethodSource("referenceCases")
    void avgAdjointIdentity(int[] xs, PoolOptions o) {
        Random r = new Random(Arrays.hashCode(xs) - o.hashCode());
        double[] x = ConvReferenceTest.random(r, ConvReferenceTest.size(xs));
        int[] ys = outShape(xs, o);
        double[] gy = ConvReferenceTest.random(r, ConvReferenceTest.size(ys));
        double lhs = ConvReferenceTest.dot(PoolReference.avgPool2d(x, xs, o), gy);
        double rhs = ConvReferenceTest.dot(x, PoolReference.avgPool2dBackward(gy, ys, xs, o));
        assertEquals(lhs, rhs, 1e-12 * (1 + Math.abs(lhs)));
    }

    // ---- fast against reference --------------------------------------------------------------------------------

    static Stream<Arguments> referenceCases() {
        Random r = new Random(99);
        return IntStream.range(0, 20).mapToObj(i -> randomCase(r));
    }

    static Stream<Arguments> fastCases() {
        Random r = new Random(1234);
        Stream<Arguments> random = IntStream.range(0, 14).mapToObj(i -> randomCase(r));
        // Big enough to cross the threading threshold: MNIST's 2×2 pooling after the first conv.
        Stream<Arguments> big = Stream.of(Arguments.of(new int[] {8, 32, 26, 26}, PoolOptions.of(2)),
                Arguments.of(new int[] {4, 16, 15, 17}, pool(3, 2, 1, true, false)));
        return Stream.concat(random, big).flatMap(a -> Stream.of(
                Arguments.of(a.get()[0], a.get()[1], 1), Arguments.of(a.get()[0], a.get()[1], 2)));
    }

    /** Values on a coarse grid (many ties), with a few NaN and -inf, after a non-zero offset. */
    @ParameterizedTest(name = "{0} {1} threads={2}")
    @MethodSource("fastCases")
    void fastMatchesReference(int[] xs, PoolOptions o, int threads) {
        Parallel.setThreads(threads);
        Random r = new Random(Arrays.hashCode(xs) * 31 + o.hashCode());
        int n = ConvReferenceTest.size(xs);
        int[] ys = outShape(xs, o);
        int m = ConvReferenceTest.size(ys);
        float[] x = new float[n + 3];
        double[] xd = new double[n];
        for (int i = 0; i < n; i++) {
            int pick = r.nextInt(40);
            x[i + 3] = pick == 0 ? Float.NaN : pick == 1 ? Float.NEGATIVE_INFINITY : r.nextInt(5) - 2;
            xd[i] = x[i + 3];
        }
        float[] gy = new float[m + 2];
        double[] gyd = new double[m];
        for (int i = 0; i < m; i++) {
            gy[i + 2] = r.nextFloat() * 2 - 1;
            gyd[i] = gy[i + 2];
        }

        long[] idxRef = new long[m];
        double[] maxRef = PoolReference.maxPool2d(xd, xs, o, idxRef);
        long[] idx = new long[m + 1];
        float[] max = PoolFast.maxPool2d(x, 3, xs, o, idx);
        long[] idxFast = Arrays.copyOf(idx, m);
        assertArrayEquals(idxRef, idxFast, "max indices");
        for (int i = 0; i < m; i++) {
            assertEquals(maxRef[i], max[i], 0.0, "max value " + i); // assertEquals treats NaN as equal to NaN
        }
        // The fast backward takes indices at an offset too.
        long[] shifted = new long[m + 1];
        System.arraycopy(idxFast, 0, shifted, 1, m);
        assertClose(PoolReference.maxPool2dBackward(gyd, idxRef, ys, xs),
                PoolFast.maxPool2dBackward(gy, 2, shifted, 1, ys, xs), "max backward");

        Arrays.fill(x, 0, 3, 7f); // avg: finite values only
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(x[i + 3])) {
                x[i + 3] = 0.5f;
                xd[i] = 0.5;
            }
        }
        assertClose(PoolReference.avgPool2d(xd, xs, o), PoolFast.avgPool2d(x, 3, xs, o), "avg");
        assertClose(PoolReference.avgPool2dBackward(gyd, ys, xs, o), PoolFast.avgPool2dBackward(gy, 2, ys, xs, o),
                "avg backward");
    }

    private static Arguments randomCase(Random r) {
        int kh = 1 + r.nextInt(4);
        int kw = 1 + r.nextInt(4);
        PoolOptions o = new PoolOptions(kh, kw, 1 + r.nextInt(3), 1 + r.nextInt(3), r.nextInt(kh / 2 + 1),
                r.nextInt(kw / 2 + 1), 1 + r.nextInt(2), 1 + r.nextInt(2), r.nextBoolean(), r.nextBoolean());
        int h = Math.max(1, o.dilationH() * (kh - 1) + 1 - 2 * o.padH()) + r.nextInt(6);
        int w = Math.max(1, o.dilationW() * (kw - 1) + 1 - 2 * o.padW()) + r.nextInt(6);
        return Arguments.of(new int[] {1 + r.nextInt(2), 1 + r.nextInt(3), h, w}, o);
    }

    private static int[] outShape(int[] xs, PoolOptions o) {
        return new int[] {xs[0], xs[1],
                PoolOptions.outSize(xs[2], o.kernelH(), o.strideH(), o.padH(), o.dilationH(), o.ceilMode()),
                PoolOptions.outSize(xs[3], o.kernelW(), o.strideW(), o.padW(), o.dilationW(), o.ceilMode())};
    }

    /** A dot product that skips the -inf of windows lying wholly in the padding (they have no gradient). */
    private static double finiteDot(double[] y, double[] gy) {
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            if (Double.isFinite(y[i])) {
                s += y[i] * gy[i];
            }
        }
        return s;
    }

    private static void shuffle(double[] v, Random r) {
        for (int i = v.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            double t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * (1 + Math.abs(expected[i])), what + " at " + i);
        }
    }
}
