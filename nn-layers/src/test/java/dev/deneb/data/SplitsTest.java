package dev.deneb.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SplitsTest {
    /** Seeded random label sets: size, number of classes, imbalance, and fractions. */
    static Stream<Arguments> cases() {
        SplittableRandom r = new SplittableRandom(99);
        return Stream.concat(
                Stream.of(Arguments.of(5002, new long[] {4152, 850}, new double[] {0.7, 0.15, 0.15})),
                Stream.generate(() -> {
                    int classes = r.nextInt(1, 6);
                    long[] counts = new long[classes];
                    for (int c = 0; c < classes; c++) {
                        counts[c] = r.nextInt(0, 300);
                    }
                    double a = r.nextDouble(0.05, 0.9);
                    double b = r.nextDouble(0.01, 1 - a - 0.01);
                    return Arguments.of((int) LongStream.of(counts).sum(), counts, new double[] {a, b, 1 - a - b});
                }).limit(10));
    }

    @ParameterizedTest(name = "counts {1}, fractions {2}")
    @MethodSource("cases")
    void stratifiedSplitIsDisjointCompleteAndProportional(int n, long[] counts, double[] fractions) {
        long[] labels = labels(counts, 5);
        long[][] parts = Splits.stratified(labels, fractions, 17);
        assertEquals(fractions.length, parts.length);
        long[] all = Arrays.stream(parts).flatMapToLong(LongStream::of).sorted().toArray();
        assertArrayEquals(LongStream.range(0, n).toArray(), all, "parts must be disjoint and cover every index");
        for (int p = 0; p < parts.length; p++) {
            long[] part = parts[p];
            assertTrue(isSorted(part));
            for (int c = 0; c < counts.length; c++) {
                final int cls = c;
                long inPart = LongStream.of(part).filter(i -> labels[(int) i] == cls).count();
                assertEquals(counts[c] * fractions[p], inPart, 1.0, "class " + c + " in part " + p);
            }
        }
        assertTrue(Arrays.deepEquals(parts, Splits.stratified(labels, fractions, 17)), "same seed, same split");
    }

    @Test
    void differentSeedsGiveDifferentSplits() {
        long[] labels = labels(new long[] {100, 50}, 3);
        double[] f = {0.8, 0.2};
        assertFalse(Arrays.deepEquals(Splits.stratified(labels, f, 1), Splits.stratified(labels, f, 2)));
    }

    @Test
    void randomSplitSizes() {
        long[][] parts = Splits.random(10, new double[] {0.7, 0.2, 0.1}, 3);
        assertEquals(7, parts[0].length);
        assertEquals(2, parts[1].length);
        assertEquals(1, parts[2].length);
        assertArrayEquals(new int[] {2, 1}, Splits.apportion(3, new double[] {0.5, 0.5}));
        assertArrayEquals(new int[] {34, 33, 33}, Splits.apportion(100, new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}));
    }

    @Test
    void badFractionsAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> Splits.random(5, new double[] {0.5, 0.4}, 0));
        assertTrue(e.getMessage().contains("must sum to 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Splits.random(5, new double[] {1.2, -0.2}, 0));
        assertThrows(IllegalArgumentException.class, () -> Splits.random(5, new double[0], 0));
    }

    /** Labels with the given class counts, shuffled by a seeded generator. */
    private static long[] labels(long[] counts, long seed) {
        long[] labels = new long[(int) LongStream.of(counts).sum()];
        int at = 0;
        for (int c = 0; c < counts.length; c++) {
            for (int k = 0; k < counts[c]; k++) {
                labels[at++] = c;
            }
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = labels.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            long t = labels[i];
            labels[i] = labels[j];
            labels[j] = t;
        }
        return labels;
    }

    private static boolean isSorted(long[] a) {
        for (int i = 1; i < a.length; i++) {
            if (a[i - 1] >= a[i]) {
                return false;
            }
        }
        return true;
    }
}
