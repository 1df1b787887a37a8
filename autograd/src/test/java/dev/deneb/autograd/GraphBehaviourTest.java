package dev.deneb.autograd;

import static dev.deneb.autograd.TestData.assertValues;
import static dev.deneb.autograd.TestData.f64;
import static dev.deneb.autograd.TestData.param;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.ValuesIndices;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * How the tape behaves: accumulation through diamonds and shared leaves, graph lifetime (retainGraph), noGrad,
 * detach, hooks, retainGrad, zeroGrad, createGraph, and the PyTorch conventions at ties and kinks.
 */
class GraphBehaviourTest {

    // =========================================================================================================
    // Accumulation
    // =========================================================================================================

    /** x -> a = 2x, b = x^2 -> y = a * b = 2x^3: the two paths meet again and both contribute. */
    @Test
    void diamondAccumulates() {
        Tensor x = param(1, -2, 3);
        Tensor a = x.mul(2);
        Tensor b = x.mul(x);
        a.mul(b).sum().backward();
        assertValues(new double[] {6, 24, 54}, x.grad(), 1e-12); // 6x^2
    }

    /** A deeper diamond: h used by three branches that meet at different depths. */
    @Test
    void nestedDiamondAccumulates() {
        Tensor x = param(0.5, -1.5);
        Tensor h = x.exp();
        Tensor y = h.mul(h).add(h.sin()).add(h.mul(3)).sum(); // e^{2x} + sin(e^x) + 3 e^x
        y.backward();
        double[] expected = new double[2];
        double[] xs = {0.5, -1.5};
        for (int i = 0; i < 2; i++) {
            double e = Math.exp(xs[i]);
            expected[i] = 2 * e * e + Math.cos(e) * e + 3 * e;
        }
        assertValues(expected, x.grad(), 1e-12);
    }

    @Test
    void sharedLeafInSeveralOps() {
        Tensor x = param(2, -1);
        Tensor w = param(3, 4);
        // y = x*w + x*x + w  -> dy/dx = w + 2x, dy/dw = x + 1
        x.mul(w).add(x.mul(x)).add(w).sum().backward();
        assertValues(new double[] {7, 2}, x.grad(), 1e-12);
        assertValues(new double[] {3, 0}, w.grad(), 1e-12);
    }

