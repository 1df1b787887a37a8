package dev.deneb.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Tensor#linear}: the fast backend starts the product from the bias; the result must match the product and
 * the add done apart (bit for bit while the depth fits one GEMM slice: {@code b + p} is {@code p + b}), and the
 * reference backend in f64 to rounding, for any layout of weight and bias.
 */
class LinearTest {
    static IntStream seeds() {
        return IntStream.range(0, 24);
    }

    private static Tensor random(Random r, Backend backend, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Tensor.of(v, shape).to(backend);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void fusedBiasMatchesProductThenAdd(int seed) {
        Random r = new Random(seed);
        Backend fast = Backends.cpu();
        int m = 1 + r.nextInt(seed % 3 == 0 ? 300 : 40);
        int k = 1 + r.nextInt(seed % 4 == 0 ? 1500 : 200);
        int n = 1 + r.nextInt(70);
        Tensor x = random(r, fast, m, k);
        // Weight as stored by a layer, or a transposed view of a [K, N] matrix; bias contiguous or broadcast.
        Tensor w = seed % 2 == 0 ? random(r, fast, n, k) : random(r, fast, k, n).t();
        Tensor b = seed % 5 == 0 ? random(r, fast, 1).expand(n) : random(r, fast, n);
        Tensor fused = Tensor.linear(x, w, b);
        Tensor apart = x.matmul(w.t()).add(b);
        Tensor exact = x.to(DType.F64).matmul(w.to(DType.F64).t()).add(b.to(DType.F64));
        float[] f = fused.toFloatArray();
        float[] a = apart.toFloatArray();
        double[] e = exact.toDoubleArray();
        for (int i = 0; i < f.length; i++) {
            if (k <= 1024) {
                assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(f[i]),
                        "m=" + m + " k=" + k + " n=" + n + " at " + i);
            }
            assertEquals(e[i], f[i], 1e-5 * (k + 1), "m=" + m + " k=" + k + " n=" + n + " at " + i);
        }
    }

    @Test
    void leadingAxesAreKept() {
        Random r = new Random(7);
        Tensor x = random(r, Backends.cpu(), 2, 3, 4);
        Tensor y = Tensor.linear(x, random(r, Backends.cpu(), 5, 4), random(r, Backends.cpu(), 5));
        assertEquals("[2, 3, 5]", java.util.Arrays.toString(y.shape()));
    }

    @Test
    void badShapesAreNamed() {
        Random r = new Random(8);
        Tensor x = random(r, Backends.cpu(), 3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.linear(x, random(r, Backends.cpu(), 5, 4), random(r, Backends.cpu(), 6)));
        assertTrue(e.getMessage().startsWith("linear: expected input [..., K], weight [N, K] and bias [N]"),
                e.getMessage());
        assertTrue(e.getMessage().contains("[6]"), e.getMessage());
    }
}
