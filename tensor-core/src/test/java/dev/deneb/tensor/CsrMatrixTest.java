package dev.deneb.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.testing.Cases;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12: {@link CsrPattern} and {@link CsrMatrix}: building from coordinates (stable by row), the transpose and its
 * entry map, the dense form, the composed default product every backend without a kernel runs, and the argument
 * checks. The fast kernel against the reference: SparseKernelsTest.
 */
class CsrMatrixTest {
    private static final Backend REF = Backends.reference();

    static Stream<Long> seeds() {
        return IntStream.range(0, 30).mapToObj(i -> 3200L + i);
    }

    /** Random size, repeated positions, empty rows and columns. */
    static CsrMatrix randomMatrix(Random r, DType dtype) {
        int rows = r.nextInt(20);
        int cols = 1 + r.nextInt(20);
        int nnz = rows == 0 ? 0 : r.nextInt(4 * rows + 1);
        long[] ri = new long[nnz];
        long[] ci = new long[nnz];
        for (int k = 0; k < nnz; k++) {
            ri[k] = r.nextInt(rows);
            ci[k] = r.nextInt(cols);
        }
        Tensor values = Cases.random(r, dtype, nnz);
        return CsrMatrix.fromCoo(Tensor.of(ri, nnz), Tensor.of(ci, nnz), values, rows, cols);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void composedDefaultMatchesTheReference(long seed) {
        Random r = new Random(seed);
        CsrMatrix a = randomMatrix(r, DType.F64);
        Tensor dense = Cases.random(r, REF, DType.F64, a.cols(), 1 + r.nextInt(20));
        Tensor values = a.values().to(REF);
        double[] ref = REF.sparseMatmul(a.pattern(), values, dense).toDoubleArray();
        double[] composed = SparseMatmul.composed(a.pattern(), values, dense).toDoubleArray();
        assertArrayEquals(ref, composed, 1e-12, a.pattern().toString());
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void denseFormAndTransposeAgreeWithTheCoordinates(long seed) {
        Random r = new Random(seed);
        CsrMatrix a = randomMatrix(r, DType.F64);
        String desc = a.pattern().toString();
        double[] expected = new double[a.rows() * a.cols()];
        long[] ptr = a.pattern().rowPointers().toLongArray();
        long[] col = a.pattern().columns().toLongArray();
        double[] v = a.values().toDoubleArray();
        for (int row = 0; row < a.rows(); row++) {
            for (int k = (int) ptr[row]; k < ptr[row + 1]; k++) {
                expected[row * a.cols() + (int) col[k]] += v[k];
            }
        }
        assertArrayEquals(expected, a.toDense().toDoubleArray(), 1e-12, desc);
        assertArrayEquals(a.toDense().mT().contiguous().toDoubleArray(), a.transpose().toDense().toDoubleArray(),
                1e-12, desc + " transposed");
        assertArrayEquals(a.toDense().toDoubleArray(), a.transpose().transpose().toDense().toDoubleArray(), 1e-12,
                desc + " transposed twice");
        assertArrayEquals(a.pattern().entryRows().toLongArray(),
                a.pattern().transpose().columns().indexSelect(0, a.pattern().transpose().transposeOrder())
                        .toLongArray(), desc + ": the transpose's order maps its entries back");
    }

    @Test
    void cooEntriesOfOneRowKeepTheirOrder() {
        Tensor rows = Tensor.of(new long[] {2, 0, 2, 0, 1}, 5);
        Tensor cols = Tensor.of(new long[] {1, 3, 0, 1, 2}, 5);
        CsrPattern.Sorted s = CsrPattern.fromCoo(3, 4, rows, cols);
        assertArrayEquals(new long[] {0, 2, 3, 5}, s.pattern().rowPointers().toLongArray());
        assertArrayEquals(new long[] {3, 1, 2, 1, 0}, s.pattern().columns().toLongArray());
        assertArrayEquals(new long[] {1, 3, 4, 0, 2}, s.order().toLongArray());
        assertArrayEquals(new long[] {0, 0, 1, 2, 2}, s.pattern().entryRows().toLongArray());
    }

    @Test
    void badInputsAreRefusedWithTheirReason() {
        CsrPattern p = CsrPattern.of(2, 3, new long[] {0, 1, 2}, new long[] {0, 2});
        Tensor v = Tensor.of(new float[] {1, 2}, 2);
        String m = assertThrows(IllegalArgumentException.class,
                () -> Tensor.sparseMatmul(p, Tensor.of(new float[] {1, 2, 3}, 3), Tensor.zeros(3, 4))).getMessage();
        assertTrue(m.contains("one entry per non-zero (2)"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Tensor.sparseMatmul(p, v, Tensor.zeros(2, 4)))
                .getMessage();
        assertTrue(m.contains("cols = 3"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Tensor.sparseMatmul(p, v, Tensor.zeros(3)))
                .getMessage();
        assertTrue(m.contains("[cols, N]"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> Tensor.sparseMatmul(p, v, Tensor.zeros(DType.F64, 3, 4))).getMessage();
        assertTrue(m.contains("one dtype"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> Tensor.sparseMatmul(p, v, Tensor.zeros(DType.I64, 3, 4))).getMessage();
        assertTrue(m.contains("floating"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> Tensor.sparseMatmul(p, v, Tensor.zeros(3, 4).to(REF))).getMessage();
        assertTrue(m.contains("different backends"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> CsrPattern.of(2, 3, new long[] {0, 1, 2}, new long[] {0})).getMessage();
        assertTrue(m.contains("from 0 to the number of non-zeros 1"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> CsrPattern.of(2, 3, new long[] {0, 2, 1, 2}, new long[] {0, 1})).getMessage();
        assertTrue(m.contains("rows + 1"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> CsrPattern.of(2, 3, new long[] {0, 2, 1}, new long[] {0})).getMessage();
        assertTrue(m.contains("must not decrease, got 2 then 1 at row 1"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> CsrPattern.of(2, 3, new long[] {0, 1, 2}, new long[] {0, 3})).getMessage();
        assertTrue(m.contains("column index 3 at entry 1 is out of range [0, 3)"), m);
        m = assertThrows(IllegalArgumentException.class, () -> CsrMatrix.fromCoo(Tensor.of(new long[] {0, 5}, 2),
                Tensor.of(new long[] {0, 1}, 2), v, 2, 3)).getMessage();
        assertTrue(m.contains("row index 5"), m);
        m = assertThrows(IllegalArgumentException.class, () -> CsrMatrix.fromCoo(Tensor.of(new long[] {0, 1}, 2),
                Tensor.of(new long[] {0, 1}, 2), Tensor.of(new float[] {1}, 1), 2, 3)).getMessage();
        assertTrue(m.contains("one entry per coordinate (2)"), m);
        m = assertThrows(IllegalArgumentException.class, () -> CsrMatrix.fromCoo(Tensor.of(new long[] {0, 1}, 2),
                Tensor.of(new float[] {0, 1}, 2), v, 2, 3)).getMessage();
        assertTrue(m.contains("integer"), m);
        m = assertThrows(IllegalArgumentException.class, () -> new CsrMatrix(p, Tensor.of(new long[] {1, 2}, 2)))
                .getMessage();
        assertTrue(m.contains("floating"), m);
    }

    @Test
    void emptyPatternsGiveZeros() {
        CsrPattern none = CsrPattern.of(3, 2, new long[] {0, 0, 0, 0}, new long[0]);
        for (Backend be : new Backend[] {Backends.cpu(), REF}) {
            Tensor out = Tensor.sparseMatmul(none, Tensor.zeros(0).to(be), Tensor.ones(2, 5).to(be));
            assertArrayEquals(new int[] {3, 5}, out.shape());
            assertArrayEquals(new float[15], out.toFloatArray());
            assertArrayEquals(new float[15], SparseMatmul.composed(none, Tensor.zeros(0).to(be),
                    Tensor.ones(2, 5).to(be)).toFloatArray());
        }
        CsrPattern p = CsrPattern.of(1, 2, new long[] {0, 2}, new long[] {0, 1});
        assertArrayEquals(new int[] {1, 0}, Tensor.sparseMatmul(p, Tensor.ones(2), Tensor.zeros(2, 0)).shape());
        assertArrayEquals(new int[] {1, 0}, SparseMatmul.composed(p, Tensor.ones(2), Tensor.zeros(2, 0)).shape());
    }
}