    @Test
    void leafSharedByTwoLossesSummed() {
        Tensor w = param(1, 2, 3);
        Tensor l1 = w.mul(2).sum();
        Tensor l2 = w.pow(2).sum();
        l1.add(l2).backward();
        assertValues(new double[] {4, 6, 8}, w.grad(), 1e-12);
    }

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        Tensor x = param(1, 2);
        x.mul(3).sum().backward();
        x.pow(2).sum().backward(); // a fresh graph on the same leaf
        assertValues(new double[] {3 + 2, 3 + 4}, x.grad(), 1e-12);
    }

    @Test
    void zeroGradClearsTheAccumulatedGradient() {
        Tensor x = param(1, 2);
        x.mul(3).sum().backward();
        x.zeroGrad();
        assertNull(x.grad());
        x.mul(5).sum().backward();
        assertValues(new double[] {5, 5}, x.grad(), 1e-12);
    }

    @Test
    void inputTheLossDoesNotDependOnGetsNoGradient() {
        Tensor x = param(1, 2);
        Tensor unused = param(3);
        x.sum().backward();
        assertNull(unused.grad());
        List<Tensor> g = Autograd.grad(x.mul(2).sum(), List.of(x, unused), false, false);
        assertValues(new double[] {2, 2}, g.get(0), 0);
        assertValues(new double[] {0}, g.get(1), 0);
    }

    @Test
    void leafGradientHasTheLeafsShapeAndDtype() {
        Tensor w = Tensor.ones(DType.F32, 3, 1).requiresGrad(true);
        Tensor x = Tensor.ones(DType.F64, 2, 3, 4);
        w.mul(x).sum().backward(); // broadcast and promoted to f64
        assertEquals(DType.F32, w.grad().dtype());
        assertTrue(java.util.Arrays.equals(new int[] {3, 1}, w.grad().shape()));
        assertValues(new double[] {8, 8, 8}, w.grad(), 0);
    }

    @Test
    void gradientOfNonScalarOutputWithGivenSeed() {
        Tensor x = param(1, 2, 3);
        x.mul(x).backward(f64(1, 0, -2));
        assertValues(new double[] {2, 0, -12}, x.grad(), 1e-12);
    }

    @Test
    void deepChainDoesNotOverflowTheStack() {
        Tensor x = param(1);
        Tensor y = x;
        for (int i = 0; i < 20_000; i++) {
            y = y.mul(1.0);
        }
        y.sum().backward();
        assertValues(new double[] {1}, x.grad(), 0);
    }

    // =========================================================================================================
    // Graph lifetime
    // =========================================================================================================

    @Test
    void backwardTwiceWithoutRetainGraphFailsClearly() {
        Tensor x = param(1, 2);
        Tensor loss = x.exp().sum();
        loss.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("retainGraph"), e.getMessage());
        assertTrue(e.getMessage().contains("second time"), e.getMessage());
    }

    @Test
    void backwardThroughAFreedIntermediateFailsClearly() {
        Tensor x = param(1, 2);
        Tensor h = x.exp();
        h.sum().backward();
        // a new op on top of the freed part of the graph: going back through 'exp' again must fail, not give 0
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> h.mul(2).sum().backward());
        assertTrue(e.getMessage().contains("retainGraph"), e.getMessage());
    }

    @Test
    void retainGraphAllowsBackwardTwiceAndDoublesGradients() {
        Tensor x = param(1, 2);
        Tensor loss = x.exp().sum();
        loss.backward(null, true, false);
        loss.backward(null, true, false);
        assertValues(new double[] {2 * Math.exp(1), 2 * Math.exp(2)}, x.grad(), 1e-12);
        loss.backward(); // the last one may free
        assertValues(new double[] {3 * Math.exp(1), 3 * Math.exp(2)}, x.grad(), 1e-12);
        assertThrows(IllegalStateException.class, loss::backward);
    }

    @Test
    void autogradGradWithRetainGraphCanBeCalledTwice() {
        Tensor x = param(1, 2);
        Tensor y = x.pow(2).sum();
        Tensor g1 = Autograd.grad(y, List.of(x), true, false).get(0);
        Tensor g2 = Autograd.grad(y, List.of(x), false, false).get(0);
        assertValues(new double[] {2, 4}, g1, 0);
        assertValues(new double[] {2, 4}, g2, 0);
        assertNull(x.grad());
        assertThrows(IllegalStateException.class, () -> Autograd.grad(y, List.of(x), false, false));
    }

    @Test
    void gradientsWithoutCreateGraphAreConstants() {
        Tensor x = param(1, 2);
        x.pow(3).sum().backward();
        assertFalse(x.grad().requiresGrad());
        assertTrue(x.grad().isLeaf());
    }

    @Test
    void createGraphGradientIsDifferentiable() {
        Tensor x = param(1, 2);
        x.pow(3).sum().backward(null, false, true);
        Tensor g = x.grad();
        assertTrue(g.requiresGrad());
        assertFalse(g.isLeaf());
        // gradient penalty: d/dx sum(g^2) = sum(9 x^4)' = 36 x^3
        x.zeroGrad();
        g.pow(2).sum().backward();
        assertValues(new double[] {36, 288}, x.grad(), 1e-10);
    }

    // =========================================================================================================
    // noGrad and detach
    // =========================================================================================================

    @Test
    void noGradRecordsNothing() {
        Tensor x = param(1, 2);
        Tensor y;
        try (GradMode.Scope s = Autograd.noGrad()) {
            assertFalse(GradMode.isEnabled());
            y = x.mul(2).exp().sum();
        }
        assertTrue(GradMode.isEnabled());
        assertFalse(y.requiresGrad());
        assertTrue(y.isLeaf());
        assertNull(y.gradFn());
        assertThrows(IllegalArgumentException.class, y::backward);
        assertNull(x.grad());
    }

    @Test
    void noGradScopesNestAndRestore() {
        Tensor x = param(3);
        try (GradMode.Scope outer = GradMode.noGrad()) {
            try (GradMode.Scope inner = GradMode.enableGrad()) {
                Tensor y = x.mul(x);
                assertTrue(y.requiresGrad());
                assertEquals("mul", y.gradFn().op().name());
                y.backward();
            }
            assertFalse(GradMode.isEnabled());
            try (GradMode.Scope inner = GradMode.noGrad()) {
                assertFalse(GradMode.isEnabled());
            }
            assertFalse(GradMode.isEnabled());
        }
        assertTrue(GradMode.isEnabled());
        assertValues(new double[] {6}, x.grad(), 0);
    }

    @Test
    void noGradIsPerThread() throws Exception {
        Tensor x = param(1);
        boolean[] recorded = new boolean[1];
        try (GradMode.Scope s = GradMode.noGrad()) {
            Thread t = new Thread(() -> recorded[0] = x.mul(2).requiresGrad());
            t.start();
            t.join();
        }
        assertTrue(recorded[0], "noGrad in one thread must not switch off recording in another");
    }

    @Test
    void backwardInsideNoGradStillWorks() {
        Tensor x = param(1, 2);
        Tensor loss = x.pow(2).sum();
        try (GradMode.Scope s = GradMode.noGrad()) {
            loss.backward();
        }
        assertValues(new double[] {2, 4}, x.grad(), 0);
    }

    @Test
    void detachStopsGradients() {
        Tensor x = param(1, 2, 3);
        Tensor c = x.mul(2).detach();
        assertFalse(c.requiresGrad());
        assertTrue(c.isLeaf());
        // y = c * x with c treated as a constant: dy/dx = c = 2x, not 4x
        c.mul(x).sum().backward();
        assertValues(new double[] {2, 4, 6}, x.grad(), 0);
    }

    @Test
    void detachSharesData() {
        Tensor x = param(1, 2);
        Tensor d = x.detach();
        assertSame(x.storage(), d.storage());
    }

    @Test
    void opsOnConstantsAreNotRecorded() {
        Tensor a = f64(1, 2);
        Tensor b = a.mul(a).exp();
        assertFalse(b.requiresGrad());
        assertTrue(b.isLeaf());
    }

    // =========================================================================================================
    // Hooks and retainGrad
    // =========================================================================================================

    @Test
    void hookOnIntermediateFiresOnceWithTheTotalGradient() {
        Tensor x = param(1, 2);
        Tensor h = x.mul(3);
        AtomicInteger calls = new AtomicInteger();
        List<Tensor> seen = new ArrayList<>();
        h.registerHook(g -> {
            calls.incrementAndGet();
            seen.add(g.detach());
            return null; // keep the gradient
        });
        // h used three times: the hook must see the sum, once
        h.add(h).add(h.mul(h)).sum().backward();
        assertEquals(1, calls.get());
        assertValues(new double[] {2 + 2 * 3, 2 + 2 * 6}, seen.get(0), 1e-12);
        assertValues(new double[] {3 * 8, 3 * 14}, x.grad(), 1e-12);
    }

    @Test
    void hookOnLeafFiresOncePerBackward() {
        Tensor x = param(1, 2);
        AtomicInteger calls = new AtomicInteger();
        x.registerHook(g -> {
            calls.incrementAndGet();
            return g;
        });
        x.mul(x).add(x).sum().backward();
        assertEquals(1, calls.get());
        x.mul(2).sum().backward();
        assertEquals(2, calls.get());
    }

    @Test
    void hookCanReplaceTheGradient() {
        Tensor x = param(1, 2);
        Tensor h = x.mul(3);
        h.registerHook(g -> g.mul(10));
        h.sum().backward();
        assertValues(new double[] {30, 30}, x.grad(), 0);
    }

    @Test
    void severalHooksRunInOrder() {
        Tensor x = param(1);
        List<String> order = new ArrayList<>();
        x.registerHook(g -> {
            order.add("first");
            return g.mul(2);
        });
        x.registerHook(g -> {
            order.add("second:" + g.item());
            return g.add(1);
        });
        x.mul(5).sum().backward();
        assertEquals(List.of("first", "second:10.0"), order);
        assertValues(new double[] {11}, x.grad(), 0);
    }

    @Test
    void retainGradKeepsTheGradientOfANonLeaf() {
        Tensor x = param(1, 2);
        Tensor h = x.mul(3).retainGrad();
        Tensor other = x.mul(4);
        h.mul(h).add(other).sum().backward();
        assertValues(new double[] {6, 12}, h.grad(), 1e-12);
        assertNull(other.grad(), "a non-leaf without retainGrad keeps no gradient");
        assertValues(new double[] {22, 40}, x.grad(), 1e-12);
    }

    // =========================================================================================================
    // Ties and non-differentiable points (PyTorch's choices)
    // =========================================================================================================

    private static double[] gradOf(java.util.function.UnaryOperator<Tensor> f, double... x) {
        Tensor v = param(x);
        f.apply(v).sum().backward();
        return v.grad().toDoubleArray();
    }

    @Test
    void reluAtZeroHasGradientZero() {
        assertValues(new double[] {0, 0, 1}, Tensor.of(gradOf(Tensor::relu, -1, 0, 2)), 0);
    }

    @Test
    void absAtZeroHasGradientZero() {
        assertValues(new double[] {-1, 0, 1}, Tensor.of(gradOf(Tensor::abs, -1, 0, 2)), 0);
    }

    @Test
    void signHasGradientZeroEverywhere() {
        assertValues(new double[] {0, 0, 0}, Tensor.of(gradOf(Tensor::sign, -1, 0, 2)), 0);
    }

    @Test
    void clampPassesTheGradientAtItsBounds() {
        assertValues(new double[] {0, 1, 1, 1, 0}, Tensor.of(gradOf(v -> v.clamp(-1, 1), -2, -1, 0, 1, 2)), 0);
    }

    @Test
    void maximumAndMinimumSplitTiesInHalf() {
        Tensor a = param(1, 2, 3);
        Tensor b = param(1, 5, 0);
        a.maximum(b).sum().backward();
        assertValues(new double[] {0.5, 0, 1}, a.grad(), 0);
        assertValues(new double[] {0.5, 1, 0}, b.grad(), 0);
        a.zeroGrad();
        b.zeroGrad();
        a.minimum(b).sum().backward();
        assertValues(new double[] {0.5, 1, 0}, a.grad(), 0);
        assertValues(new double[] {0.5, 0, 1}, b.grad(), 0);
    }

    @Test
    void maximumWithScalarAtTheTie() {
        // relu written as maximum(x, 0): PyTorch gives 0.5 at x == 0
        assertValues(new double[] {0, 0.5, 1}, Tensor.of(gradOf(v -> v.maximum(0), -1, 0, 2)), 0);
    }

    @Test
    void amaxTiesShareTheGradientEqually() {
        assertValues(new double[] {0, 0.5, 0.5, 0}, Tensor.of(gradOf(Tensor::max, 1, 3, 3, 2)), 0);
        assertValues(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, Tensor.of(gradOf(Tensor::min, 7, 7, 7)), 1e-15);
        Tensor x = Tensor.of(new double[] {1, 4, 4, 4, 2, 4}).reshape(2, 3).requiresGrad(true);
        x.amax(new int[] {1}, false).sum().backward();
        assertValues(new double[] {0, 0.5, 0.5, 0.5, 0, 0.5}, x.grad(), 1e-15);
        Tensor y = Tensor.of(new double[] {1, 4, 4, 4, 2, 4}).reshape(2, 3).requiresGrad(true);
        y.amax(new int[] {0, 1}, true).sum().backward();
        assertValues(new double[] {0, 0.25, 0.25, 0.25, 0, 0.25}, y.grad(), 1e-15);
        Tensor z = Tensor.of(new double[] {0, 0, 3, 5, 0, 5}).reshape(2, 3).requiresGrad(true);
        z.amin(new int[] {1}, true).sum().backward();
        assertValues(new double[] {0.5, 0.5, 0, 0, 1, 0}, z.grad(), 1e-15);
    }

    @Test
    void maxAlongAxisSendsTheGradientToTheReturnedIndex() {
        Tensor x = Tensor.of(new double[] {1, 4, 4, 4, 2, 4}).reshape(2, 3).requiresGrad(true);
        ValuesIndices m = x.max(1, false);
        m.values().sum().backward();
        long[] idx = m.indices().toLongArray();
        double[] g = x.grad().toDoubleArray();
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(c == idx[r] ? 1.0 : 0.0, g[r * 3 + c], "row " + r + " col " + c + " idx " + idx[r]);
            }
        }
        // and the returned index is one of the maxima
        assertEquals(4.0, x.get(0, (int) idx[0]));
        assertEquals(4.0, x.get(1, (int) idx[1]));
        Tensor y = Tensor.of(new double[] {3, 1, 1, 3}).reshape(2, 2).requiresGrad(true);
        ValuesIndices mn = y.min(0, true);
        mn.values().sum().backward();
        long[] yi = mn.indices().toLongArray();
        double total = 0;
        for (double v : y.grad().toDoubleArray()) {
            total += v;
        }
        assertEquals(2.0, total);
        assertEquals(1.0, y.grad().get((int) yi[0], 0));
        assertEquals(1.0, y.grad().get((int) yi[1], 1));
    }

    @Test
    void prodGradientWithOneAndTwoZeros() {
        assertValues(new double[] {0, 6, 0}, Tensor.of(gradOf(Tensor::prod, 2, 0, 3)), 0);
        assertValues(new double[] {0, 0, 0}, Tensor.of(gradOf(Tensor::prod, 0, 0, 3)), 0);
        assertValues(new double[] {6, 3, 2}, Tensor.of(gradOf(Tensor::prod, 1, 2, 3)), 1e-15);
    }

    @Test
    void powOfZeroBaseFollowsPyTorch() {
        // d/db a^b at a = 0, b >= 0 is taken as 0 (not NaN from log 0)
        Tensor a = param(0, 0, 2);
        Tensor b = param(2, 3, 3);
        a.pow(b).sum().backward();
        assertValues(new double[] {0, 0, 12}, a.grad(), 1e-12);
        assertValues(new double[] {0, 0, 8 * Math.log(2)}, b.grad(), 1e-12);
    }

    @Test
    void powOfZeroBaseAndZeroExponentFollowsPyTorch() {
        // PyTorch: d/da a^b = b a^(b-1) masked to 0 where b == 0, so 0^0 has gradient 0 for a and for b
        Tensor a = param(0, 0);
        Tensor b = param(0, 1);
        a.pow(b).sum().backward();
        assertValues(new double[] {0, 1}, a.grad(), 0);
        assertValues(new double[] {0, 0}, b.grad(), 0);
        Tensor c = param(0);
        c.pow(0).sum().backward();
        assertValues(new double[] {0}, c.grad(), 0);
    }

    @Test
    void softplusAboveThresholdHasSlopeOne() {
        assertValues(new double[] {1, 1}, Tensor.of(gradOf(Tensor::softplus, 20.5, 100)), 0);
    }

    @Test
    void normAtZeroHasGradientZeroAsInPyTorch() {
        // PyTorch masks a p-norm's gradient to 0 where the norm is 0 (instead of 0 * inf = NaN)
        assertAll(
                () -> assertValues(new double[] {0, 0, 0}, Tensor.of(gradOf(Tensor::norm, 0, 0, 0)), 0),
                () -> assertValues(new double[] {0, 0, 0}, Tensor.of(gradOf(v -> v.norm(2, new int[0], false),
                        0, 0, 0)), 0),
                () -> assertValues(new double[] {0, 0, 0}, Tensor.of(gradOf(v -> v.norm(3, new int[0], false),
                        0, 0, 0)), 0),
                () -> assertValues(new double[] {0, 0, 0}, Tensor.of(gradOf(v -> v.norm(1, new int[0], false),
                        0, 0, 0)), 0),
                () -> assertValues(new double[] {0, 0, 0}, Tensor.of(gradOf(v -> v.norm(Double.POSITIVE_INFINITY,
                        new int[0], false), 0, 0, 0)), 0));
    }

    @Test
    void normOfARowThatIsZeroDoesNotPoisonTheOtherRows() {
        Tensor x = Tensor.of(new double[] {0, 0, 3, 4}).reshape(2, 2).requiresGrad(true);
        x.norm(2, new int[] {1}, false).sum().backward();
        assertValues(new double[] {0, 0, 0.6, 0.8}, x.grad(), 1e-12);
    }

    @Test
    void normInfTiesShareTheGradient() {
        assertValues(new double[] {-0.5, 0, 0.5}, Tensor.of(gradOf(v -> v.norm(Double.POSITIVE_INFINITY,
                new int[0], false), -2, 1, 2)), 0);
    }

    // =========================================================================================================
    // Autograd.grad with respect to intermediates
    // =========================================================================================================

    @Test
    void autogradGradWithRespectToAnIntermediate() {
        Tensor x = param(1, 2);
        Tensor h = x.mul(3);
        Tensor y = h.pow(2).sum();
        List<Tensor> g = Autograd.grad(y, List.of(h, x), false, false);
        assertValues(new double[] {6, 12}, g.get(0), 1e-12);
        assertValues(new double[] {18, 36}, g.get(1), 1e-12);
        assertNull(x.grad());
        assertNull(h.grad());
    }

    @Test
    void scatterOverwrittenElementsGetNoGradient() {
        Tensor x = param(1, 2, 3, 4);
        Tensor src = param(10, 20);
        Tensor idx = Tensor.of(new long[] {3, 0});
        x.scatter(0, idx, src).mul(f64(1, 2, 3, 4)).sum().backward();
        assertValues(new double[] {0, 2, 3, 0}, x.grad(), 0);
        assertValues(new double[] {4, 1}, src.grad(), 0);
    }

    @Test
    void embeddingGradientAddsUpRepeatedRows() {
        Tensor w = Tensor.zeros(DType.F64, 3, 2).requiresGrad(true);
        Tensor.embedding(w, Tensor.of(new long[] {2, 0, 2, 2})).sum().backward();
        assertValues(new double[] {1, 1, 0, 0, 3, 3}, w.grad(), 0);
    }

    // =========================================================================================================
    // Custom ops with Tensor.record
    // =========================================================================================================

    @Test
    void customOpWithRecordIsDifferentiated() {
        Tensor x = param(1, 2, 3);
        Tensor y = Autograd.function("square", x.detach().mul(x.detach()), g -> new Tensor[] {g.mul(x).mul(2)}, x);
        assertEquals("square", y.gradFn().op().name());
        y.sum().backward();
        assertValues(new double[] {2, 4, 6}, x.grad(), 0);
    }

    @Test
    void recordWithoutGradInputsRecordsNothing() {
        Tensor c = f64(1, 2);
        Tensor y = Autograd.function("square", c.detach().mul(c.detach()), g -> {
            throw new AssertionError("must not run");
        }, c);
        assertTrue(y.isLeaf());
        assertFalse(y.requiresGrad());
    }

    @Test
    void ruleMayReturnNullForAnInputWithoutGradient() {
        Tensor x = param(1, 2);
        Tensor k = f64(5, 6);
        Tensor y = Autograd.function("scale", x.detach().mul(k.detach()), g -> new Tensor[] {g.mul(k), null}, x, k);
        y.sum().backward();
        assertValues(new double[] {5, 6}, x.grad(), 0);
    }
}
