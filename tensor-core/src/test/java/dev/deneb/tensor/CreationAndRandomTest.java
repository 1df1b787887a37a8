package dev.deneb.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.cpu.Parallel;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Creation functions and the seeded random generator. */
class CreationAndRandomTest {

    // ---- creation ----

    @Test
    void zerosOnesFullAndLikes() {
        Tensor z = Tensor.zeros(2, 3);
        assertEquals(DType.F32, z.dtype());
        assertArrayEquals(new int[] {2, 3}, z.shape());
        assertArrayEquals(new float[6], z.toFloatArray());
        assertArrayEquals(new long[] {1, 1}, Tensor.ones(DType.I64, 2).toLongArray());
        assertArrayEquals(new boolean[] {true, true}, Tensor.ones(DType.BOOL, 2).toBooleanArray());
        assertArrayEquals(new double[] {-2.5, -2.5, -2.5}, Tensor.full(-2.5, DType.F64, 3).toDoubleArray());
        assertTrue(Float.isNaN(Tensor.full(Double.NaN, 1).toFloatArray()[0]));
        assertEquals(Double.NEGATIVE_INFINITY, Tensor.full(Double.NEGATIVE_INFINITY, 1).item());
        Tensor s = Tensor.scalar(4, DType.I32);
        assertEquals(0, s.dim());
        assertEquals(1, s.numel());
        assertEquals(4, s.item());
        assertArrayEquals(new int[] {0, 5}, Tensor.zeros(0, 5).shape());
        assertEquals(0, Tensor.zeros(0, 5).numel());
        Tensor like = Tensor.fullLike(Tensor.zeros(DType.I32, 2, 2), 7);
        assertEquals(DType.I32, like.dtype());
        assertArrayEquals(new int[] {7, 7, 7, 7}, like.toIntArray());
        assertArrayEquals(new float[] {1, 1}, Tensor.onesLike(Tensor.zeros(2)).toFloatArray());
    }

    @Test
    void arangeEdgeCases() {
        assertEquals(DType.I64, Tensor.arange(5).dtype());
        assertArrayEquals(new long[] {0, 1, 2, 3, 4}, Tensor.arange(5).toLongArray());
        assertArrayEquals(new int[] {0}, Tensor.arange(0).shape());
        assertArrayEquals(new long[] {}, Tensor.arange(-3).toLongArray(), "negative end: empty, as NumPy");
        assertArrayEquals(new long[] {5, 3, 1}, Tensor.arange(5, 0, -2).toLongArray());
        assertArrayEquals(new long[] {-2, 1, 4}, Tensor.arange(-2, 7, 3).toLongArray());
        assertArrayEquals(new long[] {}, Tensor.arange(0, 5, -1).toLongArray(), "wrong direction: empty");
        // Floats: NumPy's length ceil((end - start) / step).
        assertEquals(10, Tensor.arange(0.0, 1.0, 0.1).numel());
        // (1.3 - 1.0) / 0.1 = 3.0000000000000004 in doubles, so NumPy gives 4 elements here too.
        assertEquals(4, Tensor.arange(1.0, 1.3, 0.1).numel());
        assertEquals(3, Tensor.arange(1.0, 1.25, 0.1).numel());
        assertEquals(DType.F32, Tensor.arange(0.0, 1.0, 0.5).dtype());
        assertArrayEquals(new float[] {0, 0.5f}, Tensor.arange(0.0, 1.0, 0.5).toFloatArray());
        assertArrayEquals(new float[] {1, 0.75f, 0.5f, 0.25f}, Tensor.arange(1.0, 0.0, -0.25).toFloatArray());
        float[] a = Tensor.arange(0.0, 1.0, 0.1).toFloatArray();
        for (int i = 0; i < a.length; i++) {
            assertEquals((float) (i * 0.1), a[i], "element " + i + " is start + i*step, not accumulated");
        }
    }

