package dev.deneb.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The checker must be able to fail: deliberately wrong custom rules are caught, and the report is precise. */
class GradCheckSelfTest {

    /** x^2 with the derivative 2x, except at one element where it is off by 0.5. */
    private static Tensor squareWrongAt(Tensor x, int wrongFlat) {
        double[] t = new double[x.numel()];
        t[wrongFlat] = 0.5;
        Tensor delta = Tensor.of(t).reshape(x.shape()).to(x.dtype());
        return Autograd.function("badSquare", x.detach().mul(x.detach()),
                g -> new Tensor[] {g.mul(x).mul(2).add(g.mul(delta))}, x);
    }

    @Test
    void failsOnAWrongRuleAndNamesTheWorstElement() {
        Tensor x = new TestData(1).normal(2, 3);
        GradCheck.Result r = GradCheck.check(v -> squareWrongAt(v.get(0), 4), List.of(x),
                GradCheck.Options.defaults());
        assertFalse(r.passed(), r.message());
        assertEquals(0, r.input());
        assertArrayEquals(new int[] {1, 1}, r.inputIndex(), r.message()); // flat 4 in [2, 3]
        assertArrayEquals(new int[] {1, 1}, r.outputIndex(), r.message());
        assertEquals(2 * x.get(1, 1) + 0.5, r.analytic(), 1e-9);
        assertEquals(2 * x.get(1, 1), r.numeric(), 1e-6);
        assertEquals(36, r.elementsChecked());
        assertTrue(r.message().contains("FAILED"), r.message());
        assertTrue(r.message().contains("[1, 1]"), r.message());
    }

    @Test
    void failsOnAMissingFactor() {
        // d/dx x^2 written as x instead of 2x
        Function<List<Tensor>, Tensor> f = v -> {
            Tensor x = v.get(0);
            return Autograd.function("halfSquare", x.detach().mul(x.detach()), g -> new Tensor[] {g.mul(x)}, x);
        };
        GradCheck.Result r = GradCheck.check(f, List.of(new TestData(2).uniform(0.5, 1, 4)),
                GradCheck.Options.defaults());
        assertFalse(r.passed(), r.message());
        AssertionError e = assertThrows(AssertionError.class,
                () -> GradCheck.assertGradients(f, new TestData(2).uniform(0.5, 1, 4)));
        assertTrue(e.getMessage().contains("FAILED"), e.getMessage());
    }

    @Test
    void failsOnAWrongGradientForTheSecondInput() {
        // a * b with db written as a^2: only input 1 is wrong
        Function<List<Tensor>, Tensor> f = v -> {
            Tensor a = v.get(0);
            Tensor b = v.get(1);
            return Autograd.function("badMul", a.detach().mul(b.detach()),
                    g -> new Tensor[] {g.mul(b), g.mul(a).mul(a)}, a, b);
        };
        TestData d = new TestData(3);
        GradCheck.Result r = GradCheck.check(f, List.of(d.uniform(2, 3, 3), d.uniform(2, 3, 3)),
                GradCheck.Options.defaults());
        assertFalse(r.passed());
        assertEquals(1, r.input(), r.message());
    }

    @Test
    void failsOnAWrongBroadcastReduction() {
        // a + b with b broadcast, but b's gradient not summed (only the first row taken)
        Function<List<Tensor>, Tensor> f = v -> {
            Tensor a = v.get(0);
            Tensor b = v.get(1);
            return Autograd.function("badAdd", a.detach().add(b.detach()),
                    g -> new Tensor[] {g, g.select(0, 0)}, a, b);
        };
        TestData d = new TestData(4);
        GradCheck.Result r = GradCheck.check(f, List.of(d.normal(3, 2), d.normal(2)), GradCheck.Options.defaults());
        assertFalse(r.passed(), r.message());
        assertEquals(1, r.input());
    }

    @Test
    void failsWhenTheRuleGivesNaN() {
        Function<List<Tensor>, Tensor> f = v -> {
            Tensor x = v.get(0);
            return Autograd.function("nanRule", x.detach().mul(2), g -> new Tensor[] {g.mul(Double.NaN)}, x);
        };
        GradCheck.Result r = GradCheck.check(f, List.of(Tensor.ones(DType.F64, 2)), GradCheck.Options.defaults());
        assertFalse(r.passed(), r.message());
        assertTrue(Double.isNaN(r.analytic()), r.message());
    }

    @Test
    void secondOrderFailsOnAFirstOrderRuleThatIsNotDifferentiable() {
        // x^3 with a correct first derivative computed as a constant (detached): the gradient of the gradient is
        // then 0 instead of 6x
        Function<List<Tensor>, Tensor> f = v -> {
            Tensor x = v.get(0);
            return Autograd.function("detachedCube", x.detach().pow(3),
                    g -> new Tensor[] {g.mul(x.detach().pow(2).mul(3))}, x);
        };
        Tensor x = new TestData(5).uniform(0.5, 1.5, 3);
        assertTrue(GradCheck.check(f, List.of(x), GradCheck.Options.defaults()).passed());
        GradCheck.Result r = GradCheck.checkSecondOrder(f, List.of(x), GradCheck.Options.defaults());
        assertFalse(r.passed(), r.message());
        assertThrows(AssertionError.class, () -> GradCheck.assertSecondOrder(f, x));
    }

    @Test
    void passesOnACorrectCustomRuleAndReportsIt() {
        Function<List<Tensor>, Tensor> f = v -> {
            Tensor x = v.get(0);
            return Autograd.function("square", x.detach().mul(x.detach()), g -> new Tensor[] {g.mul(x).mul(2)}, x);
        };
        GradCheck.Result r = GradCheck.check(f, List.of(new TestData(6).normal(2, 2)), GradCheck.Options.defaults());
        assertTrue(r.passed(), r.message());
        assertTrue(r.message().contains("passed"), r.message());
        GradCheck.assertGradients(f, new TestData(6).normal(2, 2));
        GradCheck.assertSecondOrder(f, new TestData(6).normal(2, 2));
    }

    @Test
    void integerInputsArePassedThroughAsConstants() {
        Tensor idx = Tensor.of(new long[] {1, 0, 1});
        GradCheck.Result r = GradCheck.check(v -> v.get(0).indexSelect(0, v.get(1).detach()).exp(),
                List.of(new TestData(7).normal(2, 2), idx), GradCheck.Options.defaults());
        assertTrue(r.passed(), r.message());
        assertEquals(4 * 6, r.elementsChecked());
    }

    @Test
    void f32InputsAreCheckedInF64() {
        Tensor x = Tensor.randn(2, 3); // f32
        GradCheck.Result r = GradCheck.check(v -> {
            assertEquals(DType.F64, v.get(0).dtype());
            return v.get(0).tanh();
        }, List.of(x), GradCheck.Options.defaults());
        assertTrue(r.passed(), r.message());
    }
}
