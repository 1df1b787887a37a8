package dev.deneb.autograd;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Linalg;
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
 * Finite-difference checks (f64) of the gradients of inverse, solve, det, slogdet, cholesky, qr, svd and eigh, on
 * seeded well-conditioned matrices, batched, transposed and broadcast; second order for inverse, solve, slogdet,
 * det and cholesky. Symmetric inputs are built inside the checked function (M·Mᵀ + n·I, X + Xᵀ), as PyTorch's
 * tests do, because cholesky and eigh read only the lower triangle and return the symmetric gradient. Eigenvector
 * and singular-vector signs are fixed inside the function (times the sign of the first entry, a locally constant
 * factor), so the check does not depend on the sign the algorithm happens to pick.
 */
class LinalgGradTest {
    record Case(Function<List<Tensor>, Tensor> f, List<Tensor> inputs) {}

    private static Arguments c(String name, Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        String shapes = Arrays.stream(inputs).map(t -> Arrays.toString(t.shape())).reduce((a, b) -> a + "," + b)
                .orElse("");
        return Arguments.of(Named.of(name + " " + shapes, new Case(f, List.of(inputs))));
    }

    /** Random matrices {@code [..., n, n]} plus n·I: well conditioned for inverse and solve. */
    static Tensor wellConditioned(TestData d, int... shape) {
        int n = shape[shape.length - 1];
        return d.normal(shape).add(Tensor.eye(n, n, DType.F64).mul(n));
    }

    /** M·Mᵀ + n·I: symmetric positive-definite, from any square M. */
    static Tensor spd(Tensor m) {
        int n = m.size(-1);
        return m.matmul(m.mT()).add(Tensor.eye(n, n, m.dtype()).mul(n));
    }

    /** X + Xᵀ: symmetric, from any square X. */
    static Tensor sym(Tensor x) {
        return x.add(x.mT());
    }

    /** Columns of {@code v} times the sign of their first entry (a constant factor, locally). */
    static Tensor fixColumns(Tensor v) {
        return v.mul(v.select(-2, 0).detach().sign().unsqueeze(-2));
    }

    /** Rows of {@code v} times the sign of their first entry. */
    static Tensor fixRows(Tensor v) {
        return v.mul(v.select(-1, 0).detach().sign().unsqueeze(-1));
    }

    static Tensor flat(Tensor... parts) {
        return Tensor.cat(0, Arrays.stream(parts).map(Tensor::flatten).toList());
    }

    // =========================================================================================================
    // First order
    // =========================================================================================================