    @Test
    void linspaceEdgeCases() {
        assertArrayEquals(new float[] {0, 0.25f, 0.5f, 0.75f, 1}, Tensor.linspace(0, 1, 5).toFloatArray());
        assertArrayEquals(new float[] {}, Tensor.linspace(0, 1, 0).toFloatArray());
        assertArrayEquals(new float[] {3, 2, 1}, Tensor.linspace(3, 1, 3).toFloatArray());
        float[] v = Tensor.linspace(0, 0.3, 7).toFloatArray();
        assertEquals(0.3f, v[6], "the last value is exactly end");
        assertEquals(0f, v[0], "the first value is exactly start");
        for (int i = 1; i < v.length; i++) {
            assertTrue(v[i] > v[i - 1], "increasing");
        }
    }

    @Test
    void linspaceWithOneStepIsStart() {
        // NumPy and PyTorch: linspace(0, 1, 1) == [0.].
        assertArrayEquals(new float[] {0}, Tensor.linspace(0, 1, 1).toFloatArray());
    }

    @Test
    void eye() {
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, Tensor.eye(3).toFloatArray());
        Tensor r = Tensor.eye(2, 3, DType.I64);
        assertEquals(DType.I64, r.dtype());
        assertArrayEquals(new int[] {2, 3}, r.shape());
        assertArrayEquals(new long[] {1, 0, 0, 0, 1, 0}, r.toLongArray());
        assertArrayEquals(new long[] {1, 0, 0, 1, 0, 0}, Tensor.eye(3, 2, DType.I64).toLongArray());
        assertArrayEquals(new int[] {0, 0}, Tensor.eye(0).shape());
    }

    @Test
    void ofWithShapesAndInference() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, -1);
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertEquals(6.0, a.get(1, 2));
        assertArrayEquals(new int[] {6}, Tensor.of(new float[6]).shape());
        assertArrayEquals(new int[] {}, Tensor.of(new double[] {5}, new int[0]).reshape().shape());
        assertEquals(DType.I32, Tensor.of(new int[] {1}).dtype());
        assertEquals(DType.I64, Tensor.of(new long[] {1}).dtype());
        assertEquals(DType.BOOL, Tensor.of(new boolean[] {true}).dtype());
        assertEquals(DType.F64, Tensor.of(new double[] {1}).dtype());
        Tensor m = Tensor.of(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        assertArrayEquals(new int[] {3, 2}, m.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, m.toFloatArray());
        assertArrayEquals(new int[] {0, 4}, Tensor.of(new float[0], 0, 4).shape());
        assertArrayEquals(new int[] {0, 4}, Tensor.of(new float[0], -1, 4).shape());
        // of() copies: later writes to the array do not show.
        float[] src = {1, 2};
        Tensor c = Tensor.of(src);
        src[0] = 9;
        assertEquals(1.0, c.get(0));
        long big = (1L << 53) + 1;
        assertEquals(big, Tensor.of(new long[] {big}).toLongArray()[0], "i64 keeps every bit");
    }

    // ---- random ----

    @Test
    void sameSeedSameNumbers() {
        for (long seed : new long[] {0, 1, 42, -7}) {
            Generator a = new Generator(seed);
            Generator b = new Generator(seed);
            assertArrayEquals(a.normal(0, 1, 50).toFloatArray(), b.normal(0, 1, 50).toFloatArray());
            assertArrayEquals(a.uniform(-1, 2, 3, 4).toFloatArray(), b.uniform(-1, 2, 3, 4).toFloatArray());
            assertArrayEquals(a.randint(-5, 5, 20).toLongArray(), b.randint(-5, 5, 20).toLongArray());
            assertArrayEquals(a.bernoulli(0.3, 20).toBooleanArray(), b.bernoulli(0.3, 20).toBooleanArray());
            assertArrayEquals(a.permutation(30).toLongArray(), b.permutation(30).toLongArray());
        }
        assertFalse(Arrays.equals(new Generator(1).normal(0, 1, 10).toFloatArray(),
                new Generator(2).normal(0, 1, 10).toFloatArray()), "different seeds, different numbers");
        Generator g = new Generator(3);
        assertFalse(Arrays.equals(g.uniform(0, 1, 10).toFloatArray(), g.uniform(0, 1, 10).toFloatArray()),
                "the sequence advances");
        g.reseed(3);
        assertArrayEquals(new Generator(3).uniform(0, 1, 10).toFloatArray(), g.uniform(0, 1, 10).toFloatArray(),
                "reseed restarts");
    }

    @Test
    void globalSeedMakesRandAndRandnReproducible() {
        Tensor.manualSeed(123);
        float[] a = Tensor.randn(4, 5).toFloatArray();
        float[] u = Tensor.rand(7).toFloatArray();
        Tensor.manualSeed(123);
        assertArrayEquals(a, Tensor.randn(4, 5).toFloatArray());
        assertArrayEquals(u, Tensor.rand(7).toFloatArray());
    }

    @Test
    void randomNumbersDoNotDependOnTheThreadCount() {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[] one = new Generator(9).normal(0, 1, 200_000).toFloatArray();
            long[] p1 = new Generator(9).permutation(100_000).toLongArray();
            Parallel.setThreads(2);
            assertArrayEquals(one, new Generator(9).normal(0, 1, 200_000).toFloatArray());
            assertArrayEquals(p1, new Generator(9).permutation(100_000).toLongArray());
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void normalMeanAndStd() {
        int n = 100_000;
        double[] v = new Generator(11).normal(3, 2, n).toDoubleArray();
        double mean = Arrays.stream(v).average().orElseThrow();
        double var = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (n - 1);
        // 5 standard errors: mean 2/sqrt(n) = 0.0063; std about 2/sqrt(2n) = 0.0045.
        assertEquals(3, mean, 0.032, "mean");
        assertEquals(2, Math.sqrt(var), 0.023, "std");
        // Tails: about 4.55% of normals lie beyond 2 sigma (5 s.e. = 0.0033).
        double beyond = Arrays.stream(v).filter(x -> Math.abs(x - 3) > 4).count() / (double) n;
        assertEquals(0.0455, beyond, 0.0033, "fraction beyond 2 sigma");
        assertEquals(0, new Generator(1).normal(5, 0, 10).sub(5.0).abs().max().item(), "std 0 gives the mean");
    }

    @Test
    void uniformIsInTheHalfOpenInterval() {
        int n = 100_000;
        float[] v = new Generator(12).uniform(-2, 3, n).toFloatArray();
        double sum = 0;
        int[] bins = new int[10];
        for (float x : v) {
            assertTrue(x >= -2 && x < 3, "value " + x + " outside [-2, 3)");
            sum += x;
            bins[(int) ((x + 2) / 5 * 10)]++;
        }
        assertEquals(0.5, sum / n, 5 * 5 / Math.sqrt(12.0 * n), "mean");
        for (int b : bins) {
            assertEquals(n / 10.0, b, 5 * Math.sqrt(n * 0.1 * 0.9), "bin counts");
        }
        // A range so narrow that rounding to f32 could reach `high`.
        float[] w = new Generator(13).uniform(1, Math.nextUp(1f), 1000).toFloatArray();
        for (float x : w) {
            assertTrue(x >= 1 && x < Math.nextUp(1f), "value " + x);
        }
        float[] u = Tensor.rand(10_000).toFloatArray();
        for (float x : u) {
            assertTrue(x >= 0 && x < 1, "rand value " + x);
        }
    }

    @Test
    void randintBernoulliPermutation() {
        long[] r = new Generator(14).randint(-3, 4, 70_000).toLongArray();
        int[] counts = new int[7];
        for (long x : r) {
            assertTrue(x >= -3 && x < 4, "randint value " + x);
            counts[(int) x + 3]++;
        }
        for (int c : counts) {
            assertEquals(10_000, c, 5 * Math.sqrt(70_000 / 7.0 * 6 / 7), "randint counts");
        }
        boolean[] b = new Generator(15).bernoulli(0.3, 100_000).toBooleanArray();
        int t = 0;
        for (boolean x : b) {
            t += x ? 1 : 0;
        }
        assertEquals(0.3, t / 100_000.0, 5 * Math.sqrt(0.21 / 100_000), "bernoulli frequency");
        assertEquals(0, new Generator(1).bernoulli(0, 1000).sum().item(), "p = 0");
        assertEquals(1000, new Generator(1).bernoulli(1, 1000).sum().item(), "p = 1");
        long[] p = new Generator(16).permutation(1000).toLongArray();
        long[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i], "permutation holds each value once");
        }
        assertFalse(Arrays.equals(p, sorted), "and is shuffled");
        assertEquals(0, new Generator(1).permutation(0).numel());
        assertEquals(DType.I64, new Generator(1).permutation(3).dtype());
    }
}
