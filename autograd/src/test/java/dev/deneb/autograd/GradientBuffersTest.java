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

    @Test
    void chunkAndOverlappingSlicesSumTheirGradientsWithAndWithoutAGraph() {
        Generator g = new Generator(11);
        Tensor x = g.normal(0, 1, 6, 5).requiresGrad(true);
        Tensor w = g.normal(0, 1, 6, 5);
        List<Tensor> parts = x.mul(2).chunk(3, 0);
        Tensor loss = parts.get(0).mul(w.narrow(0, 0, 2)).sum()
                .add(parts.get(2).mul(3).sum())
                .add(x.narrow(0, 1, 4).mul(w.narrow(0, 2, 4)).sum()) // overlaps the first and last chunk
                .add(x.narrow(1, 3, 2).sum());                     // a column slice: a strided region
        double[] expected = new double[30];
        double[] wv = w.toDoubleArray();
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 5; j++) {
                double e = i < 2 ? 2 * wv[i * 5 + j] : i >= 4 ? 6 : 0;
                e += i >= 1 && i < 5 ? wv[(i + 1) * 5 + j] : 0;
                e += j >= 3 ? 1 : 0;
                expected[i * 5 + j] = e;
            }
        }
        Tensor first = Autograd.grad(loss, null, List.of(x), true, false).get(0);
        Tensor withGraph = Autograd.grad(loss, null, List.of(x), false, true).get(0);
        assertValues(expected, first, 1e-5);
        assertArrayEquals(withGraph.detach().toFloatArray(), first.toFloatArray());
    }

    @Test
    void aGradientHandedToTwoTensorsIsNeverChangedInPlace() {
        // The rule of a + b hands the same tensor to both inputs; a then gets a second gradient. Summing in place
        // into the shared tensor would also change b's gradient.
        Tensor x = Tensor.of(new float[] {1, 2, 3}).requiresGrad(true);
        Tensor z = Tensor.of(new float[] {4, 5, 6}).requiresGrad(true);
        Tensor a = x.mul(2);
        Tensor b = z.mul(3);
        a.add(b).sum().add(a.sum()).add(a.sum()).backward();
        assertArrayEquals(new float[] {6, 6, 6}, x.grad().toFloatArray());
        assertArrayEquals(new float[] {3, 3, 3}, z.grad().toFloatArray());
    }
}
