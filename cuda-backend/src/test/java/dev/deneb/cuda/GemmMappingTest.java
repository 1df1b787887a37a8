package dev.deneb.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deneb.tensor.Backends;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The row-major to column-major mapping of {@link Gemm}, checked numerically: a {@link HostGpu} computes GEMM with
 * cuBLAS's documented semantics (leading dimensions, OP_N/OP_T, strided batches, stride 0), so a wrong operand
 * order, transposition flag or leading dimension gives a wrong product here, without a GPU.
 */
class GemmMappingTest {
    final HostGpu gpu = new HostGpu();
    final CudaBackend be = new CudaBackend(gpu, null);
    final Random r = new Random(7);

    Tensor random(DType t, int... shape) {
        int n = CudaBackend.numel(shape);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.round(r.nextGaussian() * 8) / 4.0;      // exact in f32 products and sums
        }
        return Tensor.of(v, shape).to(t);
    }

    void check(Tensor a, Tensor b, UnaryOperator<Tensor> va, UnaryOperator<Tensor> vb) {
        Tensor expected = va.apply(a).matmul(vb.apply(b));
        Tensor got = va.apply(a.to(be)).matmul(vb.apply(b.to(be)));
        assertArrayEquals(expected.shape(), got.shape());
        assertArrayEquals(expected.toDoubleArray(), got.to(Backends.reference()).toDoubleArray(),
                "product of " + java.util.Arrays.toString(a.shape()) + " and " + java.util.Arrays.toString(b.shape()));
    }

    @Test
    void rowMajorTransposedAndBroadcastOperands() {
        for (DType t : new DType[] {DType.F32, DType.F64}) {
            int before = gpu.launches.size();
            check(random(t, 3, 4), random(t, 4, 5), x -> x, x -> x);
            check(random(t, 4, 3), random(t, 4, 5), Tensor::t, x -> x);                 // A stored transposed
            check(random(t, 3, 4), random(t, 5, 4), x -> x, Tensor::t);                 // B stored transposed
            check(random(t, 4, 3), random(t, 5, 4), Tensor::t, Tensor::t);
            check(random(t, 2, 3, 4), random(t, 2, 4, 5), x -> x, x -> x);              // batched
            check(random(t, 3, 4), random(t, 2, 4, 5), x -> x, x -> x);                 // A broadcast: stride 0
            check(random(t, 2, 3, 4), random(t, 4, 5), x -> x, x -> x);                 // B broadcast
            check(random(t, 2, 4, 3), random(t, 2, 5, 4), Tensor::mT, Tensor::mT);
            check(random(t, 1, 4), random(t, 4, 1), x -> x, x -> x);                    // 1x1 result
            check(random(t, 4), random(t, 4, 6), x -> x, x -> x);                       // vector @ matrix
            check(random(t, 5, 4), random(t, 4), x -> x, x -> x);                       // matrix @ vector
            check(random(t, 3, 1), random(t, 1, 5), x -> x, x -> x);                    // k = 1
            check(random(t, 6, 8), random(t, 8, 6), x -> x.narrow(1, 2, 4).narrow(0, 1, 3),
                    x -> x.narrow(0, 2, 4).narrow(1, 0, 5));                             // row stride > cols
            assertEquals(before, gpu.launches.size(), "none of these layouts needs a copy kernel");
        }
    }
}
