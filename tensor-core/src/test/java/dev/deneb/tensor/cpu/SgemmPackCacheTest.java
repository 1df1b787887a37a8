package dev.deneb.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deneb.tensor.Backends;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Tensor;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A weight's packed panels are reused only while its storage is unchanged: {@code linear} with the same weight
 * gives the bits of the product packed afresh on every call, before and after in-place writes to the weight, for
 * views of one storage used in turn, and at any thread count.
 */
@ExtendWith(RestoresThreadCount.class)
class SgemmPackCacheTest {
    static IntStream seeds() {
        return IntStream.range(0, 12);
    }

    private static Tensor random(SplittableRandom r, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return Tensor.of(v, shape).to(Backends.cpu());
    }

    /** {@code x·wᵀ + b} through plain arrays: B packed into the thread's workspace, never cached. */
    private static float[] uncached(Tensor x, Tensor w, Tensor b) {
        int m = x.size(0);
        int k = x.size(1);
        int n = w.size(0);
        float[] y = new float[m * n];
        float[] bias = b.toFloatArray();
        for (int i = 0; i < m; i++) {
            System.arraycopy(bias, 0, y, i * n, n);
        }
        Sgemm.gemm(m, n, k, x.contiguous().toFloatArray(), 0, k, 1, w.contiguous().toFloatArray(), 0, 1, k,
                y, 0, n, true);
        return y;
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void reusedPacksGiveTheBitsOfFreshOnes(int seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int m = 30 + r.nextInt(120);
        int k = 40 + r.nextInt(seed % 3 == 0 ? 1200 : 300);
        int n = 40 + r.nextInt(300);
        // One storage holding two weights, as a packed q/k/v projection: both views alternate on it.
        Tensor both = random(r, 2 * n, k);
        Tensor w0 = both.narrow(0, 0, n);
        Tensor w1 = both.narrow(0, n, n);
        Tensor b = random(r, n);
        Tensor x = random(r, m, k);
        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setThreads(threads);
            for (int round = 0; round < 5; round++) {
                try (var off = GradMode.noGrad()) {
                    assertArrayEquals(uncached(x, w0, b), Tensor.linear(x, w0, b).toFloatArray(),
                            "w0, threads " + threads + ", round " + round);
                    assertArrayEquals(uncached(x, w1, b), Tensor.linear(x, w1, b).toFloatArray(),
                            "w1, threads " + threads + ", round " + round);
                    if (round == 1) {
                        // An in-place write (as an optimizer step) makes every earlier pack stale; rounds 2-4 see
                        // the new values recorded, packed, then reused.
                        both.copyFrom(both.mul(0.5).add(0.25));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void aWriteBetweenCallsIsSeen(int seed) {
        SplittableRandom r = new SplittableRandom(100 + seed);
        Tensor w = random(r, 200, 128);
        Tensor b = random(r, 200);
        Tensor x = random(r, 64, 128);
        try (var off = GradMode.noGrad()) {
            for (int i = 0; i < 4; i++) {
                Tensor.linear(x, w, b);
            }
            w.fill(0);
            float[] after = Tensor.linear(x, w, b).toFloatArray();
            float[] bias = b.toFloatArray();
            for (int i = 0; i < after.length; i++) {
                assertEquals(bias[i % 200], after[i], "a zeroed weight leaves the bias, at " + i);
            }
        }
    }
}
