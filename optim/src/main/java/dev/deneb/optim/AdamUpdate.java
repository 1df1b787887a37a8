package dev.deneb.optim;

import dev.deneb.tensor.Tensor;

/**
 * The update shared by {@link Adam} (weight decay added to the gradient) and {@link AdamW} (weight decay applied to
 * the parameter, decoupled), as PyTorch 1.13 writes it:
 * <pre>
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g * g
 * v_max = max(v_max, v)                                     (amsgrad)
 * p -= lr / (1 - beta1^t) * m / (sqrt(v or v_max) / sqrt(1 - beta2^t) + eps)
 * </pre>
 */
final class AdamUpdate {
    private AdamUpdate() {}

    static void validate(ParamGroup g) {
        g.nonNegative("lr");
        g.nonNegative("eps");
        double b1 = g.get("beta1");
        double b2 = g.get("beta2");
        g.require(b1 >= 0 && b1 < 1, "beta1", "must be in [0, 1)");
        g.require(b2 >= 0 && b2 < 1, "beta2", "must be in [0, 1)");
        g.nonNegative("weight_decay");
    }

    static void apply(Optimizer opt, boolean decoupled, ParamGroup g, Tensor param, Tensor grad, ParamState s) {
        double lr = g.get("lr");
        double b1 = g.get("beta1");
        double b2 = g.get("beta2");
        double eps = g.get("eps");
        double wd = g.get("weight_decay");
        boolean amsgrad = g.flag("amsgrad");
        Tensor m = s.buffer("exp_avg", param, 0);
        Tensor v = s.buffer("exp_avg_sq", param, 0);
        Tensor vmax = amsgrad ? s.buffer("max_exp_avg_sq", param, 0) : null;
        long t = s.step();
        double stepSize = lr / (1 - Math.pow(b1, t));
        double bc2Sqrt = Math.sqrt(1 - Math.pow(b2, t));
        double decay = decoupled ? 1 - lr * wd : 1;
        double l2 = decoupled ? 0 : wd;

        FloatView[] f = opt.fused() ? FloatView.all(param, grad, m, v, vmax) : null;
        if (f != null) {
            fusedF32(f, param.numel(), (float) b1, (float) b2, (float) eps, (float) l2, (float) decay,
                    (float) stepSize, (float) bc2Sqrt);
            param.storage().bumpVersion();
            return;
        }
        Tensor p = decay != 1 ? param.mul(decay) : param;
        Tensor gr = l2 != 0 ? grad.add(param.mul(l2)) : grad;
        m.copyFrom(m.mul(b1).add(gr.mul(1 - b1)));
        v.copyFrom(v.mul(b2).add(gr.mul(gr).mul(1 - b2)));
        Tensor second = v;
        if (amsgrad) {
            vmax.copyFrom(vmax.maximum(v));
            second = vmax;
        }
        Tensor denom = second.sqrt().div(bc2Sqrt).add(eps);
        param.copyFrom(p.sub(m.div(denom).mul(stepSize)));
    }

    private static void fusedF32(FloatView[] f, int n, float b1, float b2, float eps, float l2, float decay,
                                 float stepSize, float bc2Sqrt) {
        float[] pa = f[0].array();
        float[] ga = f[1].array();
        float[] ma = f[2].array();
        float[] va = f[3].array();
        int po = f[0].offset();
        int go = f[1].offset();
        int mo = f[2].offset();
        int vo = f[3].offset();
        float c1 = 1 - b1;
        float c2 = 1 - b2;
        float[] xa = f[4] == null ? null : f[4].array();
        int xo = f[4] == null ? 0 : f[4].offset();
        if (xa == null) {
            // a branch-free loop of its own, so that C2 can vectorise it
            for (int i = 0; i < n; i++) {
                float p = pa[po + i];
                float g = ga[go + i] + l2 * p;
                float m = b1 * ma[mo + i] + c1 * g;
                float v = b2 * va[vo + i] + c2 * g * g;
                ma[mo + i] = m;
                va[vo + i] = v;
                pa[po + i] = p * decay - stepSize * m / ((float) Math.sqrt(v) / bc2Sqrt + eps);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            float p = pa[po + i];
            float g = ga[go + i] + l2 * p;
            float m = b1 * ma[mo + i] + c1 * g;
            float v = b2 * va[vo + i] + c2 * g * g;
            ma[mo + i] = m;
            va[vo + i] = v;
            float vmax = Math.max(xa[xo + i], v);
            xa[xo + i] = vmax;
            pa[po + i] = p * decay - stepSize * m / ((float) Math.sqrt(vmax) / bc2Sqrt + eps);
        }
    }
}
