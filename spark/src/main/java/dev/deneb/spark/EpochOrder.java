package dev.deneb.spark;

import java.util.SplittableRandom;

/**
 * The order in which a worker visits its rows in an epoch: a permutation drawn from (seed, epoch, rank), padded by
 * repeating its start up to {@code length} rows so every worker takes the same number of equal-sized steps (as
 * PyTorch's {@code DistributedSampler} pads). Same inputs, same order, on any machine.
 */
final class EpochOrder {
    private EpochOrder() {}

    static int[] of(long seed, int epoch, int rank, int rows, int length, boolean shuffle) {
        int[] perm = new int[rows];
        for (int i = 0; i < rows; i++) {
            perm[i] = i;
        }
        if (shuffle) {
            SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch * 1_000_003L + rank);
            for (int i = rows - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
        }
        int[] out = new int[length];
        for (int i = 0; i < length; i++) {
            out[i] = perm[i % rows];
        }
        return out;
    }
}
