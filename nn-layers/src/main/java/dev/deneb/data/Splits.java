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

    /**
     * Stratified k-fold cross-validation over {@code 0 .. labels.length-1}: {@code k} folds whose test parts are
     * disjoint and together hold every index. Each class is shuffled (seeded) and dealt to the folds in turn,
     * continuing where the previous class stopped, so every fold holds {@code floor} or {@code ceil} of
     * {@code n_c / k} of each class c and the fold sizes differ by at most one. The same labels, k and seed give the
     * same folds. A class with fewer than k members is simply absent from some test parts.
     */
    public static List<Fold> stratifiedKFold(long[] labels, int k, long seed) {
        if (k < 2 || k > labels.length) {
            throw new IllegalArgumentException("Splits.stratifiedKFold: k must lie in 2.." + labels.length
                    + " (the number of samples), got " + k);
        }
        TreeMap<Long, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            byClass.computeIfAbsent(labels[i], c -> new ArrayList<>()).add(i);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] foldOf = new int[labels.length];
        int next = 0;
        for (List<Integer> members : byClass.values()) {
            int[] idx = members.stream().mapToInt(Integer::intValue).toArray();
            shuffle(idx, random);
            for (int i : idx) {
                foldOf[i] = next;
                next = (next + 1) % k;
            }
        }
        List<Fold> folds = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            final int fold = f;
            long[] test = java.util.stream.IntStream.range(0, labels.length).filter(i -> foldOf[i] == fold)
                    .asLongStream().toArray();
            long[] train = java.util.stream.IntStream.range(0, labels.length).filter(i -> foldOf[i] != fold)
                    .asLongStream().toArray();
            folds.add(new Fold(f, train, test));
        }
        return folds;
    }

    /** Stratified k-fold over a dataset, stratified by each sample's (scalar) target. */
    public static List<Fold> stratifiedKFold(Dataset data, int k, long seed) {
        long[] labels = new long[data.size()];
        for (int i = 0; i < labels.length; i++) {
            dev.deneb.tensor.Tensor t = data.get(i).get(Sample.TARGET);
            if (t.numel() != 1) {
                throw new IllegalArgumentException("Splits.stratifiedKFold: sample " + i + " has a target of shape "
                        + Arrays.toString(t.shape()) + "; stratifying needs one class label per sample");
            }
            labels[i] = (long) t.item();
        }
        return stratifiedKFold(labels, k, seed);
    }

    /** Plain (unstratified) shuffled k-fold over {@code 0 .. n-1}. */
    public static List<Fold> kFold(int n, int k, long seed) {
        return stratifiedKFold(new long[n], k, seed);
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
