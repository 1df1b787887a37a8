package dev.deneb.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Stratified k-fold on seeded random label sets: partition, stratification, balance and determinism. */
class StratifiedKFoldTest {
    static long[] labels(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 20 + r.nextInt(300);
        int classes = 1 + r.nextInt(5);
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            // Skewed classes: class c is about twice as likely as class c+1.
            int c = 0;
            while (c < classes - 1 && r.nextBoolean()) {
                c++;
            }
            y[i] = c * 3 + 7; // labels need not be 0..C-1
        }
        return y;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void foldsPartitionTheDataAndKeepClassProportions(long seed) {
        long[] y = labels(seed);
        int k = 2 + (int) (seed % 9);
        List<Fold> folds = Splits.stratifiedKFold(y, k, seed);
        assertEquals(k, folds.size());
        int[] seen = new int[y.length];
        int minSize = Integer.MAX_VALUE;
        int maxSize = 0;
        for (Fold f : folds) {
            assertEquals(y.length, f.train().length + f.test().length, "train and test of a fold hold everything");
            boolean[] inTest = new boolean[y.length];
            for (long i : f.test()) {
                seen[(int) i]++;
                inTest[(int) i] = true;
            }
            for (long i : f.train()) {
                assertFalse(inTest[(int) i], "index " + i + " in both train and test of fold " + f.index());
            }
            minSize = Math.min(minSize, f.test().length);
            maxSize = Math.max(maxSize, f.test().length);
            for (long c : java.util.Arrays.stream(y).distinct().toArray()) {
                long total = java.util.Arrays.stream(y).filter(v -> v == c).count();
                long inFold = java.util.Arrays.stream(f.test()).filter(i -> y[(int) i] == c).count();
                assertTrue(inFold == total / k || inFold == (total + k - 1) / k,
                        "class " + c + ": " + inFold + " of " + total + " in fold " + f.index() + " of " + k);
            }
        }
        for (int i = 0; i < y.length; i++) {
            assertEquals(1, seen[i], "index " + i + " is in exactly one test fold");
        }
        assertTrue(maxSize - minSize <= 1, "fold sizes " + minSize + ".." + maxSize);
        List<Fold> again = Splits.stratifiedKFold(y, k, seed);
        for (int f = 0; f < k; f++) {
            assertArrayEquals(folds.get(f).test(), again.get(f).test(), "same seed, same folds");
        }
    }

    @Test
    void differentSeedsShuffleAndBadKIsAnError() {
        long[] y = labels(3);
        assertFalse(java.util.Arrays.equals(Splits.stratifiedKFold(y, 5, 1).get(0).test(),
                Splits.stratifiedKFold(y, 5, 2).get(0).test()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Splits.stratifiedKFold(new long[] {0, 1, 0}, 4, 1));
        assertTrue(e.getMessage().contains("2..3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Splits.kFold(10, 1, 1));
    }

    @Test
    void aDatasetIsStratifiedByItsTargets() {
        long[] y = {0, 0, 0, 0, 1, 1, 0, 0, 1, 0};
        TensorDataset d = new TensorDataset(Tensor.zeros(10, 2), Tensor.of(y, 10));
        List<Fold> a = Splits.stratifiedKFold(d, 3, 4);
        List<Fold> b = Splits.stratifiedKFold(y, 3, 4);
        for (int f = 0; f < 3; f++) {
            assertArrayEquals(b.get(f).test(), a.get(f).test());
        }
    }
}
