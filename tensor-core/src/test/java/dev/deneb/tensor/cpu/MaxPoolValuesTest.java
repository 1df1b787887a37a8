package dev.deneb.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deneb.tensor.PoolOptions;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Max pooling without indices ({@link PoolFast#maxPool2dValues}, vectors for 2×2 stride 2) gives the bits of the
 * indexed kernel: random plane counts and sizes (odd widths and heights, rows shorter and longer than a vector), an
 * offset input, values on a coarse grid (ties), signed zeros, NaN and -inf, ceil mode and other windows, 1 to 3
 * threads.
 */
@ExtendWith(RestoresThreadCount.class)
class MaxPoolValuesTest {
    static IntStream seeds() {
        return IntStream.range(0, 60);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void valuesMatchTheIndexedKernelBitForBit(int seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Parallel.setThreads(1 + seed % 3);
        int[] xs = {1 + r.nextInt(3), 1 + r.nextInt(seed % 5 == 0 ? 40 : 4), 2 + r.nextInt(seed % 2 == 0 ? 40 : 9),
                2 + r.nextInt(seed % 3 == 0 ? 70 : 12)};
        PoolOptions o = switch (seed % 6) {
            case 4 -> new PoolOptions(2, 2, 2, 2, 0, 0, 1, 1, true, true); // ceil mode: a partial last window
            case 5 -> new PoolOptions(3, 2, 2, 1, 1, 0, 1, 1, false, true);
            default -> PoolOptions.of(2);
        };
        int n = xs[0] * xs[1] * xs[2] * xs[3];
        int off = r.nextInt(4);
        float[] x = new float[off + n + r.nextInt(3)];
        for (int i = 0; i < x.length; i++) {
            int pick = r.nextInt(50);
            x[i] = pick == 0 ? Float.NaN : pick == 1 ? Float.intBitsToFloat(0x7fc01234) // another NaN payload
                    : pick == 2 ? Float.NEGATIVE_INFINITY : pick == 3 ? -0f : pick == 4 ? 0f
                    : seed % 2 == 0 ? r.nextInt(5) - 2 : (float) r.nextGaussian();
        }
        int oh = PoolOptions.outSize(xs[2], o.kernelH(), o.strideH(), o.padH(), o.dilationH(), o.ceilMode());
        int ow = PoolOptions.outSize(xs[3], o.kernelW(), o.strideW(), o.padW(), o.dilationW(), o.ceilMode());
        float[] withIndices = PoolFast.maxPool2d(x, off, xs, o, new long[xs[0] * xs[1] * oh * ow]);
        float[] values = PoolFast.maxPool2dValues(x, off, xs, o);
        assertEquals(withIndices.length, values.length);
        for (int i = 0; i < values.length; i++) {
            assertEquals(Float.floatToRawIntBits(withIndices[i]), Float.floatToRawIntBits(values[i]),
                    java.util.Arrays.toString(xs) + " " + o + " at " + i);
        }
    }
}
