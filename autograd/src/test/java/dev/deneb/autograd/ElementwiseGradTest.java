package dev.deneb.autograd;

import static dev.deneb.autograd.TestData.assertValues;
import static dev.deneb.autograd.TestData.f64;
import static dev.deneb.autograd.TestData.param;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Package A's gradients by hand where finite differences cannot look: at NaN and the infinities (nanToNum), on the
 * flat pieces of floor-like ops, and the remainder/fmod rules at known quotients (PyTorch's values).
 */
class ElementwiseGradTest {
    static final double NAN = Double.NaN;
    static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void nanToNumPassesTheGradientOnlyWhereTheInputIsFinite() {
        Tensor x = param(NAN, 1.5, INF, -INF, -2);
        x.nanToNum().mul(f64(1, 2, 3, 4, 5)).sum().backward();
        assertValues(new double[] {0, 2, 0, 0, 5}, x.grad(), 0);
        Tensor y = param(NAN, 1.5, INF);
        y.nanToNum(7, 8, 9).sum().backward();
        assertValues(new double[] {0, 1, 0}, y.grad(), 0);
    }

    @Test
    void roundingOpsHaveZeroGradient() {
        for (String op : new String[] {"floor", "ceil", "round", "trunc"}) {
            Tensor x = param(-2.5, -0.5, 0.5, 1.5, 2.7);
            Tensor r = switch (op) {
                case "floor" -> x.floor();
                case "ceil" -> x.ceil();
                case "round" -> x.round();
                default -> x.trunc();
            };
            assertTrue(r.requiresGrad(), op + " is recorded (its gradient is zero, not absent)");
            r.mul(x).sum().backward();
            // d/dx (op(x) * x) = op(x): only the product's own term
            assertValues(r.detach().toDoubleArray(), x.grad(), 0);
        }
    }

    @Test
    void remainderAndFmodGradientsAtKnownQuotients() {
        // a / b = 2.75 and -2.75: floor 2 and -3, trunc 2 and -2
        Tensor a = param(5.5, -5.5);
        Tensor b = param(2, 2);
        a.remainder(b).sum().backward();
        assertValues(new double[] {1, 1}, a.grad(), 0);
        assertValues(new double[] {-2, 3}, b.grad(), 0);
        Tensor a2 = param(5.5, -5.5);
        Tensor b2 = param(2, 2);
        a2.fmod(b2).sum().backward();
        assertValues(new double[] {1, 1}, a2.grad(), 0);
        assertValues(new double[] {-2, 2}, b2.grad(), 0);
        // a broadcast divisor sums the gradient: -(2) - (-3) = 1
        Tensor a3 = param(5.5, -5.5);
        Tensor b3 = param(2);
        a3.remainder(b3).sum().backward();
        assertValues(new double[] {1}, b3.grad(), 0);
        // a scalar divisor: only the dividend gets a gradient
        Tensor a4 = param(5.5, -5.5);
        a4.remainder(-2).mul(f64(3, 4)).sum().backward();
        assertValues(new double[] {3, 4}, a4.grad(), 0);
    }

    @Test
    void boolResultsAreNeverRecorded() {
        Tensor x = param(NAN, 1, 0);
        assertFalse(x.isnan().requiresGrad());
        assertFalse(x.isinf().requiresGrad());
        assertFalse(x.isfinite().requiresGrad());
        assertFalse(x.any().requiresGrad());
        assertFalse(x.all(new int[] {0}, true).requiresGrad());
    }
}
