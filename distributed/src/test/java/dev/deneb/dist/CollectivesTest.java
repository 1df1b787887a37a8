package dev.deneb.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every collective, for both implementations, 1–4 ranks and lengths 0, 1, odd, shorter than the rank count and
 * larger than a chunk, against a scalar reference that adds in {@link RingOrder}'s order: the results must be the
 * same bits on every rank.
 */
class CollectivesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Ranks.Kind kind : Ranks.Kind.values()) {
            for (int size = 1; size <= 4; size++) {
                for (int length : new int[] {0, 1, 3, 7, 1001, 25_013}) {
                    out.add(Arguments.of(kind, size, length));
                }
            }
        }
        return out.stream();
    }

    /** Rank {@code r}'s input: seeded, with mixed magnitudes so the adding order shows in the bits. */
    static float[] input(int rank, int length) {
        SplittableRandom g = new SplittableRandom(1234L * (rank + 1) + length);
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (g.nextGaussian() * Math.pow(10, g.nextInt(-3, 4)));
        }
        return x;
    }

    /** The ring's sum, written independently: segment k adds ranks k, k+1, …, k-1 from the left. */
    static float[] reference(int size, int length) {
        float[][] x = new float[size][];
        for (int r = 0; r < size; r++) {
            x[r] = input(r, length);
        }
        float[] out = new float[length];
        for (int i = 0; i < length; i++) {
            int k = 0;
            while ((long) (k + 1) * length / size <= i) {
                k++;
            }
            float sum = x[k][i];
            for (int j = 1; j < size; j++) {
                sum += x[(k + j) % size][i];
            }
            out[i] = sum;
        }
        return out;
    }

    @ParameterizedTest(name = "{0} ranks={1} length={2}")
    @MethodSource("cases")
    void allReduceSumsInRingOrder(Ranks.Kind kind, int size, int length) {
        float[] expected = reference(size, length);
        List<float[]> got = Ranks.run(kind, size, TIMEOUT, c -> {
            float[] x = input(c.rank(), length);
            c.allReduce(x);
            return x;
        });
        for (int r = 0; r < size; r++) {
            assertArrayEquals(expected, got.get(r), kind + ": rank " + r + " of " + size);
        }
    }

    @ParameterizedTest(name = "{0} ranks={1} length={2}")
    @MethodSource("cases")
    void allReduceOfARangeLeavesTheRestAlone(Ranks.Kind kind, int size, int length) {
        List<float[]> got = Ranks.run(kind, size, TIMEOUT, c -> {
            float[] x = new float[length + 5];
            java.util.Arrays.fill(x, c.rank() + 1);
            c.allReduce(x, 2, length);
            return x;
        });
        float total = size * (size + 1) / 2f;
        for (int r = 0; r < size; r++) {
            float[] x = got.get(r);
            assertEquals(r + 1, x[0]);
            assertEquals(r + 1, x[1]);
            for (int i = 2; i < 2 + length; i++) {
                assertEquals(total, x[i], "element " + i);
            }
            for (int i = 2 + length; i < x.length; i++) {
                assertEquals(r + 1, x[i]);
            }
        }
    }

    @ParameterizedTest(name = "{0} ranks={1} length={2}")
    @MethodSource("cases")
    void broadcastCopiesTheRootsValues(Ranks.Kind kind, int size, int length) {
        for (int root = 0; root < size; root++) {
            int from = root;
            List<float[]> got = Ranks.run(kind, size, TIMEOUT, c -> {
                float[] x = input(c.rank(), length);
                c.broadcast(x, from);
                return x;
            });
            for (int r = 0; r < size; r++) {
                assertArrayEquals(input(from, length), got.get(r), kind + ": root " + from + ", rank " + r);
            }
        }
    }

    @ParameterizedTest(name = "{0} ranks={1} length={2}")
    @MethodSource("cases")
    void manyCollectivesInARowStayInStep(Ranks.Kind kind, int size, int length) {
        if (length > 1001) {
            return;
        }
        List<float[]> got = Ranks.run(kind, size, TIMEOUT, c -> {
            float[] x = new float[length];
            for (int step = 0; step < 20; step++) {
                float[] one = new float[length];
                java.util.Arrays.fill(one, 1);
                c.allReduce(one);
                c.barrier();
                for (int i = 0; i < length; i++) {
                    x[i] += one[i];
                }
                c.broadcast(x, step % size);
            }
            return x;
        });
        for (float[] x : got) {
            for (float v : x) {
                assertEquals(20f * size, v);
            }
        }
    }
}
