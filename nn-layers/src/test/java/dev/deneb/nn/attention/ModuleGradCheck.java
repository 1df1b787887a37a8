package dev.deneb.nn.attention;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.deneb.autograd.GradCheck;
import dev.deneb.nn.Layer;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Gradient checks for layers. Inputs: {@link GradCheck} in f64. Parameters: the layer is initialised in f32 and moved
 * to f64 ({@code layer.to(DType.F64)}; layers refuse inputs of another dtype than their parameters), so the whole
 * computation runs in f64 with parameter values that are exact f32 numbers; each checked parameter
 * element is moved to the neighbouring f32 values p±h (h ≈ 1e-3·max(1,|p|)), and the central difference over the
 * exact step is compared with the analytic gradient.
 */
public final class ModuleGradCheck {
    private ModuleGradCheck() {}

    /** f64 GradCheck of {@code f} with respect to its inputs. */
    public static void inputs(Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        GradCheck.Result r = GradCheck.check(f, List.of(inputs), GradCheck.Options.defaults());
        if (!r.passed()) {
            throw new AssertionError(r.message());
        }
    }

    /** Checks every parameter of {@code m} (up to {@code perTensor} elements each) for the scalar {@code loss}. */
    public static void parameters(Layer m, Supplier<Tensor> loss, int perTensor) {
        m.zeroGrad();
        Tensor l = loss.get();
        if (l.dtype() != DType.F64) {
            throw new IllegalStateException("the loss must be computed in f64 (give f64 inputs)");
        }
        l.backward();
        for (Map.Entry<String, Tensor> e : m.namedParameters().entrySet()) {
            Tensor p = e.getValue();
            assertNotNull(p.grad(), "no gradient for " + e.getKey());
            double[] analytic = p.grad().toDoubleArray();
            Tensor data = p.detach();
            float[] values = data.toFloatArray();
            int n = values.length;
            int stride = Math.max(1, n / perTensor);
            for (int i = 0; i < n; i += stride) {
                float v = values[i];
                float h = 1e-3f * Math.max(1f, Math.abs(v));
                float plus = v + h;
                float minus = v - h;
                values[i] = plus;
                data.copyFrom(Tensor.of(values, data.shape()));
                double lp = loss.get().item();
                values[i] = minus;
                data.copyFrom(Tensor.of(values, data.shape()));
                double lm = loss.get().item();
                values[i] = v;
                data.copyFrom(Tensor.of(values, data.shape()));
                double numeric = (lp - lm) / ((double) plus - (double) minus);
                double tol = 2e-4 + 2e-3 * Math.abs(numeric);
                if (!(Math.abs(numeric - analytic[i]) <= tol)) {
                    fail("gradient of " + e.getKey() + " element " + i + ": analytic " + analytic[i] + ", numeric "
                            + numeric);
                }
            }
        }
    }

    /** A fixed f64 weighting of the output, so the check sees every output element: sum(y * w). */
    public static Tensor weightedSum(Tensor y) {
        double[] w = new double[y.numel()];
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.sin(0.7 * i + 0.3);
        }
        return y.mul((Tensor.of(w, y.shape()))).sum();
    }
}
