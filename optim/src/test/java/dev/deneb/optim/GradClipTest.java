package dev.deneb.optim;

import static dev.deneb.optim.TorchReference.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** clip_grad_norm_ and clip_grad_value_ against PyTorch 1.13 (fixture clip.json). */
class GradClipTest {
    static final Map<String, Object> FIXTURE = TorchReference.load("clip.json");

    static List<Tensor> params(DType dtype) {
        List<Object> shapes = TorchReference.list(FIXTURE.get("shapes"));
        List<double[]> grads = TorchReference.rows(FIXTURE.get("grads"));
        List<Tensor> out = new ArrayList<>();
        for (int j = 0; j < shapes.size(); j++) {
            int[] shape = TorchReference.ints(shapes.get(j));
            Tensor p = Tensor.zeros(dtype, shape).requiresGrad(true);
            p.setGrad((TorchReference.tensor(grads.get(j), shape, dtype)));
            out.add(p);
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void matchesPyTorch(DType dtype) {
        double rtol = dtype == DType.F64 ? 1e-6 : 1e-5;
        for (Map<String, Object> c : TorchReference.cases(FIXTURE)) {
            List<Tensor> p = params(dtype);
            String what;
            if (c.get("kind").equals("norm")) {
                Object nt = c.get("norm_type");
                double normType = nt instanceof String ? Double.POSITIVE_INFINITY : ((Number) nt).doubleValue();
                double maxNorm = ((Number) c.get("max_norm")).doubleValue();
                what = "clipGradNorm(" + maxNorm + ", " + normType + ") " + dtype;
                double total = GradClip.clipGradNorm(p, maxNorm, normType);
                assertClose(new double[] {((Number) c.get("total_norm")).doubleValue()}, new double[] {total},
                        rtol, 0, what + " total norm");
            } else {
                double clip = ((Number) c.get("clip_value")).doubleValue();
                what = "clipGradValue(" + clip + ") " + dtype;
                GradClip.clipGradValue(p, clip);
            }
            List<double[]> expected = TorchReference.rows(c.get("grads"));
            for (int j = 0; j < p.size(); j++) {
                assertClose(expected.get(j), p.get(j).grad().toDoubleArray(), rtol, 1e-7,
                        what + " grad " + j);
            }
        }
    }

    @Test
    void paramsWithoutGradsAreIgnored() {
        Tensor a = Tensor.zeros(DType.F64, 2).requiresGrad(true);
        Tensor b = Tensor.zeros(DType.F64, 2).requiresGrad(true);
        assertEquals(0.0, GradClip.clipGradNorm(List.of(a, b), 1.0));
        b.setGrad(Tensor.of(new double[] {3, 4}, 2));
        assertEquals(5.0, GradClip.clipGradNorm(List.of(a, b), 1.0), 1e-12);
        assertNull(a.grad());
        assertClose(new double[] {0.6, 0.8}, b.grad().toDoubleArray(), 1e-6, 0, "clipped");
    }

    @Test
    void smallGradsAreLeftAlone() {
        Tensor a = Tensor.zeros(DType.F64, 2).requiresGrad(true);
        Tensor g = Tensor.of(new double[] {0.3, 0.4}, 2);
        a.setGrad(g);
        assertEquals(0.5, GradClip.clipGradNorm(List.of(a), 1.0, 2.0), 1e-12);
        assertSame(g, a.grad());
    }

    @Test
    void badArgumentsAreRejected() {
        List<Tensor> p = params(DType.F64);
        var e = assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(p, -1, 2));
        assertTrue(e.getMessage().contains("clipGradNorm") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(p, 1, 0));
        assertTrue(e.getMessage().contains("norm type"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradValue(p, -0.5));
        assertTrue(e.getMessage().contains("clipGradValue") && e.getMessage().contains("-0.5"), e.getMessage());
    }
}
