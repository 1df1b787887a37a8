package dev.deneb.autograd;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.ScatterReduction;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
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
 * Gradients of sort/topk values, cumsum, cumprod (exact at zeros) and scatterReduce: finite-difference checks in
 * f64 on contiguous, strided and broadcast inputs, second-order checks of the new primitives' rules, and the
 * non-differentiable points (ties in amax/amin, zeros in cumprod) against hand-computed values.
 */
class SortScanScatterGradTest {
    private static final GradCheck.Options DEFAULTS = GradCheck.Options.defaults();

    record Case(Function<List<Tensor>, Tensor> f, List<Tensor> inputs) {}

    private static Arguments c(String name, Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        String shapes = Arrays.stream(inputs).map(t -> Arrays.toString(t.shape())).reduce((a, b) -> a + "," + b)
                .orElse("");
        return Arguments.of(Named.of(name + " " + shapes, new Case(f, List.of(inputs))));
    }

    /** Values at least 0.4 apart (a shuffled ramp plus small noise), so no finite-difference step reorders them. */
    private static Tensor distinct(TestData d, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return d.permutation(n).to(DType.F64).mul(0.5).add(d.uniform(0, 0.1, n)).sub(n / 4.0).reshape(shape);
    }

    private static Tensor f64(double... v) {
        return Tensor.of(v);
    }

    // =========================================================================================================
    // sort and topk values (recorded as a gather at the sorting permutation)
    // =========================================================================================================

