package dev.deneb.optim;

import dev.deneb.tensor.Tensor;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW, as PyTorch 1.13: weight decay is decoupled from the gradient, {@code p *= 1 - lr * weight_decay}
 * before the Adam step (default weight decay 0.01). AMSGrad is an option.
 * The update is in {@link AdamUpdate}.
 */
public final class AdamW extends Optimizer {

    /** PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 1e-2, no AMSGrad. */
    public record Options(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        public static Options defaults() {
            return new Options(1e-3, 0.9, 0.999, 1e-8, 1e-2, false);
        }

        public Options lr(double v) { return new Options(v, beta1, beta2, eps, weightDecay, amsgrad); }
        public Options betas(double b1, double b2) { return new Options(lr, b1, b2, eps, weightDecay, amsgrad); }
        public Options eps(double v) { return new Options(lr, beta1, beta2, v, weightDecay, amsgrad); }
        public Options weightDecay(double v) { return new Options(lr, beta1, beta2, eps, v, amsgrad); }
        public Options amsgrad(boolean v) { return new Options(lr, beta1, beta2, eps, weightDecay, v); }

        Map<String, Double> toMap() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("lr", lr);
            m.put("beta1", beta1);
            m.put("beta2", beta2);
            m.put("eps", eps);
            m.put("weight_decay", weightDecay);
            m.put("amsgrad", amsgrad ? 1.0 : 0.0);
            return m;
        }
    }

    public AdamW(Collection<Tensor> params) {
        this(params, Options.defaults());
    }

    public AdamW(Collection<Tensor> params, Options options) {
        this(single(params), options);
    }

    public AdamW(List<ParamGroup> groups, Options options) {
        super("AdamW", groups, options.toMap());
    }

    @Override
    protected void validate(ParamGroup g) {
        AdamUpdate.validate(g);
    }

    @Override
    protected void update(ParamGroup g, Tensor param, Tensor grad, ParamState state) {
        AdamUpdate.apply(this, true, g, param, grad, state);
    }
}
