package dev.deneb.optim;

import dev.deneb.tensor.Tensor;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RMSprop, as PyTorch 1.13:
 * <pre>
 * g += weight_decay * p
 * sq = alpha * sq + (1 - alpha) * g * g
 * avg = sqrt(sq - ga * ga) + eps   with ga = alpha * ga + (1 - alpha) * g   (centered)
 * avg = sqrt(sq) + eps                                                       (otherwise)
 * buf = momentum * buf + g / avg;  p -= lr * buf                            (momentum > 0)
 * p -= lr * g / avg                                                          (otherwise)
 * </pre>
 */
public final class RMSprop extends Optimizer {

    /** PyTorch's defaults: lr 1e-2, alpha 0.99, eps 1e-8, no weight decay, no momentum, not centered. */
    public record Options(double lr, double alpha, double eps, double weightDecay, double momentum,
                          boolean centered) {
        public static Options defaults() {
            return new Options(1e-2, 0.99, 1e-8, 0, 0, false);
        }

        public Options lr(double v) { return new Options(v, alpha, eps, weightDecay, momentum, centered); }
        public Options alpha(double v) { return new Options(lr, v, eps, weightDecay, momentum, centered); }
        public Options eps(double v) { return new Options(lr, alpha, v, weightDecay, momentum, centered); }
        public Options weightDecay(double v) { return new Options(lr, alpha, eps, v, momentum, centered); }
        public Options momentum(double v) { return new Options(lr, alpha, eps, weightDecay, v, centered); }
        public Options centered(boolean v) { return new Options(lr, alpha, eps, weightDecay, momentum, v); }

        Map<String, Double> toMap() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("lr", lr);
            m.put("alpha", alpha);
            m.put("eps", eps);
            m.put("weight_decay", weightDecay);
            m.put("momentum", momentum);
            m.put("centered", centered ? 1.0 : 0.0);
            return m;
        }
    }

    public RMSprop(Collection<Tensor> params) {
        this(params, Options.defaults());
    }

    public RMSprop(Collection<Tensor> params, Options options) {
        this(single(params), options);
    }

    public RMSprop(List<ParamGroup> groups, Options options) {
        super("RMSprop", groups, options.toMap());
    }

    @Override
    protected void validate(ParamGroup g) {
        g.nonNegative("lr");
        g.nonNegative("eps");
        g.nonNegative("momentum");
        g.nonNegative("weight_decay");
        g.nonNegative("alpha");
    }

    @Override
    protected void update(ParamGroup g, Tensor param, Tensor grad, ParamState state) {
        double lr = g.get("lr");
        double alpha = g.get("alpha");
        double eps = g.get("eps");
        double wd = g.get("weight_decay");
        double momentum = g.get("momentum");
        boolean centered = g.flag("centered");
        Tensor sq = state.buffer("square_avg", param, 0);
        Tensor buf = momentum > 0 ? state.buffer("momentum_buffer", param, 0) : null;
        Tensor ga = centered ? state.buffer("grad_avg", param, 0) : null;

        FloatView[] f = fused() ? FloatView.all(param, grad, sq, buf, ga) : null;
        if (f != null) {
            fusedF32(f, param.numel(), (float) lr, (float) alpha, (float) eps, (float) wd, (float) momentum);
            param.storage().bumpVersion();
            return;
        }
        Tensor gr = wd != 0 ? grad.add(param.mul(wd)) : grad;
        sq.copyFrom(sq.mul(alpha).add(gr.mul(gr).mul(1 - alpha)));
        Tensor avg;
        if (centered) {
            ga.copyFrom(ga.mul(alpha).add(gr.mul(1 - alpha)));
            avg = sq.sub(ga.mul(ga)).sqrt().add(eps);
        } else {
            avg = sq.sqrt().add(eps);
        }
        if (buf != null) {
            buf.copyFrom(buf.mul(momentum).add(gr.div(avg)));
            param.copyFrom(param.sub(buf.mul(lr)));
        } else {
            param.copyFrom(param.sub(gr.div(avg).mul(lr)));
        }
    }

    private static void fusedF32(FloatView[] f, int n, float lr, float alpha, float eps, float wd, float momentum) {
        float[] pa = f[0].array();
        float[] gra = f[1].array();
        float[] sa = f[2].array();
        int po = f[0].offset();
        int go = f[1].offset();
        int so = f[2].offset();
        float[] ba = f[3] == null ? null : f[3].array();
        int bo = f[3] == null ? 0 : f[3].offset();
        float[] aa = f[4] == null ? null : f[4].array();
        int ao = f[4] == null ? 0 : f[4].offset();
        float c = 1 - alpha;
        if (ba == null && aa == null) {
            // the default options get a branch-free loop, so that C2 can vectorise it
            for (int i = 0; i < n; i++) {
                float p = pa[po + i];
                float g = gra[go + i] + wd * p;
                float sq = alpha * sa[so + i] + c * g * g;
                sa[so + i] = sq;
                pa[po + i] = p - lr * (g / ((float) Math.sqrt(sq) + eps));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            float p = pa[po + i];
            float g = gra[go + i] + wd * p;
            float sq = alpha * sa[so + i] + c * g * g;
            sa[so + i] = sq;
            float var = sq;
            if (aa != null) {
                float ga = alpha * aa[ao + i] + c * g;
                aa[ao + i] = ga;
                var = sq - ga * ga;
            }
            float step = g / ((float) Math.sqrt(var) + eps);
            if (ba != null) {
                step += momentum * ba[bo + i];
                ba[bo + i] = step;
            }
            pa[po + i] = p - lr * step;
        }
    }
}