    static Stream<Arguments> sorting() {
        TestData d = new TestData(4100);
        return Stream.of(
                c("sort last axis", v -> v.get(0).sort().values(), distinct(d, 3, 4)),
                c("sort descending axis 0", v -> v.get(0).sort(0, true).values(), distinct(d, 4, 3)),
                c("sort of transposed, axis -1", v -> v.get(0).t().sort(-1, true).values().sin(), distinct(d, 4, 3)),
                c("sort of stepped slice", v -> v.get(0).slice(1, 0, 6, 2).sort(1, false).values().exp(),
                        distinct(d, 2, 6)),
                c("sort of broadcast input", v -> v.get(0).expand(3, 4).sort(1, true).values().mul(v.get(1)),
                        distinct(d, 1, 4), d.normal(3, 4)),
                c("sort 1-D", v -> v.get(0).sort(0, false).values().pow(2), distinct(d, 6)),
                c("sort 0-D", v -> v.get(0).sort().values().pow(2), d.normal()),
                c("topk(2) last axis", v -> v.get(0).topk(2).values().sin(), distinct(d, 3, 5)),
                c("topk smallest axis 0 of transposed", v -> v.get(0).t().topk(2, 0, false, true).values(),
                        distinct(d, 3, 4)),
                c("topk k = n of 1-D", v -> v.get(0).topk(5).values().pow(3), distinct(d, 5)),
                c("topk of broadcast sum", v -> v.get(0).add(v.get(1)).topk(2, 1, true, false).values(),
                        distinct(d, 3, 4), d.normal(4).mul(0.01)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void sorting(Case c) {
        TestData.assertPasses(c.f(), c.inputs(), DEFAULTS);
    }

    // =========================================================================================================
    // cumsum and cumprod
    // =========================================================================================================

    static Stream<Arguments> scans() {
        TestData d = new TestData(4200);
        List<Arguments> out = new ArrayList<>();
        out.add(c("cumsum 1-D", v -> v.get(0).cumsum(0).pow(2), d.normal(5)));
        out.add(c("cumsum axis 1", v -> v.get(0).cumsum(1).sin(), d.normal(3, 4)));
        out.add(c("cumsum axis 0", v -> v.get(0).cumsum(0).sin(), d.normal(3, 4)));
        out.add(c("cumsum axis -2 of 3-D", v -> v.get(0).cumsum(-2).sin(), d.normal(2, 3, 2)));
        out.add(c("cumsum of transposed", v -> v.get(0).t().cumsum(1).exp(), d.normal(4, 3)));
        out.add(c("cumsum of stepped slice", v -> v.get(0).slice(0, 1, 5, 2).cumsum(0).sin(), d.normal(5, 3)));
        out.add(c("cumsum of broadcast", v -> v.get(0).expand(3, 4).cumsum(0).mul(v.get(1)), d.normal(4),
                d.normal(3, 4)));
        out.add(c("cumsum 0-D", v -> v.get(0).cumsum(0).pow(2), d.normal()));
        out.add(c("cumprod 1-D", v -> v.get(0).cumprod(0), d.awayFromZero(0.5, 1.5, 6)));
        out.add(c("cumprod axis 1", v -> v.get(0).cumprod(1), d.awayFromZero(0.5, 1.5, 3, 4)));
        out.add(c("cumprod axis 0 of transposed", v -> v.get(0).t().cumprod(0).sin(), d.awayFromZero(0.5, 1.5, 4, 3)));
        out.add(c("cumprod of broadcast", v -> v.get(0).expand(2, 4).cumprod(1), d.awayFromZero(0.5, 1.5, 1, 4)));
        out.add(c("cumprod 0-D", v -> v.get(0).cumprod(-1).pow(2), d.normal()));
        // Zeros: exact gradients without division.
        out.add(c("cumprod one zero", v -> v.get(0).cumprod(0), f64(0.5, 1.3, 0, 1.5, -2.0, 0.7)));
        out.add(c("cumprod two zeros in a row", v -> v.get(0).cumprod(0), f64(1.2, 0, 0, 0.8, -1.1)));
        out.add(c("cumprod zeros apart", v -> v.get(0).cumprod(0), f64(0, 1.5, 0.9, 0, -1.3, 2.0)));
        out.add(c("cumprod zero first and last", v -> v.get(0).cumprod(0).sin(), f64(0, 1.4, -0.6, 0)));
        out.add(c("cumprod all zeros", v -> v.get(0).cumprod(0), f64(0, 0, 0)));
        out.add(c("cumprod zeros along axis 1", v -> v.get(0).cumprod(1),
                f64(1.1, 0, 0.9, 1.3, -0.7, 1.2, 0.8, 0, 0, 2.0, 1.5, 0.6).reshape(3, 4)));
        out.add(c("cumprod zeros along axis 0 of transposed", v -> v.get(0).t().cumprod(0).exp(),
                f64(1.1, 0, 0.9, 1.3, -0.7, 1.2, 0.8, 0, 0, 2.0, 1.5, 0.6).reshape(3, 4)));
        out.add(c("cumprod single element zero", v -> v.get(0).cumprod(0).mul(3), f64(0)));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void scans(Case c) {
        TestData.assertPasses(c.f(), c.inputs(), DEFAULTS);
    }

    @Test
    void cumprodGradientAtZerosIsExact() {
        // y = [2, 0, 0]; d sum(y) / dx = [1 + x1 + x1 x2, x0 + x0 x2, x0 x1] = [1, 8, 0]
        Tensor x = TestData.param(2, 0, 3);
        x.cumprod(0).sum().backward();
        TestData.assertValues(new double[] {1, 8, 0}, x.grad(), 0);
        // Two zeros in a row: [1 + 0, x0 (1 + x2 + x2 x3), x0 x1 (1 + x3), x0 x1 x2] = [1, 2, 0, 0]
        Tensor z = TestData.param(2, 0, 0, 3);
        z.cumprod(0).sum().backward();
        TestData.assertValues(new double[] {1, 2, 0, 0}, z.grad(), 0);
    }

    // =========================================================================================================
    // scatterReduce
    // =========================================================================================================

    static Stream<Arguments> scatterReductions() {
        TestData d = new TestData(4300);
        // index [5, 3] into axis 0 of [4, 3], with repeats; row 3 of column 0 may receive nothing.
        Tensor idx = Tensor.of(new long[] {0, 1, 2, 0, 1, 1, 2, 1, 0, 2, 3, 1, 0, 0, 2}).reshape(5, 3);
        Tensor idx1 = Tensor.of(new long[] {2, 0, 2, 1, 1, 1}).reshape(2, 3); // axis 1 of [2, 3]
        List<Arguments> out = new ArrayList<>();
        for (ScatterReduction red : ScatterReduction.values()) {
            for (boolean self : new boolean[] {true, false}) {
                String name = red.opName() + (self ? "" : " without self");
                out.add(c(name + " repeated indices", v -> v.get(0).scatterReduce(0, idx, v.get(1), red, self)
                        .sin(), d.normal(4, 3), d.normal(5, 3)));
                out.add(c(name + " axis 1, src larger", v -> v.get(0).scatterReduce(1, idx1, v.get(1), red, self)
                        .exp(), d.normal(2, 3), d.normal(3, 4)));
                out.add(c(name + " transposed x and src", v -> v.get(0).t().scatterReduce(0, idx, v.get(1).t(), red,
                        self).sin(), d.normal(3, 4), d.normal(3, 5)));
                out.add(c(name + " 0-D x", v -> v.get(0).scatterReduce(0, Tensor.of(new long[] {0, 0}), v.get(1),
                        red, self).pow(2), d.normal(), d.normal(2)));
            }
        }
        out.add(c("sum of broadcast src", v -> v.get(0).scatterReduce(0, idx, v.get(1).expand(5, 3),
                ScatterReduction.SUM).sin(), d.normal(4, 3), d.normal(3)));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void scatterReductions(Case c) {
        TestData.assertPasses(c.f(), c.inputs(), DEFAULTS);
    }

    @Test
    void amaxAndAminShareTheGradientAmongTies() {
        Tensor index = Tensor.of(new long[] {0, 0, 1});
        // amax: position 0 is max(2, 2, 1) = 2, a tie of x[0] and src[0]; position 1 is max(0, 5) = 5 from src[2].
        Tensor x = TestData.param(2, 0);
        Tensor src = TestData.param(2, 1, 5);
        x.scatterReduce(0, index, src, ScatterReduction.AMAX).sum().backward();
        TestData.assertValues(new double[] {0.5, 0}, x.grad(), 0);
        TestData.assertValues(new double[] {0.5, 0, 1}, src.grad(), 0);
        // Without self x[0] does not count even though it equals the result.
        x.zeroGrad();
        src.zeroGrad();
        x.scatterReduce(0, index, src, ScatterReduction.AMAX, false).sum().backward();
        TestData.assertValues(new double[] {0, 0}, x.grad(), 0);
        TestData.assertValues(new double[] {1, 0, 1}, src.grad(), 0);
        // amin with three equal values: a third each.
        Tensor y = TestData.param(1, 7);
        Tensor s = TestData.param(1, 1, 9);
        y.scatterReduce(0, index, s, ScatterReduction.AMIN).mul(f64(3, 1)).sum().backward();
        TestData.assertValues(new double[] {1, 1}, y.grad(), 1e-15);
        TestData.assertValues(new double[] {1, 1, 0}, s.grad(), 1e-15);
    }

    @Test
    void meanDividesByTheCountAndOnlyTheNeededGradientsAreComputed() {
        Tensor index = Tensor.of(new long[] {0, 0, 0});
        Tensor x = TestData.param(1, 2);
        Tensor src = f64(3, 4, 5); // a constant
        x.scatterReduce(0, index, src, ScatterReduction.MEAN).sum().backward();
        TestData.assertValues(new double[] {0.25, 1}, x.grad(), 0);
        assertNull(src.grad());
        Tensor x2 = f64(1, 2);
        Tensor src2 = TestData.param(3, 4, 5);
        Tensor r = x2.scatterReduce(0, index, src2, ScatterReduction.MEAN, false);
        assertTrue(r.requiresGrad());
        r.sum().backward();
        TestData.assertValues(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, src2.grad(), 1e-15);
        assertFalse(x2.requiresGrad());
    }

    // =========================================================================================================
    // Second order: the rules are written in recorded ops
    // =========================================================================================================

    static Stream<Arguments> secondOrder() {
        TestData d = new TestData(4400);
        Tensor idx = Tensor.of(new long[] {0, 1, 2, 0, 1, 1, 2, 1, 0}).reshape(3, 3);
        return Stream.of(
                c("cumsum", v -> v.get(0).cumsum(1).pow(3), d.normal(2, 3)),
                c("cumsum of transposed", v -> v.get(0).t().cumsum(0).pow(3), d.normal(3, 2)),
                c("cumsum times input", v -> v.get(0).cumsum(0).mul(v.get(0)), d.normal(4)),
                c("cumprod", v -> v.get(0).cumprod(1), d.awayFromZero(0.5, 1.5, 2, 3)),
                c("cumprod axis 0", v -> v.get(0).cumprod(0).pow(2), d.awayFromZero(0.5, 1.5, 3, 2)),
                c("cumprod one zero", v -> v.get(0).cumprod(0), f64(0.9, 0, 1.3, -1.1, 0.7)),
                c("cumprod two zeros in a row", v -> v.get(0).cumprod(0).pow(2), f64(1.2, 0, 0, 0.8, -1.1)),
                c("cumprod zero first, axis 1", v -> v.get(0).cumprod(1),
                        f64(0, 1.1, -0.8, 1.4, 0.6, 0, 0, 1.2).reshape(2, 4)),
                c("scatterReduce sum", v -> v.get(0).scatterReduce(0, idx, v.get(1), ScatterReduction.SUM).pow(3),
                        d.normal(3, 3), d.normal(3, 3)),
                c("scatterReduce sum without self", v -> v.get(0).scatterReduce(0, idx, v.get(1),
                        ScatterReduction.SUM, false).pow(3), d.normal(3, 3), d.normal(3, 3)),
                c("scatterReduce mean", v -> v.get(0).scatterReduce(0, idx, v.get(1), ScatterReduction.MEAN)
                        .pow(3), d.normal(3, 3), d.normal(3, 3)),
                c("scatterReduce amax", v -> v.get(0).scatterReduce(0, idx, v.get(1), ScatterReduction.AMAX)
                        .pow(3), d.normal(3, 3), d.normal(3, 3)),
                c("sort values", v -> v.get(0).sort(1, true).values().pow(3), distinct(d, 2, 3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void secondOrder(Case c) {
        GradCheck.Result r = GradCheck.checkSecondOrder(c.f(), c.inputs(), DEFAULTS);
        assertTrue(r.elementsChecked() > 0, r.message());
        assertTrue(r.passed(), "second order: " + r.message());
    }
}
