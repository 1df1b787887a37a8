package dev.deneb.optim;

import dev.deneb.tensor.Tensor;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight decay, as PyTorch 1.13:
 * <pre>
 * d = g + weight_decay * p
 * buf = d (first step)  or  momentum * buf + (1 - dampening) * d
 * d = nesterov ? d + momentum * buf : buf        (when momentum != 0)
 * p -= lr * d
 * </pre>
 */
public final class SGD extends Optimizer {

    /**
     * PyTorch's defaults, except that PyTorch 1.13 has no default lr: here it is 1e-3, as in PyTorch 2.
     */
    public record Options(double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        public static Options defaults() {
            return new Options(1e-3, 0, 0, 0, false);
        }

        public Options lr(double v) { return new Options(v, momentum, dampening, weightDecay, nesterov); }
        public Options momentum(double v) { return new Options(lr, v, dampening, weightDecay, nesterov); }
        public Options dampening(double v) { return new Options(lr, momentum, v, weightDecay, nesterov); }
        public Options weightDecay(double v) { return new Options(lr, momentum, dampening, v, nesterov); }
        public Options nesterov(boolean v) { return new Options(lr, momentum, dampening, weightDecay, v); }

        Map<String, Double> toMap() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("lr", lr);
            m.put("momentum", momentum);
            m.put("dampening", dampening);
            m.put("weight_decay", weightDecay);
            m.put("nesterov", nesterov ? 1.0 : 0.0);
            return m;
        }
    }

    public SGD(Collection<Tensor> params, Options options) {
        this(single(params), options);
    }

    public SGD(List<ParamGroup> groups, Options options) {
        super("SGD", groups, options.toMap());
    }

    @Override
    protected void validate(ParamGroup g) {
        g.nonNegative("lr");
        g.nonNegative("momentum");
        g.nonNegative("weight_decay");
        if (g.flag("nesterov")) {
            g.require(g.get("momentum") > 0, "momentum", "Nesterov momentum requires a momentum > 0");
            g.require(g.get("dampening") == 0, "dampening", "Nesterov momentum requires zero dampening");
        }
    }

    @Override
    protected void update(ParamGroup g, Tensor param, Tensor grad, ParamState state) {
        double lr = g.get("lr");
        double momentum = g.get("momentum");
        double dampening = g.get("dampening");
        double wd = g.get("weight_decay");
        boolean nesterov = g.flag("nesterov");
        Tensor buf = null;
        boolean first = state.buffer("momentum_buffer") == null;
        if (momentum != 0) {
            buf = state.buffer("momentum_buffer", param, 0);
        }
        FloatView[] v = fused() ? FloatView.all(param, grad, buf) : null;
        if (v != null) {
            fusedF32(v[0], v[1], v[2], param.numel(), (float) lr, (float) momentum, (float) (1 - dampening),
                    (float) wd, nesterov, first);
            param.storage().bumpVersion();
            return;
        }
        Tensor d = wd != 0 ? grad.add(param.mul(wd)) : grad;
        if (momentum != 0) {
            buf.copyFrom(first ? d : buf.mul(momentum).add(d.mul(1 - dampening)));
            d = nesterov ? d.add(buf.mul(momentum)) : buf;
        }
        param.copyFrom(param.sub(d.mul(lr)));
    }

    private static void fusedF32(FloatView p, FloatView g, FloatView b, int n, float lr, float momentum,
                                 float oneMinusDampening, float wd, boolean nesterov, boolean first) {
        float[] pa = p.array();
        float[] ga = g.array();
        int po = p.offset();
        int go = g.offset();
        if (b == null) {
            for (int i = 0; i < n; i++) {
                float d = ga[go + i] + wd * pa[po + i];
                pa[po + i] -= lr * d;
            }
            return;
        }
        float[] ba = b.array();
        int bo = b.offset();
        for (int i = 0; i < n; i++) {
            float d = ga[go + i] + wd * pa[po + i];
            float buf = first ? d : momentum * ba[bo + i] + oneMinusDampening * d;
            ba[bo + i] = buf;
            pa[po + i] -= lr * (nesterov ? d + momentum * buf : buf);
        }
    }
}
