package dev.deneb.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.nn.Losses.CrossEntropyOptions;
import dev.deneb.nn.Losses.Reduction;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Saturated and boundary inputs where a naive formula overflows: values and gradients must stay finite and match
 * PyTorch 1.13 (expected values below were computed with it; see the comment on each test).
 */
class NumericalEdgeCasesTest {
    private static void assertFiniteClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Float.isFinite(actual[i]), what + ": element " + i + " is " + actual[i] + " in "
                    + Arrays.toString(actual) + ", PyTorch gives " + expected[i]);
            assertEquals(expected[i], actual[i], 1e-5 + 1e-5 * Math.abs(expected[i]), what + ": element " + i);
        }
    }

    /**
     * torch: x = [-100, -20, 0.5, 20, 100]; F.elu(x, 0.7).backward([1, 2, 3, 4, 5]) gives y = [-0.7, -0.7, 0.5, 20,
     * 100] and grad [2.66e-44, 2.89e-9, 3, 4, 5]. Deneb's ELU evaluates exp(x) on the positive side too; exp(100)
     * overflows f32, and the masked branch's zero gradient times inf is NaN.
     */
    @Test
    void eluGradientIsFiniteForLargePositiveInputs() {
        Tensor x = Tensor.of(new float[] {-100f, -20f, 0.5f, 20f, 100f}).requiresGrad(true);
        Tensor y = Activation.elu(0.7).forward(x);
        assertFiniteClose(new float[] {-0.7f, -0.7f, 0.5f, 20f, 100f}, y.toFloatArray(), "elu value");
        y.backward(Tensor.of(new float[] {1, 2, 3, 4, 5}));
        assertFiniteClose(new float[] {0f, 2.8856e-9f, 3f, 4f, 5f}, x.grad().toFloatArray(), "elu gradient");
    }

    /**
     * torch: F.binary_cross_entropy(p=[0, 1, 0.5], y=[1, 0, 1], reduction='sum') = 200.6931 (logs clamped at -100),
     * grad = (p − y) / max(p(1 − p), 1e-12) = [-1e12, 1e12, -2]; a perfect prediction p = y = [0, 1] has loss 0 and
     * gradient [0, 0]. Deneb's BCE takes log(0) = -inf and back-propagates 0·inf = NaN through the clamp.
     */
    @Test
    void bceGradientIsFiniteAtProbabilitiesZeroAndOne() {
        Tensor p = Tensor.of(new float[] {0f, 1f, 0.5f}).requiresGrad(true);
        Tensor loss = Losses.bce(p, Tensor.of(new float[] {1f, 0f, 1f}),
                Losses.BceOptions.defaults().reduction(Reduction.SUM));
        assertEquals(200.6931, loss.item(), 1e-3, "bce value with clamped logs");
        loss.backward();
        assertFiniteClose(new float[] {-1e12f, 1e12f, -2f}, p.grad().toFloatArray(), "bce gradient");

        Tensor perfect = Tensor.of(new float[] {0f, 1f}).requiresGrad(true);
        Tensor l2 = Losses.bce(perfect, Tensor.of(new float[] {0f, 1f}),
                Losses.BceOptions.defaults().reduction(Reduction.SUM));
        assertEquals(0.0, l2.item(), 0.0);
        l2.backward();
        assertFiniteClose(new float[] {0f, 0f}, perfect.grad().toFloatArray(), "bce gradient, perfect");
    }

    /**
     * torch: F.binary_cross_entropy_with_logits([0, 200, -200], [1, 0, 1], 'none') = [0.6931, 200, 200], grad
     * [-0.5, 1, -1].
     */
    @Test
    void bceWithLogitsIsStableForHugeLogits() {
        Tensor z = Tensor.of(new float[] {0f, 200f, -200f}).requiresGrad(true);
        Tensor l = Losses.bceWithLogits(z, Tensor.of(new float[] {1f, 0f, 1f}),
                Losses.BceOptions.defaults().reduction(Reduction.NONE));
        assertFiniteClose(new float[] {0.6931472f, 200f, 200f}, l.toFloatArray(), "value");
        l.sum().backward();
        assertFiniteClose(new float[] {-0.5f, 1f, -1f}, z.grad().toFloatArray(), "gradient");
    }

    /** torch: F.cross_entropy([[1e4, -1e4, 0]], [1], label_smoothing=0.1) = 19000, grad [0.9667, -0.9333, -0.0333]. */
    @Test
    void crossEntropyIsStableForHugeLogits() {
        Tensor c = Tensor.of(new float[] {1e4f, -1e4f, 0f}, 1, 3).requiresGrad(true);
        Tensor l = Losses.crossEntropy(c, Tensor.of(new long[] {1}),
                CrossEntropyOptions.defaults().labelSmoothing(0.1));
        assertEquals(19000.0, l.item(), 1e-2);
        l.backward();
        assertFiniteClose(new float[] {0.96666664f, -0.93333334f, -0.033333335f}, c.grad().toFloatArray(),
                "gradient");
    }

    /** Saturated sigmoid/tanh/softmax/silu/gelu have zero (not NaN) gradients, as in PyTorch. */
    @Test
    void saturatedActivationsHaveFiniteGradients() {
        for (Layer m : new Layer[] {Activation.sigmoid(), Activation.tanh(), Activation.softmax(1),
                Activation.logSoftmax(1), Activation.silu(), Activation.gelu(), Activation.leakyRelu(0.01)}) {
            Tensor x = Tensor.of(new float[] {-100f, -20f, 0f, 20f, 100f}, 1, 5).requiresGrad(true);
            Tensor y = m.forward(x);
            y.backward(Tensor.of(new float[] {1, 2, 3, 4, 5}, 1, 5));
            for (float g : x.grad().toFloatArray()) {
                assertTrue(Float.isFinite(g), m + ": " + Arrays.toString(x.grad().toFloatArray()));
            }
        }
    }
}
