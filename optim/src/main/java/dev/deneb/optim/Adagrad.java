package dev.deneb.optim;

import dev.deneb.tensor.Tensor;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adagrad, as PyTorch 1.13:
 * <pre>
 * g += weight_decay * p
 * clr = lr / (1 + (t - 1) * lr_decay)
 * sum += g * g                  (sum starts at initial_accumulator_value)
 * p -= clr * g / (sqrt(sum) + eps)
 * </pre>
 */
public final class Adagrad extends Optimizer {

    /** PyTorch's defaults: lr 1e-2, no lr decay, no weight decay, accumulator starting at 0, eps 1e-10. */
    public record Options(double lr, double lrDecay, double weightDecay, double initialAccumulatorValue,
                          double eps) {
        public static Options defaults() {
            return new Options(1e-2, 0, 0, 0, 1e-10);
        }

        public Options lr(double v) { return new Options(v, lrDecay, weightDecay, initialAccumulatorValue, eps); }
        public Options lrDecay(double v) { return new Options(lr, v, weightDecay, initialAccumulatorValue, eps); }
        public Options weightDecay(double v) { return new Options(lr, lrDecay, v, initialAccumulatorValue, eps); }
        public Options initialAccumulatorValue(double v) { return new Options(lr, lrDecay, weightDecay, v, eps); }
        public Options eps(double v) { return new Options(lr, lrDecay, weightDecay, initialAccumulatorValue, v); }

        Map<String, Double> toMap() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("lr", lr);
            m.put("lr_decay", lrDecay);
            m.put("weight_decay", weightDecay);
            m.put("initial_accumulator_value", initialAccumulatorValue);
            m.put("eps", eps);
            return m;
        }
    }

    public Adagrad(Collection<Tensor> params) {
        this(params, Options.defaults());
    }

    public Adagrad(Collection<Tensor> params, Options options) {
        this(single(params), options);
    }

    public Adagrad(List<ParamGroup> groups, Options options) {
        super("Adagrad", groups, options.toMap());
    }

    @Override
    protected void validate(ParamGroup g) {
        g.nonNegative("lr");
        g.nonNegative("lr_decay");
        g.nonNegative("weight_decay");
        g.nonNegative("initial_accumulator_value");
        g.nonNegative("eps");
    }

    @Override
    protected void update(ParamGroup g, Tensor param, Tensor grad, ParamState state) {
        double wd = g.get("weight_decay");
        double eps = g.get("eps");
        // PyTorch fills the accumulator when the optimizer is built; the first update is the same moment here
        Tensor sum = state.buffer("sum", param, g.get("initial_accumulator_value"));
        double clr = g.get("lr") / (1 + (state.step() - 1) * g.get("lr_decay"));

        FloatView[] f = fused() ? FloatView.all(param, grad, sum) : null;
        if (f != null) {
            fusedF32(f, param.numel(), (float) clr, (float) eps, (float) wd);
            param.storage().bumpVersion();
            return;
        }
        Tensor gr = wd != 0 ? grad.add(param.mul(wd)) : grad;
        sum.copyFrom(sum.add(gr.mul(gr)));
        param.copyFrom(param.sub(gr.div(sum.sqrt().add(eps)).mul(clr)));
    }

    private static void fusedF32(FloatView[] f, int n, float clr, float eps, float wd) {
        float[] pa = f[0].array();
        float[] ga = f[1].array();
        float[] sa = f[2].array();
        int po = f[0].offset();
        int go = f[1].offset();
        int so = f[2].offset();
        for (int i = 0; i < n; i++) {
            float p = pa[po + i];
            float g = ga[go + i] + wd * p;
            float s = sa[so + i] + g * g;
            sa[so + i] = s;
            pa[po + i] = p - clr * g / ((float) Math.sqrt(s) + eps);
        }
    }
}
