package dev.deneb.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.Backend;
import dev.deneb.tensor.Backends;
import dev.deneb.tensor.CsrMatrix;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.testing.Cases;
import dev.deneb.tensor.testing.Cases.Layout;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12: the sparse (CSR) times dense product ({@link CsrMatrix#matmul}, {@link SparseKernels}). On seeded random
 * patterns (empty rows, repeated positions, columns never used) and dense operands of random widths (below, at and
 * past a vector's width) and layouts: the fast f32 kernel matches a float oracle that sums each row's entries in
 * stored order with fused multiply-adds bit for bit, and {@link ReferenceBackend} (f64 sums) to a summation bound;
 * f64 falls back to the reference exactly. The composed default and the pattern's bookkeeping: CsrMatrixTest.
 */
class SparseKernelsTest {
    private static final Backend FAST = Backends.cpu();
    private static final Backend REF = Backends.reference();

    static Stream<Long> seeds() {
        return IntStream.range(0, 40).mapToObj(i -> 3100L + i);
    }

    private record Case(CsrMatrix a, Tensor dense, String desc) {
        static Case random(Random r, DType dtype) {
            int rows = r.nextInt(30);
            int cols = 1 + r.nextInt(30);
            int nnz = rows == 0 ? 0 : r.nextInt(4 * rows + 1);
            int n = 1 + r.nextInt(40);
            long[] ri = new long[nnz];
            long[] ci = new long[nnz];
            for (int k = 0; k < nnz; k++) {
                ri[k] = r.nextInt(rows);
                ci[k] = r.nextInt(cols);
            }
            Tensor values = Cases.random(r, REF, dtype, nnz).to(FAST);
            CsrMatrix a = CsrMatrix.fromCoo(Tensor.of(ri, nnz), Tensor.of(ci, nnz), values, rows, cols);
            Layout l = Cases.layout(r, new int[] {cols, n});
            Tensor dense = l.apply(Cases.random(r, REF, dtype, l.baseShape()).to(FAST));
            return new Case(a, dense, rows + "x" + cols + " with " + nnz + " entries times [" + cols + ", " + n
                    + "] (" + l + ")");
        }
    }

    /** Each row's entries in stored order, one fma per entry and column, in f32: what the kernel computes. */
    private static float[] oracle(CsrMatrix a, Tensor dense) {
        long[] ptr = a.pattern().rowPointers().toLongArray();
        long[] col = a.pattern().columns().toLongArray();
        float[] v = a.values().toFloatArray();
        float[] d = dense.contiguous().toFloatArray();
        int n = dense.size(1);
        float[] out = new float[a.rows() * n];
        for (int r = 0; r < a.rows(); r++) {
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int k = (int) ptr[r]; k < ptr[r + 1]; k++) {
                    acc = Math.fma(v[k], d[(int) col[k] * n + j], acc);
                }
                out[r * n + j] = acc;
            }
        }
        return out;
    }

    /** |got − ref| ≤ 2·k·2⁻²⁴·Σ|terms| per element, k the row's entry count (plus a hair for denormals). */
    private static void assertWithinSummationBound(String what, CsrMatrix a, Tensor dense, float[] got,
                                                   double[] ref) {
        long[] ptr = a.pattern().rowPointers().toLongArray();
        long[] col = a.pattern().columns().toLongArray();
        double[] v = a.values().toDoubleArray();
        double[] d = dense.contiguous().toDoubleArray();
        int n = dense.size(1);
        for (int r = 0; r < a.rows(); r++) {
            int k0 = (int) ptr[r];
            int k1 = (int) ptr[r + 1];
            for (int j = 0; j < n; j++) {
                double abs = 0;
                for (int k = k0; k < k1; k++) {
                    abs += Math.abs(v[k] * d[(int) col[k] * n + j]);
                }
                double bound = 2.0 * Math.max(1, k1 - k0) * Math.ulp(1f) / 2 * abs + 1e-30;
                int at = r * n + j;
                assertTrue(Math.abs(got[at] - ref[at]) <= bound, what + ": element (" + r + ", " + j + ") is "
                        + got[at] + ", reference " + ref[at] + ", bound " + bound);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void f32KernelMatchesTheOracleAndTheReference(long seed) {
        Case c = Case.random(new Random(seed), DType.F32);
        Tensor got = c.a().matmul(c.dense());
        assertEquals(FAST, got.backend());
        assertArrayEquals(new int[] {c.a().rows(), c.dense().size(1)}, got.shape());
        ThreadCountIndependenceTest.assertSameBits(c.desc(), oracle(c.a(), c.dense()), got.toFloatArray());
        CsrMatrix onRef = new CsrMatrix(c.a().pattern(), c.a().values().to(REF));
        double[] ref = onRef.matmul(c.dense().to(REF)).toDoubleArray();
        assertWithinSummationBound(c.desc() + " vs reference", c.a(), c.dense(), got.toFloatArray(), ref);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void f64FallsBackToTheReferenceExactly(long seed) {
        Case c = Case.random(new Random(seed), DType.F64);
        double[] fast = c.a().matmul(c.dense()).toDoubleArray();
        double[] ref = new CsrMatrix(c.a().pattern(), c.a().values().to(REF)).matmul(c.dense().to(REF))
                .toDoubleArray();
        assertArrayEquals(ref, fast, c.desc());
    }
}
