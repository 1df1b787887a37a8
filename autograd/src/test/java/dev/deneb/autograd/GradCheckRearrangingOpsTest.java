package dev.deneb.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference checks (f64) of the reshaping, index and contraction ops: flip, roll, repeat, tile,
 * repeatInterleave, tril, triu, diag, the diagonal view and the region scatters, outer, maskedSelect and einsum, on
 * contiguous, transposed, stepped and broadcast (expanded) inputs; and second-order checks. These ops are composites
 * of recorded primitives, so these tests check that the composition is right end to end.
 */
class GradCheckRearrangingOpsTest {
    record Case(Function<List<Tensor>, Tensor> f, List<Tensor> inputs) {}

    private static Arguments c(String name, Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        String shapes = Arrays.stream(inputs).map(t -> Arrays.toString(t.shape())).reduce((a, b) -> a + "," + b)
                .orElse("");
        return Arguments.of(Named.of(name + " " + shapes, new Case(f, List.of(inputs))));
    }

    static Stream<Arguments> firstOrder() {
        TestData d = new TestData(5100);
        Tensor mask23 = d.mask(2, 3);
        Tensor maskRow = Tensor.of(new boolean[] {true, false, true, true});
        Tensor counts = Tensor.of(new long[] {2, 0, 3});
        return Stream.of(
                // flip
                c("flip(0)", v -> v.get(0).flip(0), d.normal(3, 4)),
                c("flip(0, -1)", v -> v.get(0).flip(0, -1), d.normal(2, 3, 4)),
                c("flip transposed", v -> v.get(0).t().flip(1), d.normal(3, 4)),
                c("flip expanded", v -> v.get(0).expand(3, 4).flip(0, 1), d.normal(4)),
                c("flip 0-d", v -> v.get(0).flip(0), d.normal()),
                // roll
                c("roll(1, axis 1)", v -> v.get(0).roll(new int[] {1}, new int[] {1}), d.normal(3, 4)),
                c("roll(-2, 5; axes 0, -1)", v -> v.get(0).roll(new int[] {-2, 5}, new int[] {0, -1}), d.normal(3, 4)),
                c("roll flattened", v -> v.get(0).roll(5), d.normal(3, 4)),
                c("roll flattened, stepped", v -> v.get(0).slice(1, 0, 5, 2).roll(-4), d.normal(3, 5)),
                // repeat and tile
                c("repeat(2, 1, 3)", v -> v.get(0).repeat(2, 1, 3), d.normal(2, 3)),
                c("repeat(2, 2) expanded", v -> v.get(0).expand(2, 3).repeat(2, 2), d.normal(1, 3)),
                c("repeat 0-d", v -> v.get(0).repeat(3, 2), d.normal()),
                c("tile(2)", v -> v.get(0).tile(2), d.normal(2, 3)),
                c("tile(2, 1, 2) transposed", v -> v.get(0).t().tile(2, 1, 2), d.normal(3, 2)),
                // repeatInterleave
                c("repeatInterleave(2, 1)", v -> v.get(0).repeatInterleave(2, 1), d.normal(2, 3)),
                c("repeatInterleave(counts, 0) transposed", v -> v.get(0).t().repeatInterleave(counts, 0),
                        d.normal(2, 3)),
                c("repeatInterleave(3, -1) stepped", v -> v.get(0).slice(0, 0, 3, 2).repeatInterleave(3, -1),
                        d.normal(3, 2)),
                // tril, triu
                c("tril", v -> v.get(0).tril(), d.normal(3, 4)),
                c("tril(1) batched", v -> v.get(0).tril(1), d.normal(2, 3, 3)),
                c("triu(-1) transposed", v -> v.get(0).t().triu(-1), d.normal(4, 3)),
                c("triu expanded", v -> v.get(0).expand(3, 3).triu(), d.normal(3)),
                // diag
                c("diag of a vector", v -> v.get(0).diag(), d.normal(3)),
                c("diag(1) of a vector", v -> v.get(0).diag(1), d.normal(3)),
                c("diag(-2) of a stepped vector", v -> v.get(0).slice(0, 1, 6, 2).diag(-2), d.normal(6)),
                c("diag of a matrix", v -> v.get(0).diag(), d.normal(3, 4)),
                c("diag(-1) of a transposed matrix", v -> v.get(0).t().diag(-1), d.normal(3, 4)),
                // the diagonal view and the region scatters
                c("diagonal(1, 0, 2)", v -> v.get(0).diagonal(1, 0, 2), d.normal(3, 2, 4)),
                c("diagonal(-1, -1, 0) transposed", v -> v.get(0).t().diagonal(-1, -1, 0), d.normal(4, 3)),
                c("diagonalScatter (base, src)", v -> v.get(0).diagonalScatter(v.get(1), 1, 0, 1),
                        d.normal(3, 4), d.normal(3)),
                c("diagonalScatter batched, expanded src", v -> v.get(0).diagonalScatter(v.get(1).expand(2, 3), 0, 1, 2),
                        d.normal(2, 3, 3), d.normal(3)),
                c("sliceScatter (base, src)", v -> v.get(0).sliceScatter(v.get(1), 1, 0, 4, 2),
                        d.normal(3, 4), d.normal(3, 2)),
                c("sliceScatter transposed base", v -> v.get(0).t().sliceScatter(v.get(1), 0, -2, 4, 1),
                        d.normal(3, 4), d.normal(2, 3)),
                // outer
                c("outer", v -> v.get(0).outer(v.get(1)), d.normal(3), d.normal(4)),
                c("outer same tensor", v -> v.get(0).outer(v.get(0)), d.normal(3)),
                c("outer stepped, expanded", v -> v.get(0).slice(0, 0, 5, 2).outer(v.get(1).expand(2)),
                        d.normal(5), d.normal(1)),
                // maskedSelect
                c("maskedSelect", v -> v.get(0).maskedSelect(mask23), d.normal(2, 3)),
                c("maskedSelect broadcast mask", v -> v.get(0).maskedSelect(maskRow), d.normal(3, 4)),
                c("maskedSelect transposed", v -> v.get(0).t().maskedSelect(mask23), d.normal(3, 2)),
                // einsum
                c("einsum trace ii", v -> Tensor.einsum("ii", v.get(0)), d.normal(3, 3)),
                c("einsum diagonal ii->i", v -> Tensor.einsum("ii->i", v.get(0)), d.normal(3, 3)),
                c("einsum matmul ij,jk->ik", v -> Tensor.einsum("ij,jk->ik", v.get(0), v.get(1)),
                        d.normal(2, 3), d.normal(3, 4)),
                c("einsum batched matmul bij,bjk->bik", v -> Tensor.einsum("bij,bjk->bik", v.get(0), v.get(1)),
                        d.normal(2, 2, 3), d.normal(2, 3, 2)),
                c("einsum outer i,j->ij", v -> Tensor.einsum("i,j->ij", v.get(0), v.get(1)), d.normal(3), d.normal(2)),
                c("einsum transposition ij->ji", v -> Tensor.einsum("ij->ji", v.get(0)), d.normal(2, 3)),
                c("einsum 3-operand chain ij,jk,kl->il",
                        v -> Tensor.einsum("ij,jk,kl->il", v.get(0), v.get(1), v.get(2)),
                        d.normal(2, 3), d.normal(3, 2), d.normal(2, 3)),
                c("einsum bilinear i,ij,j->", v -> Tensor.einsum("i,ij,j->", v.get(0), v.get(1), v.get(2)),
                        d.normal(2), d.normal(2, 3), d.normal(3)),
                c("einsum ellipsis ...ij,...jk", v -> Tensor.einsum("...ij,...jk", v.get(0), v.get(1)),
                        d.normal(2, 2, 3), d.normal(3, 2)),
                c("einsum size-1 broadcast", v -> Tensor.einsum("ij,jk->ik", v.get(0), v.get(1)),
                        d.normal(2, 1), d.normal(3, 2)),
                c("einsum same operand twice ij,ij->i", v -> Tensor.einsum("ij,ij->i", v.get(0), v.get(0)),
                        d.normal(2, 3)),
                c("einsum repeated letter and contraction ii,ij->j", v -> Tensor.einsum("ii,ij->j", v.get(0),
                        v.get(1)), d.normal(3, 3), d.normal(3, 2)),
                c("einsum transposed and expanded operands", v -> Tensor.einsum("ij,jk->ki", v.get(0).t(),
                        v.get(1).expand(3, 4)), d.normal(3, 2), d.normal(4)),
                c("einsum implicit outer product with summed letter", v -> Tensor.einsum("ab,cb", v.get(0),
                        v.get(1)), d.normal(2, 3), d.normal(4, 3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void firstOrder(Case c) {
        TestData.assertPasses(c.f(), c.inputs(), GradCheck.Options.defaults());
    }

    static Stream<Arguments> secondOrder() {
        TestData d = new TestData(5200);
        Tensor mask = d.mask(2, 3);
        Tensor counts = Tensor.of(new long[] {1, 3});
        return Stream.of(
                c("flip", v -> v.get(0).flip(0, 1).pow(3), d.normal(2, 3)),
                c("roll", v -> v.get(0).roll(new int[] {1}, new int[] {1}).pow(3), d.normal(2, 3)),
                c("repeat", v -> v.get(0).repeat(2, 1).pow(3), d.normal(2, 3)),
                c("tile", v -> v.get(0).tile(2).pow(3), d.normal(3)),
                c("repeatInterleave", v -> v.get(0).repeatInterleave(counts, 0).pow(3), d.normal(2, 2)),
                c("tril", v -> v.get(0).tril().pow(3), d.normal(3, 3)),
                c("triu(1)", v -> v.get(0).triu(1).pow(3), d.normal(3, 3)),
                c("diag of a vector", v -> v.get(0).diag(1).pow(3), d.normal(2)),
                c("diag of a matrix", v -> v.get(0).diag().pow(3), d.normal(3, 3)),
                c("diagonalScatter", v -> v.get(0).diagonalScatter(v.get(1), 0, 0, 1).pow(3), d.normal(2, 2),
                        d.normal(2)),
                c("sliceScatter", v -> v.get(0).sliceScatter(v.get(1), 0, 0, 1, 1).pow(3), d.normal(2, 2),
                        d.normal(1, 2)),
                c("outer", v -> v.get(0).outer(v.get(1)), d.normal(3), d.normal(2)),
                c("maskedSelect", v -> v.get(0).maskedSelect(mask).pow(3), d.normal(2, 3)),
                c("einsum batched matmul", v -> Tensor.einsum("bij,bjk->bik", v.get(0), v.get(1)),
                        d.normal(2, 2, 3), d.normal(2, 3, 2)),
                c("einsum trace of a product", v -> Tensor.einsum("ij,ji", v.get(0), v.get(0)), d.normal(3, 3)),
                c("einsum 3-operand chain", v -> Tensor.einsum("ij,jk,kl->il", v.get(0), v.get(1), v.get(2)),
                        d.normal(2, 2), d.normal(2, 3), d.normal(3, 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void secondOrder(Case c) {
        GradCheck.Result r = GradCheck.checkSecondOrder(c.f(), c.inputs(), GradCheck.Options.defaults());
        assertTrue(r.elementsChecked() > 0, r.message());
        assertTrue(r.passed(), "second order: " + r.message());
    }

    // ---- gradients by hand ----

    @Test
    void gradientOfRepeatSumsTheCopies() {
        Tensor x = TestData.param(1, 2, 3);
        x.repeat(2, 2).mul(Tensor.arange(0, 12).to(DType.F64).reshape(2, 6)).sum().backward();
        // position j of x lands at columns j and j+3 of both rows: (j) + (j+3) + (6+j) + (9+j)
        assertArrayEquals(new double[] {18, 22, 26}, x.grad().toDoubleArray(), 0);
    }

    @Test
    void gradientOfMaskedSelectIsZeroWhereNotSelected() {
        Tensor x = TestData.param(1, 2, 3, 4);
        x.maskedSelect(Tensor.of(new boolean[] {false, true, false, true})).mul(TestData.f64(5, 7)).sum().backward();
        assertArrayEquals(new double[] {0, 5, 0, 7}, x.grad().toDoubleArray(), 0);
    }

    @Test
    void gradientOfTraceIsTheIdentity() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 3).requiresGrad(true);
        Tensor.einsum("ii", x).backward();
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, x.grad().toDoubleArray(), 0);
    }

    @Test
    void integerResultsAreNotRecorded() {
        Tensor x = TestData.param(0, 1, 2);
        Tensor nz = x.nonzero();
        assertTrue(!nz.requiresGrad() && nz.dtype() == DType.I64, "nonzero gives plain i64 indices");
        assertNull(nz.gradFn());
    }
}
