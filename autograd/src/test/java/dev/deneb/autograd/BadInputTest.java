package dev.deneb.autograd;

import static dev.deneb.autograd.TestData.assertValues;
import static dev.deneb.autograd.TestData.f64;
import static dev.deneb.autograd.TestData.param;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Misuse must end in a clear exception that names the problem, never in a wrong gradient. */
class BadInputTest {

    private static void assertMentions(Throwable e, String... words) {
        for (String w : words) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(w),
                    "message should mention '" + w + "': " + e.getMessage());
        }
    }

    // ---- backward's arguments ----

    @Test
    void backwardOnNonScalarWithoutGradient() {
        Tensor x = param(1, 2, 3);
        Tensor y = x.mul(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, y::backward);
        assertMentions(e, "[3]", "one-element");
    }

    @Test
    void backwardWithGradientOfTheWrongShape() {
        Tensor x = Tensor.ones(DType.F64, 2, 3).requiresGrad(true);
        Tensor y = x.mul(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> y.backward(Tensor.ones(DType.F64, 3, 2)));
        assertMentions(e, "[3, 2]", "[2, 3]");
    }

    @Test
    void backwardWithBroadcastableButDifferentGradientShapeIsRejected() {
        Tensor x = Tensor.ones(DType.F64, 2, 3).requiresGrad(true);
        Tensor y = x.mul(2);
        assertThrows(IllegalArgumentException.class, () -> y.backward(Tensor.ones(DType.F64, 3)));
    }

    @Test
    void backwardThroughATensorThatDoesNotRequireGrad() {
        Tensor x = f64(1, 2);
        Tensor loss = x.mul(x).sum();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, loss::backward);
        assertMentions(e, "does not require grad");
    }

    @Test
    void autogradGradOnOutputThatDoesNotRequireGrad() {
        Tensor x = param(1, 2);
        Tensor c = f64(1, 2).sum();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autograd.grad(c, List.of(x), false, false));
        assertMentions(e, "does not require grad");
    }

    @Test
    void autogradGradWithInputThatDoesNotRequireGrad() {
        Tensor x = param(1, 2);
        Tensor c = f64(1, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autograd.grad(x.mul(c).sum(), List.of(x, c), false, false));
        assertMentions(e, "input 1", "does not require");
    }

    @Test
    void autogradGradOnNonScalarWithoutGradient() {
        Tensor x = param(1, 2);
        assertThrows(IllegalArgumentException.class, () -> Autograd.grad(x.mul(2), List.of(x), false, false));
    }

    // ---- requiresGrad ----

    @Test
    void requiresGradOnIntegerTensor() {
        Tensor i = Tensor.of(new long[] {1, 2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> i.requiresGrad(true));
        assertMentions(e, "floating", "i64");
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new int[] {1}).requiresGrad(true));
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new boolean[] {true}).requiresGrad(true));
        assertDoesNotThrow(() -> i.requiresGrad(false));
    }

    @Test
    void requiresGradFalseOnNonLeaf() {
        Tensor x = param(1, 2);
        Tensor y = x.exp();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
        assertMentions(e, "leaves", "exp", "detach");
    }

    @Test
    void requiresGradFalseOnLeafStopsTracking() {
        Tensor x = param(1, 2);
        x.requiresGrad(false);
        Tensor y = x.mul(2);
        assertTrue(y.isLeaf());
    }

    @Test
    void registerHookOnATensorWithoutGrad() {
        Tensor c = f64(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.registerHook(g -> g));
        assertMentions(e, "does not require gradients");
    }

    // ---- setData / setGrad ----

    @Test
    void setDataWithWrongShapeOrDtype() {
        Tensor x = param(1, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.setData(f64(1, 2, 3)));
        assertMentions(e, "[2]", "[3]");
        assertThrows(IllegalArgumentException.class, () -> x.setData(Tensor.of(new float[] {1, 2})));
    }

    @Test
    void setDataOnNonLeaf() {
        Tensor y = param(1, 2).exp();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.setData(f64(3, 4)));
        assertMentions(e, "leaves", "exp");
    }

    @Test
    void setGradWithWrongShape() {
        Tensor x = param(1, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> x.setGrad(f64(1, 2, 3)));
        assertMentions(e, "[3]", "[2]");
    }

    // ---- in-place modification of saved values ----

    @Test
    void inPlaceChangeOfAnInputTheRuleNeeds() {
        Tensor x = param(1, 2);
        Tensor w = param(3, 4);
        Tensor loss = x.mul(w).sum();
        w.detach().copyFrom(f64(30, 40)); // the mul rule needs the old w for x's gradient
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertMentions(e, "mul", "modified in place");
    }

    @Test
    void inPlaceChangeOfASavedOutput() {
        Tensor x = param(1, 2);
        Tensor y = x.exp(); // the exp rule uses its own output
        Tensor loss = y.sum();
        y.detach().fill(0);
        // ('sum', the consumer of y, reads no value; exp's own rule notices)
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertMentions(e, "modified in place", "version 0, now 1");
    }

    @Test
    void inPlaceChangeOfAnOutputThatIsTheRoot() {
        Tensor x = param(1, 2);
        Tensor y = x.exp().sum(new int[] {0}, true); // y is the root: only its own node can notice
        Tensor z = x.sigmoid();
        z.detach().fill(3);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> z.backward(Tensor.ones(DType.F64, 2)));
        assertMentions(e, "sigmoid", "its output", "modified in place");
        assertDoesNotThrow(() -> y.backward());
    }

    @Test
    void inPlaceChangeThroughAViewOfTheSameStorage() {
        Tensor x = param(1, 2, 3, 4);
        Tensor loss = x.pow(2).sum();
        x.detach().slice(0, 2, 4).fill(7); // a view shares x's storage
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertMentions(e, "pow", "modified in place");
    }

    /** Only values a rule reads are guarded: add reads neither input, exp reads its output, not its input. */
    @Test
    void inPlaceChangeOfAValueNoRuleReadsIsFine() {
        Tensor x = param(1, 2);
        Tensor c = f64(3, 4);
        Tensor y = x.add(c).exp();
        c.fill(0);
        x.detach().fill(9);
        assertDoesNotThrow(() -> y.sum().backward());
        assertValues(new double[] {Math.exp(4), Math.exp(6)}, x.grad(), 1e-9);
    }

    /** A constant saved by a rule (mul keeps c for x's gradient) is guarded although it does not require grad. */
    @Test
    void inPlaceChangeOfASavedConstant() {
        Tensor x = param(1, 2);
        Tensor c = f64(3, 4);
        Tensor y = x.mul(c).sum();
        c.fill(0);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertMentions(e, "mul", "input 1", "modified in place");
    }

    @Test
    void inPlaceChangeOfATrackedTensorIsRefusedWhileRecording() {
        Tensor x = param(1, 2);
        Tensor h = x.mul(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> h.addInPlace(1));
        assertMentions(e, "addInPlace", "requires grad", "out-of-place", "noGrad");
    }

    /** An optimizer's in-place update after backward is fine: the graph is no longer needed. */
    @Test
    void inPlaceChangeAfterBackwardIsAllowed() {
        Tensor w = param(1, 2);
        w.mul(w).sum().backward();
        assertDoesNotThrow(() -> w.detach().copyFrom(w.detach().sub(w.grad().mul(0.1))));
        w.zeroGrad();
        w.mul(w).sum().backward();
        assertValues(new double[] {1.6, 3.2}, w.grad(), 1e-12);
    }

    /**
     * setData replaces the value of a leaf; a recorded op that saved the old value must not silently use the new
     * one: backward should fail with a clear message (or, at least, give the gradient of what was computed).
     */
    @Test
    void setDataOfAValueTheTapeStillNeeds() {
        Tensor x = param(1, 2);
        Tensor w = param(3, 4);
        Tensor loss = x.mul(w).sum();
        w.setData(f64(30, 40));
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward,
                () -> "backward after setData gave x.grad = " + (x.grad() == null ? "null"
                        : java.util.Arrays.toString(x.grad().toDoubleArray()))
                        + " (the recorded w was [3, 4])");
        assertMentions(e, "mul");
    }

    // ---- a custom rule that breaks the contract ----

    @Test
    void ruleReturningAGradientOfTheWrongShape() {
        Tensor x = param(1, 2, 3);
        Tensor y = Autograd.function("broken", x.detach().mul(2), g -> new Tensor[] {g.sum()}, x);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
        assertMentions(e, "broken", "[3]");
    }

    // ---- tensor-core's argument checks surface through Tensor ----

    @Test
    void badShapesInOpsAreReportedByTheForwardPass() {
        Tensor a = Tensor.ones(DType.F64, 2, 3).requiresGrad(true);
        Tensor b = Tensor.ones(DType.F64, 4, 2).requiresGrad(true);
        assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertThrows(IllegalArgumentException.class, () -> a.matmul(b));
        assertThrows(IllegalArgumentException.class, () -> a.sum(new int[] {5}, false));
        assertThrows(IllegalArgumentException.class, () -> a.reshape(5));
        assertThrows(IllegalArgumentException.class, () -> a.narrow(1, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> a.var(new int[] {7}, 1, false));
        assertThrows(IllegalArgumentException.class, () -> a.indexSelect(0, Tensor.of(new long[] {2})));
        assertThrows(IllegalArgumentException.class, () -> a.gather(0, Tensor.of(new double[] {0}).reshape(1, 1)));
    }

    @Test
    void gradCheckWithNoDifferentiableInputSaysSo() {
        GradCheck.Result r = GradCheck.check(v -> v.get(0).mul(2), List.of(Tensor.of(new long[] {1, 2})),
                GradCheck.Options.defaults());
        assertTrue(r.message().contains("nothing to check"), r.message());
    }
}
