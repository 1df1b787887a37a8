package dev.deneb.autograd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.CsrMatrix;
import dev.deneb.tensor.CsrPattern;
import dev.deneb.tensor.Tensor;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12: the sparse (CSR) times dense product's rule, checked in f64 against finite differences on seeded random
 * patterns (repeated positions, empty rows and columns): in the values and the dense operand, as {@link CsrMatrix}
 * builds them from coordinates (through the reordering index select) and through its transpose, and to second order.
 */
class SparseMatmulGradTest {
    static Stream<Long> seeds() {
        return IntStream.range(0, 12).mapToObj(i -> 3300L + i);
    }

    /** Coordinates of a random rows × cols pattern with {@code nnz} entries. */
    private record Coo(int rows, int cols, Tensor rowIndex, Tensor colIndex) {
        static Coo random(Random r) {
            int rows = 1 + r.nextInt(5);
            int cols = 1 + r.nextInt(5);
            int nnz = 1 + r.nextInt(3 * rows);
            long[] ri = new long[nnz];
            long[] ci = new long[nnz];
            for (int k = 0; k < nnz; k++) {
                ri[k] = r.nextInt(rows);
                ci[k] = r.nextInt(cols);
            }
            return new Coo(rows, cols, Tensor.of(ri, nnz), Tensor.of(ci, nnz));
        }

        int nnz() {
            return rowIndex.numel();
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void valuesAndDenseOperand(long seed) {
        Random r = new Random(seed);
        Coo c = Coo.random(r);
        TestData d = new TestData(seed);
        int n = 1 + r.nextInt(4);
        Function<List<Tensor>, Tensor> f = v -> CsrMatrix.fromCoo(c.rowIndex(), c.colIndex(), v.get(0), c.rows(),
                c.cols()).matmul(v.get(1)).tanh();
        TestData.assertPasses(f, List.of(d.normal(c.nnz()), d.normal(c.cols(), n)), GradCheck.Options.defaults());
        Function<List<Tensor>, Tensor> t = v -> CsrMatrix.fromCoo(c.rowIndex(), c.colIndex(), v.get(0), c.rows(),
                c.cols()).transpose().matmul(v.get(1)).tanh();
        TestData.assertPasses(t, List.of(d.normal(c.nnz()), d.normal(c.rows(), n)), GradCheck.Options.defaults());
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void secondOrder(long seed) {
        Random r = new Random(seed);
        Coo c = Coo.random(r);
        TestData d = new TestData(seed + 1);
        CsrPattern p = CsrPattern.fromCoo(c.rows(), c.cols(), c.rowIndex(), c.colIndex()).pattern();
        Function<List<Tensor>, Tensor> f = v -> Tensor.sparseMatmul(p, v.get(0), v.get(1)).pow(2);
        GradCheck.Result res = GradCheck.checkSecondOrder(f, List.of(d.normal(c.nnz()), d.normal(c.cols(), 2)),
                GradCheck.Options.defaults());
        assertTrue(res.elementsChecked() > 0, res.message());
        assertTrue(res.passed(), "second order: " + res.message());
    }

    /** Only the dense operand requires grad (graph propagation with a fixed adjacency). */
    @Test
    void denseOperandAlone() {
        TestData d = new TestData(3399);
        Tensor values = d.normal(5);
        CsrPattern p = CsrPattern.fromCoo(3, 4, Tensor.of(new long[] {2, 0, 2, 1, 0}, 5),
                Tensor.of(new long[] {1, 3, 0, 1, 3}, 5)).pattern();
        TestData.assertPasses(v -> Tensor.sparseMatmul(p, values, v.get(0)).sin(), List.of(d.normal(4, 3)),
                GradCheck.Options.defaults());
    }
}
