package dev.deneb.autograd;

import static dev.deneb.autograd.TestData.assertValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where gradients are written: the layout a leaf's grad gets, and ReLU's rule computed in its own mask. */
class GradientBuffersTest {
    @Test
    void aWeightUsedTransposedGetsAContiguousGradientWithTheSameValues() {
        Generator g = new Generator(5);
        Tensor x = g.normal(0, 1, 8, 6);
        Tensor w = g.normal(0, 1, 4, 6).requiresGrad(true); // [out, in], used as in linear: x · wᵀ
        Tensor dy = g.normal(0, 1, 8, 4);
        x.matmul(w.t()).mul(dy).sum().backward();
        assertTrue(w.grad().isContiguous(), "the gradient takes the weight's (contiguous) layout");
        assertArrayEquals(x.t().matmul(dy).t().contiguous().toFloatArray(), w.grad().toFloatArray());
        // A non-contiguous leaf keeps whatever layout its gradient has.
        Tensor base = g.normal(0, 1, 6, 4);
        Tensor v = base.t().requiresGrad(true);
        assertFalse(v.isContiguous());
        x.matmul(v.t()).sum().backward();
        assertValues(x.sum(0).unsqueeze(0).expand(4, 6).toDoubleArray(), v.grad(), 1e-5);
    }

    @Test
    void reluRuleGivesTheSameBitsWithAndWithoutAGraphOfTheGradient() {
        Generator g = new Generator(9);
        Tensor x = g.normal(0, 1, 5, 7).requiresGrad(true);
        Tensor gy = g.normal(0, 1, 5, 7);
        Tensor expected = gy.mul(x.detach().gt(0).to(x.dtype()));
        Tensor first = Autograd.grad(x.relu(), gy, List.of(x), false, false).get(0);
        Tensor withGraph = Autograd.grad(x.relu(), gy, List.of(x), false, true).get(0);
        assertArrayEquals(expected.toFloatArray(), first.toFloatArray());
        assertArrayEquals(expected.toFloatArray(), withGraph.toFloatArray());
    }
}
