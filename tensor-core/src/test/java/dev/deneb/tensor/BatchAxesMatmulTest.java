package dev.deneb.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Products with several batch axes (attention's heads read by strided views from a
 * packed projection, broadcast batch axes) go to the fast backend as they are; they must match the same product on
 * contiguous copies (to rounding: a layout may pick another GEMM path, summing in another order) and the f64
 * reference.
 */
class BatchAxesMatmulTest {
    static IntStream seeds() {
        return IntStream.range(0, 16);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void headsOfAPackedProjectionMultiplyAsContiguousCopies(int seed) {
        Random r = new Random(seed);
        Generator g = new Generator(seed);
        int b = 1 + r.nextInt(3);
        int l = 2 + r.nextInt(19);
        int h = 2 + r.nextInt(3);
        int d = 1 + r.nextInt(40);
        Tensor qkv = g.normal(0, 1, b, l, 3, h, d);
        Tensor q = qkv.select(2, 0).permute(0, 2, 1, 3); // [b, h, l, d], strides of the packed layout
        Tensor k = qkv.select(2, 1).permute(0, 2, 1, 3);
        Tensor v = qkv.select(2, 2).permute(0, 2, 1, 3);
        assertFalse(q.isContiguous());
        Tensor scores = q.matmul(k.mT());
        assertClose(q.contiguous().matmul(k.contiguous().mT().contiguous()), scores, d, "q·kᵀ " + Arrays.toString(q.shape()));
        Tensor out = scores.softmax(-1).matmul(v);
        assertClose(scores.softmax(-1).matmul(v.contiguous()), out, l, "w·v");
        double[] ref = q.to(DType.F64).contiguous().matmul(k.to(DType.F64).contiguous().mT()).toDoubleArray();
        float[] got = scores.toFloatArray();
        for (int i = 0; i < ref.length; i++) {
            assertEqualsWithin(ref[i], got[i], 1e-4 * (1 + Math.abs(ref[i])) * d);
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void broadcastBatchAxesNeedNoCopy(int seed) {
        Random r = new Random(seed);
        Generator g = new Generator(seed + 100);
        int m = 1 + r.nextInt(9);
        int k = 1 + r.nextInt(9);
        int n = 1 + r.nextInt(9);
        Tensor a = g.normal(0, 1, 3, 1, m, k);   // broadcast over axis 1
        Tensor c = g.normal(0, 1, 1, 4, k, n).transpose(-1, -2).contiguous().transpose(-1, -2); // over axis 0
        Tensor p = a.matmul(c);
        Tensor expected = a.expand(3, 4, m, k).contiguous().matmul(c.expand(3, 4, k, n).contiguous());
        assertClose(expected, p, k, "broadcast product");
    }

    private static void assertClose(Tensor expected, Tensor actual, int depth, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            assertEqualsWithin(e[i], a[i], 1e-6 * depth * (1 + Math.abs(e[i])));
        }
    }

    private static void assertEqualsWithin(double expected, double actual, double tol) {
        if (Math.abs(expected - actual) > tol) {
            throw new AssertionError("expected " + expected + " but was " + actual + " (tolerance " + tol + ")");
        }
    }
}
