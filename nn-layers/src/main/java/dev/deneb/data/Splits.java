package dev.deneb.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Deterministic train/validation/test splits as index arrays (use them with {@link TensorDataset#subset}). The
 * same labels, fractions and seed always give the same split.
 */
public final class Splits {
    private Splits() {}

    /**
     * Splits {@code 0 .. labels.length-1} into {@code fractions.length} disjoint parts that together hold every
     * index, each class divided in the given proportions (largest-remainder rounding, so each part's share of a
     * class is within one sample of exact). Fractions must be positive and sum to 1. Each part is sorted.
     */
    public static long[][] stratified(long[] labels, double[] fractions, long seed) {
        checkFractions(fractions);
        TreeMap<Long, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            byClass.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<List<Long>> parts = new ArrayList<>();
        for (int p = 0; p < fractions.length; p++) {
            parts.add(new ArrayList<>());
        }
        for (List<Integer> members : byClass.values()) {
            int[] idx = members.stream().mapToInt(Integer::intValue).toArray();
            shuffle(idx, random);
            int[] counts = apportion(idx.length, fractions);
            int at = 0;
            for (int p = 0; p < fractions.length; p++) {
                for (int k = 0; k < counts[p]; k++) {
                    parts.get(p).add((long) idx[at++]);
                }
            }
        }
        long[][] out = new long[fractions.length][];
        for (int p = 0; p < fractions.length; p++) {
            out[p] = parts.get(p).stream().mapToLong(Long::longValue).sorted().toArray();
        }
        return out;
    }

    /** A shuffled, unstratified split of {@code 0 .. n-1} in the given proportions. */
    public static long[][] random(int n, double[] fractions, long seed) {
        return stratified(new long[n], fractions, seed);
    }

    /** Part sizes that sum to n: floor of each share, then one more for the largest remainders (ties: first). */
    static int[] apportion(int n, double[] fractions) {
        int[] counts = new int[fractions.length];
        double[] remainder = new double[fractions.length];
        double total = Arrays.stream(fractions).sum();
        int used = 0;
        for (int p = 0; p < fractions.length; p++) {
            double exact = n * fractions[p] / total;
            counts[p] = (int) Math.floor(exact);
            remainder[p] = exact - counts[p];
            used += counts[p];
        }
        while (used < n) {
            int best = 0;
            for (int p = 1; p < fractions.length; p++) {
                if (remainder[p] > remainder[best]) {
                    best = p;
                }
            }
            counts[best]++;
            remainder[best] = -1;
            used++;
        }
        return counts;
    }

    private static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static void checkFractions(double[] fractions) {
        double sum = 0;
        for (double f : fractions) {
            if (!(f > 0)) {
                throw new IllegalArgumentException("Splits: fractions must be > 0, got " + Arrays.toString(fractions));
            }
            sum += f;
        }
        if (fractions.length == 0 || Math.abs(sum - 1) > 1e-6) {
            throw new IllegalArgumentException("Splits: fractions must sum to 1, got " + Arrays.toString(fractions)
                    + " (sum " + sum + ")");
        }
    }
}
