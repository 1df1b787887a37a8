package dev.deneb.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.ConvOptions;
import dev.deneb.tensor.PoolOptions;
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

/** Gradients of gradients: {@link GradCheck#checkSecondOrder} per op, and Hessian-vector products by hand. */
class SecondOrderTest {
    record Case(Function<List<Tensor>, Tensor> f, List<Tensor> inputs) {}

    private static Arguments c(String name, Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        String shapes = Arrays.stream(inputs).map(t -> Arrays.toString(t.shape())).reduce((a, b) -> a + "," + b)
                .orElse("");
        return Arguments.of(Named.of(name + " " + shapes, new Case(f, List.of(inputs))));
    }

    /** The ops the issue names (elementwise, matmul, tanh, softmax, logSoftmax). */
    static Stream<Arguments> required() {
        TestData d = new TestData(3000);
        return Stream.of(
                c("mul", v -> v.get(0).mul(v.get(1)), d.normal(2, 3), d.normal(2, 3)),
                c("mul broadcast", v -> v.get(0).mul(v.get(1)), d.normal(2, 3), d.normal(3)),
                c("mul same leaf", v -> v.get(0).mul(v.get(0)), d.normal(2, 3)),
                c("add/sub mixed", v -> v.get(0).add(v.get(1)).sub(v.get(1).mul(v.get(0))), d.normal(2, 3),
                        d.normal(3)),
                c("div", v -> v.get(0).div(v.get(1)), d.normal(2, 3), d.awayFromZero(0.5, 1.5, 2, 3)),
                c("div broadcast", v -> v.get(0).div(v.get(1)), d.normal(2, 3), d.awayFromZero(0.5, 1.5, 2, 1)),
                c("exp", v -> v.get(0).exp(), d.normal(2, 3)),
                c("log", v -> v.get(0).log(), d.uniform(0.5, 2, 2, 3)),
                c("sin", v -> v.get(0).sin(), d.normal(2, 3)),
                c("sigmoid", v -> v.get(0).sigmoid(), d.normal(2, 3)),
                c("pow(3)", v -> v.get(0).pow(3), d.normal(2, 3)),
                c("pow(2.5)", v -> v.get(0).pow(2.5), d.uniform(0.5, 2, 2, 3)),
                c("pow(-1.5)", v -> v.get(0).pow(-1.5), d.uniform(0.5, 2, 2, 3)),
                c("pow(Tensor)", v -> v.get(0).pow(v.get(1)), d.uniform(0.5, 2, 2, 3), d.normal(2, 3)),
                c("pow(Tensor) broadcast", v -> v.get(0).pow(v.get(1)), d.uniform(0.5, 2, 2, 3), d.normal(3)),
                c("tanh", v -> v.get(0).tanh(), d.normal(2, 3)),
                c("tanh transposed", v -> v.get(0).t().tanh(), d.normal(3, 2)),
                c("softmax last axis", v -> v.get(0).softmax(-1), d.normal(2, 4)),
                c("softmax axis 0", v -> v.get(0).softmax(0), d.normal(3, 2)),
                c("logSoftmax last axis", v -> v.get(0).logSoftmax(1), d.normal(2, 4)),
                c("logSoftmax axis 0 of 3-D", v -> v.get(0).logSoftmax(0), d.normal(2, 2, 3)),
                c("matmul 2-D", v -> v.get(0).matmul(v.get(1)), d.normal(2, 3), d.normal(3, 2)),
                c("matmul batched broadcast", v -> v.get(0).matmul(v.get(1)), d.normal(2, 1, 2, 3), d.normal(2, 3, 2)),
                c("matmul 1-D . 2-D", v -> v.get(0).matmul(v.get(1)), d.normal(3), d.normal(3, 2)),
                c("matmul then tanh", v -> v.get(0).matmul(v.get(1)).tanh(), d.normal(2, 3), d.normal(3, 2)),
                c("sum(x^3) kept as [1]", v -> v.get(0).pow(3).sum(new int[] {0}, true), d.normal(4)),
                // a 0-d output (every loss): checkSecondOrder must handle it too
                c("sum(x^3) 0-d", v -> v.get(0).pow(3).sum(), d.normal(4)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void required(Case c) {
        check(c);
    }

    /** Further ops whose rules are written in differentiable Tensor ops, so they should also pass. */
    static Stream<Arguments> others() {
        TestData d = new TestData(3100);
        Tensor idx = Tensor.of(new long[] {2, 0, 2});
        Tensor gIdx = d.indices(3, 2, 3);
        Tensor addIdx = d.indices(2, 3, 3);
        Tensor mask = d.mask(2, 3);
        return Stream.of(
                c("sqrt", v -> v.get(0).sqrt(), d.uniform(0.5, 2, 2, 3)),
                c("rsqrt", v -> v.get(0).rsqrt(), d.uniform(0.5, 2, 2, 3)),
                c("reciprocal", v -> v.get(0).reciprocal(), d.awayFromZero(0.5, 1.5, 2, 3)),
                c("log1p", v -> v.get(0).log1p(), d.uniform(-0.5, 2, 2, 3)),
                c("cos", v -> v.get(0).cos(), d.normal(2, 3)),
                c("erf", v -> v.get(0).erf(), d.normal(2, 3)),
                c("gelu", v -> v.get(0).gelu(), d.normal(2, 3)),
                c("silu", v -> v.get(0).silu(), d.normal(2, 3)),
                c("softplus", v -> v.get(0).softplus(), d.normal(2, 3)),
                c("abs (away from 0)", v -> v.get(0).abs().mul(v.get(0)), d.awayFromZero(0.3, 1.5, 2, 3)),
                c("relu (away from 0)", v -> v.get(0).relu().mul(v.get(0)), d.awayFromZero(0.3, 1.5, 2, 3)),
                c("clamp", v -> v.get(0).clamp(-0.5, 0.5).mul(v.get(0)),
                        d.normalAvoiding(1, 0.01, new double[] {-0.5, 0.5}, 2, 3)),
                c("maximum", v -> v.get(0).maximum(v.get(1)).pow(2), d.normal(2, 3), d.normal(3)),
                c("where", v -> Tensor.where(mask, v.get(0), v.get(1)).pow(3), d.normal(2, 3), d.normal(2, 3)),
                c("maskedFill", v -> v.get(0).maskedFill(mask, 1).pow(3), d.normal(2, 3)),
                c("sum axis", v -> v.get(0).pow(2).sum(new int[] {1}, false), d.normal(2, 3)),
                c("mean keepdim", v -> v.get(0).pow(2).mean(new int[] {0}, true), d.normal(2, 3)),
                c("prod", v -> v.get(0).prod(new int[] {1}, false), d.awayFromZero(0.5, 1.5, 2, 3)),
                c("amax", v -> v.get(0).amax(new int[] {1}, false).pow(2), d.normal(2, 3)),
                c("max(axis)", v -> v.get(0).max(1, false).values().pow(2), d.normal(2, 3)),
                c("var", v -> v.get(0).var(new int[] {1}, 1, false), d.normal(2, 3)),
                c("std", v -> v.get(0).std(new int[] {1}, 1, false), d.normal(2, 3)),
                c("logsumexp", v -> v.get(0).logsumexp(new int[] {1}, false), d.normal(2, 3)),
                c("norm(2)", v -> v.get(0).norm(2, new int[] {1}, false), d.normal(2, 3)),
                c("norm(3)", v -> v.get(0).norm(3, new int[] {1}, false), d.awayFromZero(0.3, 1.5, 2, 3)),
                c("slice with step", v -> v.get(0).slice(1, 0, 4, 2).pow(3), d.normal(2, 4)),
                c("select", v -> v.get(0).select(0, 1).pow(3), d.normal(2, 3)),
                c("expand", v -> v.get(0).expand(2, 3).pow(3), d.normal(3)),
                c("permute", v -> v.get(0).permute(1, 0).pow(3), d.normal(2, 3)),
                c("cat", v -> Tensor.cat(0, v.get(0), v.get(1)).pow(3), d.normal(1, 3), d.normal(2, 3)),
                c("stack", v -> Tensor.stack(1, v.get(0), v.get(1)).pow(3), d.normal(2), d.normal(2)),
                c("indexSelect", v -> v.get(0).indexSelect(0, idx).pow(3), d.normal(3, 2)),
                c("gather", v -> v.get(0).gather(0, gIdx).pow(3), d.normal(3, 3)),
                c("scatterAdd", v -> v.get(0).scatterAdd(0, addIdx, v.get(1)).pow(3), d.normal(2, 3), d.normal(3, 3)),
                c("to(F64) no-op", v -> v.get(0).to(dev.deneb.tensor.DType.F64).pow(3), d.normal(2, 3)),
                c("conv2d (x, w, bias)", v -> Tensor.conv2d(v.get(0), v.get(1), v.get(2),
                        ConvOptions.of(1, 1, 1, 1)).pow(2), d.normal(1, 2, 3, 3), d.normal(2, 2, 2, 2), d.normal(2)),
                c("conv2d stride 2 groups 2", v -> Tensor.conv2d(v.get(0), v.get(1), null,
                        ConvOptions.of(2, 1, 1, 2)).pow(2), d.normal(1, 2, 4, 4), d.normal(2, 1, 2, 2)),
                c("conv1d", v -> Tensor.conv1d(v.get(0), v.get(1), v.get(2), ConvOptions.of(1, 1, 1, 1)).pow(2),
                        d.normal(1, 2, 5), d.normal(2, 2, 3), d.normal(2)),
                c("maxPool2d", v -> v.get(0).maxPool2d(PoolOptions.of(2)).values().pow(3), d.normal(1, 2, 4, 4)),
                c("avgPool2d", v -> v.get(0).avgPool2d(PoolOptions.of(3, 2, 1)).pow(3), d.normal(1, 2, 4, 4)),
                c("maxPool1d", v -> v.get(0).maxPool1d(PoolOptions.of(2)).values().pow(3), d.normal(1, 2, 6)),
                c("avgPool1d", v -> v.get(0).avgPool1d(PoolOptions.of(3).stride(1).padding(1).countIncludePad(false)).pow(3), d.normal(1, 2, 6)),
                // package A: the rules of floor-like ops (0) and of remainder/fmod (1, -q(a/b)) differentiated again
                c("floor(x) * x", v -> v.get(0).floor().mul(v.get(0)), d.offGrid(0.5, 0.1, 3, 2, 3)),
                c("round(x) * x^2", v -> v.get(0).round().mul(v.get(0).pow(2)), d.offGrid(0.5, 0.1, 3, 2, 3)),
                c("remainder^2", v -> v.get(0).remainder(v.get(1)).pow(2), d.offGrid(1, 0.3, 3, 2, 3),
                        d.awayFromZero(1, 1.05, 2, 3)),
                c("remainder^2 broadcast", v -> v.get(0).remainder(v.get(1)).pow(2), d.offGrid(1, 0.3, 3, 2, 3),
                        d.awayFromZero(1, 1.05, 3)),
                c("fmod^2", v -> v.get(0).fmod(v.get(1)).pow(2), d.offGrid(1, 0.3, 3, 2, 3),
                        d.awayFromZero(1, 1.05, 2, 1)),
                c("nanToNum^3", v -> v.get(0).nanToNum().pow(3), d.normal(2, 3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void others(Case c) {
        check(c);
    }

    private static void check(Case c) {
        GradCheck.Result r = GradCheck.checkSecondOrder(c.f(), c.inputs(), GradCheck.Options.defaults());
        assertTrue(r.elementsChecked() > 0, r.message());
        assertTrue(r.passed(), "second order: " + r.message());
    }

    // ---- Hessian-vector products by hand ----

    /** f(x) = sum(x^3): grad = 3x^2 and d/dx sum(grad * v) = 6 x v. */
    @Test
    void hessianVectorProductThroughBackward() {
        Tensor x = TestData.param(1, -2, 0.5, 3);
        Tensor v = TestData.f64(1, 2, -1, 0.5);
        x.pow(3).sum().backward(null, false, true);
        Tensor g = x.grad();
        assertNotNull(g);
        TestData.assertValues(new double[] {3, 12, 0.75, 27}, g, 1e-12);
        assertTrue(g.requiresGrad(), "with createGraph the gradient must itself be differentiable");
        x.zeroGrad();
        g.mul(v).sum().backward();
        TestData.assertValues(new double[] {6, -24, -3, 9}, x.grad(), 1e-12);
    }

    @Test
    void hessianVectorProductThroughAutogradGrad() {
        Tensor x = TestData.param(1, -2, 0.5, 3);
        Tensor v = TestData.f64(1, 2, -1, 0.5);
        Tensor y = x.pow(3).sum();
        Tensor g = Autograd.grad(y, List.of(x), false, true).get(0);
        TestData.assertValues(new double[] {3, 12, 0.75, 27}, g, 1e-12);
        assertEquals(null, x.grad(), "Autograd.grad must not accumulate into x.grad");
        Tensor hv = Autograd.grad(g.mul(v).sum(), List.of(x), false, false).get(0);
        TestData.assertValues(new double[] {6, -24, -3, 9}, hv, 1e-12);
        assertEquals(null, x.grad());
    }

    /** The full Hessian of f(x) = sum(x^3) via one Hessian-vector product per basis vector: diag(6x). */
    @Test
    void fullHessianIsDiagonal() {
        double[] xs = {0.5, -1, 2};
        Tensor x = TestData.param(xs);
        Tensor g = Autograd.grad(x.pow(3).sum(), List.of(x), true, true).get(0);
        for (int i = 0; i < 3; i++) {
            double[] e = new double[3];
            e[i] = 1;
            Tensor row = Autograd.grad(g.mul(Tensor.of(e)).sum(), List.of(x), true, false).get(0);
            double[] expected = new double[3];
            expected[i] = 6 * xs[i];
            TestData.assertValues(expected, row, 1e-12);
        }
    }

    /** Mixed second derivative: f(x, w) = sum(tanh(x * w)); the gradient penalty |df/dx|^2 differentiated in w. */
    @Test
    void gradientPenaltyPassesGradCheck() {
        TestData d = new TestData(3200);
        Function<List<Tensor>, Tensor> penalty = v -> {
            Tensor x = v.get(0);
            Tensor w = v.get(1);
            Tensor out = x.matmul(w).tanh().sum();
            Tensor gx = Autograd.grad(out, List.of(x), true, true).get(0);
            return gx.pow(2).sum();
        };
        TestData.assertPasses(penalty, List.of(d.normal(2, 3), d.normal(3, 2)), GradCheck.Options.defaults());
    }

    /** Third order through repeated Autograd.grad: d^3/dx^3 sum(x^4) = 24 x. */
    @Test
    void thirdDerivative() {
        Tensor x = TestData.param(1, -0.5, 2);
        Tensor g1 = Autograd.grad(x.pow(4).sum(), List.of(x), false, true).get(0);
        Tensor g2 = Autograd.grad(g1.sum(), List.of(x), false, true).get(0);
        Tensor g3 = Autograd.grad(g2.sum(), List.of(x), false, false).get(0);
        TestData.assertValues(new double[] {24, -12, 48}, g3, 1e-10);
    }
}