    static Stream<Arguments> firstOrder() {
        TestData d = new TestData(7100);
        return Stream.of(
                // inverse
                c("inverse", v -> v.get(0).inverse(), wellConditioned(d, 3, 3)),
                c("inverse batched", v -> v.get(0).inverse(), wellConditioned(d, 2, 3, 3)),
                c("inverse of transposed", v -> v.get(0).mT().inverse(), wellConditioned(d, 2, 3, 3)),
                c("inverse 1x1", v -> v.get(0).inverse(), d.awayFromZero(0.5, 2, 1, 1)),
                // solve
                c("solve matrix rhs", v -> Tensor.solve(v.get(0), v.get(1)), wellConditioned(d, 3, 3),
                        d.normal(3, 2)),
                c("solve vector rhs", v -> Tensor.solve(v.get(0), v.get(1)), wellConditioned(d, 3, 3), d.normal(3)),
                c("solve batched vectors", v -> Tensor.solve(v.get(0), v.get(1)), wellConditioned(d, 2, 3, 3),
                        d.normal(2, 3)),
                c("solve 1-D rhs broadcast over A's batch", v -> Tensor.solve(v.get(0), v.get(1)),
                        wellConditioned(d, 2, 3, 3), d.normal(3)),
                c("solve batch broadcast", v -> Tensor.solve(v.get(0), v.get(1)), wellConditioned(d, 2, 1, 3, 3),
                        d.normal(3, 3, 2)),
                c("solve transposed A and B", v -> Tensor.solve(v.get(0).mT(), v.get(1).mT()),
                        wellConditioned(d, 2, 3, 3), d.normal(2, 2, 3)),
                // det and slogdet (matrices with either sign of det)
                c("det", v -> v.get(0).det(), d.normal(3, 3)),
                c("det batched", v -> v.get(0).det(), d.normal(2, 3, 3)),
                c("det of transposed", v -> v.get(0).mT().det(), d.normal(2, 3, 3)),
                c("det 1x1", v -> v.get(0).det(), d.normal(1, 1)),
                c("slogdet logAbsDet", v -> v.get(0).slogdet().logAbsDet(), d.normal(2, 3, 3)),
                c("slogdet logAbsDet of transposed", v -> v.get(0).mT().slogdet().logAbsDet(), d.normal(4, 4)),
                // cholesky of symmetric positive-definite inputs
                c("cholesky of M·Mᵀ + nI", v -> spd(v.get(0)).cholesky(), d.normal(3, 3)),
                c("cholesky batched", v -> spd(v.get(0)).cholesky(), d.normal(2, 3, 3)),
                c("cholesky of transposed M", v -> spd(v.get(0).mT()).cholesky(), d.normal(2, 4, 4)),
                c("cholesky then solve", v -> Tensor.solve(spd(v.get(0)).cholesky(), v.get(1)), d.normal(3, 3),
                        d.normal(3)),
                // eigh of symmetric inputs
                c("eigh eigenvalues", v -> sym(v.get(0)).eigh().eigenvalues(), d.normal(2, 3, 3)),
                c("eigh eigenvectors", v -> fixColumns(sym(v.get(0)).eigh().eigenvectors()), d.normal(2, 3, 3)),
                c("eigh both", v -> {
                    Linalg.Eigh e = sym(v.get(0)).eigh();
                    return flat(e.eigenvalues(), fixColumns(e.eigenvectors()));
                }, d.normal(4, 4)),
                c("eigh V·diag(λ)·Vᵀ", v -> {
                    Linalg.Eigh e = sym(v.get(0)).eigh();
                    Tensor w = e.eigenvectors();
                    return w.mul(e.eigenvalues().exp().unsqueeze(-2)).matmul(w.mT());
                }, d.normal(3, 3)),
                // qr: tall, square, wide
                c("qr Q tall", v -> fixColumns(v.get(0).qr().q()), d.normal(4, 3)),
                c("qr R tall", v -> fixRows(v.get(0).qr().r()), d.normal(4, 3)),
                c("qr both square batched", v -> {
                    Linalg.Qr qr = v.get(0).qr();
                    return flat(qr.q(), qr.r());
                }, d.normal(2, 3, 3)),
                c("qr both of transposed", v -> {
                    Linalg.Qr qr = v.get(0).mT().qr();
                    return flat(qr.q(), qr.r());
                }, d.normal(3, 5)),
                c("qr Q wide", v -> v.get(0).qr().q(), d.normal(3, 5)),
                c("qr R wide", v -> v.get(0).qr().r(), d.normal(2, 3, 5)),
                c("qr Q·R wide", v -> {
                    Linalg.Qr qr = v.get(0).qr();
                    return qr.q().matmul(qr.r());
                }, d.normal(3, 4)),
                // svd: through S, U and Vh, tall, square and wide
                c("svd S tall", v -> v.get(0).svd().s(), d.normal(4, 3)),
                c("svd S wide batched", v -> v.get(0).svd().s(), d.normal(2, 3, 5)),
                c("svd U tall", v -> fixColumns(v.get(0).svd().u()), d.normal(4, 3)),
                c("svd Vh tall", v -> fixRows(v.get(0).svd().vh()), d.normal(4, 3)),
                c("svd U wide", v -> fixColumns(v.get(0).svd().u()), d.normal(3, 5)),
                c("svd Vh wide", v -> fixRows(v.get(0).svd().vh()), d.normal(3, 5)),
                c("svd all square batched", v -> {
                    Linalg.Svd s = v.get(0).svd();
                    Tensor sign = s.u().select(-2, 0).detach().sign();
                    return flat(s.s(), s.u().mul(sign.unsqueeze(-2)), s.vh().mul(sign.unsqueeze(-1)));
                }, d.normal(2, 3, 3)),
                c("svd U·diag(S)·Vh", v -> {
                    Linalg.Svd s = v.get(0).svd();
                    return s.u().mul(s.s().unsqueeze(-2)).matmul(s.vh());
                }, d.normal(4, 3)),
                c("svd of transposed", v -> {
                    Linalg.Svd s = v.get(0).mT().svd();
                    return flat(s.s(), fixColumns(s.u()));
                }, d.normal(2, 4, 3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void firstOrder(Case c) {
        TestData.assertPasses(c.f(), c.inputs(), GradCheck.Options.defaults());
    }

    // =========================================================================================================
    // Second order
    // =========================================================================================================

    static Stream<Arguments> secondOrder() {
        TestData d = new TestData(7200);
        return Stream.of(
                c("inverse", v -> v.get(0).inverse(), wellConditioned(d, 3, 3)),
                c("inverse batched", v -> v.get(0).inverse(), wellConditioned(d, 2, 2, 2)),
                c("solve", v -> Tensor.solve(v.get(0), v.get(1)), wellConditioned(d, 3, 3), d.normal(3, 2)),
                c("solve vector broadcast", v -> Tensor.solve(v.get(0), v.get(1)), wellConditioned(d, 2, 3, 3),
                        d.normal(3)),
                c("slogdet", v -> v.get(0).slogdet().logAbsDet(), d.normal(2, 3, 3)),
                c("det", v -> v.get(0).det(), d.normal(3, 3)),
                c("cholesky", v -> spd(v.get(0)).cholesky(), d.normal(3, 3)),
                c("cholesky batched", v -> spd(v.get(0)).cholesky(), d.normal(2, 2, 2)),
                // Not required, but the rules are written in differentiable ops, so these hold too.
                c("eigh", v -> {
                    Linalg.Eigh e = sym(v.get(0)).eigh();
                    return flat(e.eigenvalues(), fixColumns(e.eigenvectors()));
                }, d.normal(3, 3)),
                c("qr tall", v -> {
                    Linalg.Qr qr = v.get(0).qr();
                    return flat(fixColumns(qr.q()), fixRows(qr.r()));
                }, d.normal(3, 2)),
                c("qr wide", v -> {
                    Linalg.Qr qr = v.get(0).qr();
                    return flat(qr.q(), qr.r());
                }, d.normal(2, 3)),
                c("svd", v -> {
                    Linalg.Svd s = v.get(0).svd();
                    Tensor sign = s.u().select(-2, 0).detach().sign();
                    return flat(s.s(), s.u().mul(sign.unsqueeze(-2)), s.vh().mul(sign.unsqueeze(-1)));
                }, d.normal(3, 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void secondOrder(Case c) {
        GradCheck.Result r = GradCheck.checkSecondOrder(c.f(), c.inputs(), GradCheck.Options.defaults());
        assertTrue(r.elementsChecked() > 0, r.message());
        assertTrue(r.passed(), "second order: " + r.message());
    }

    // =========================================================================================================
    // Exact values and refused gradients
    // =========================================================================================================

    /** d det(A) / dA = det(A)·A^{-T}: for A = diag(2, 3), [[3, 0], [0, 2]]. */
    @Test
    void detGradientByHand() {
        Tensor a = Tensor.of(new double[] {2, 0, 0, 3}, 2, 2).requiresGrad(true);
        a.det().backward();
        TestData.assertValues(new double[] {3, 0, 0, 2}, a.grad(), 1e-12);
    }

    /**
     * The symmetric gradient of cholesky, as PyTorch: for A = [[a, b], [b, c]], sum(L) = √a + b/√a + √(c − b²/a);
     * at diag(4, 9) its derivatives are 1/4 in a, 1/2 in b (split over both off-diagonal entries) and 1/6 in c.
     */
    @Test
    void choleskyGradientByHand() {
        Tensor a = Tensor.of(new double[] {4, 0, 0, 9}, 2, 2).requiresGrad(true);
        a.cholesky().sum().backward();
        TestData.assertValues(new double[] {0.25, 0.25, 0.25, 1.0 / 6}, a.grad(), 1e-12);
        Tensor b = spd(new TestData(7300).normal(3, 3)).detach().requiresGrad(true);
        b.cholesky().pow(2).sum().backward();
        assertTrue(b.grad().allClose(b.grad().mT(), 0, 1e-12, false), "gradient not symmetric: " + b.grad());
    }

    /** Eigenvalues of a matrix with a repeated eigenvalue: the eigenvalue gradient is fine (the trace's is I). */
    @Test
    void eigenvalueGradientAtRepeatedEigenvalues() {
        Tensor a = Tensor.eye(3, 3, DType.F64).requiresGrad(true);
        a.eigh().eigenvalues().sum().backward();
        TestData.assertValues(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, a.grad(), 1e-12);
    }

    @Test
    void eigenvectorGradientAtRepeatedEigenvaluesIsRefused() {
        Tensor a = Tensor.eye(3, 3, DType.F64).requiresGrad(true);
        Tensor v = a.eigh().eigenvectors();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> v.mul(Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 3)).sum().backward());
        assertTrue(e.getMessage().contains("eigh backward") && e.getMessage().contains("equal eigenvalues"),
                e.getMessage());
    }

    @Test
    void singularValueGradientAtRepeatedSingularValues() {
        Tensor a = Tensor.eye(3, 3, DType.F64).mul(2).detach().requiresGrad(true);
        a.svd().s().sum().backward();
        TestData.assertValues(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, a.grad(), 1e-12);
        Tensor b = Tensor.eye(3, 3, DType.F64).mul(2).detach().requiresGrad(true);
        Tensor u = b.svd().u();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> u.mul(Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 3)).sum().backward());
        assertTrue(e.getMessage().contains("svd backward"), e.getMessage());
    }

    /** A tall rank-deficient matrix has a zero singular value; a U gradient off U's span is refused there. */
    @Test
    void singularVectorGradientAtZeroSingularValueIsRefused() {
        Tensor a = Tensor.of(new double[] {1, 0, 0, 0, 0, 0}, 3, 2).requiresGrad(true);
        Tensor u = a.svd().u();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> u.mul(Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2)).sum().backward());
        assertTrue(e.getMessage().contains("svd backward") && e.getMessage().contains("zero"), e.getMessage());
    }

    @Test
    void logAbsDetGradientOfSingularMatrixIsRefused() {
        Tensor a = Tensor.of(new double[] {1, 0, 0, 1, 1, 2, 2, 4}, 2, 2, 2).requiresGrad(true);
        Tensor l = a.slogdet().logAbsDet().sum();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> l.backward());
        assertTrue(e.getMessage().contains("slogdet backward") && e.getMessage().contains("batch index [1]")
                && e.getMessage().contains("singular"), e.getMessage());
        // det of a singular matrix: refused too rather than a wrong (zero) gradient.
        Tensor b = Tensor.of(new double[] {1, 2, 2, 4}, 2, 2).requiresGrad(true);
        Tensor d = b.det();
        assertThrows(IllegalStateException.class, () -> d.backward());
    }

    @Test
    void qrGradientOfRankDeficientMatrixIsRefused() {
        Tensor a = Tensor.of(new double[] {1, 1, 1, 1, 1, 1}, 3, 2).requiresGrad(true);
        Tensor q = a.qr().q();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> q.sum().backward());
        assertTrue(e.getMessage().contains("qr backward") && e.getMessage().contains("full rank"), e.getMessage());
    }

    /** Gradients reach the input from every output of a decomposition and from f32 inputs (computed in f64). */
    @Test
    void f32InputsGetF32Gradients() {
        Tensor a = Tensor.of(new float[] {4, 1, 0, 1, 3, 1, 0, 1, 2}, 3, 3).requiresGrad(true);
        Linalg.Svd s = a.svd();
        a.inverse().sum().add(a.det()).add(s.s().sum()).add(a.cholesky().sum()).backward();
        assertTrue(a.grad().dtype() == DType.F32, "gradient dtype " + a.grad().dtype());
        Tensor b = a.detach().to(DType.F64).requiresGrad(true);
        b.inverse().sum().add(b.det()).add(b.svd().s().sum()).add(b.cholesky().sum()).backward();
        assertTrue(a.grad().to(DType.F64).allClose(b.grad(), 1e-5, 1e-5, false), a.grad() + " vs " + b.grad());
    }
}
