package dev.deneb.optim;

import dev.deneb.tensor.Tensor;
import java.util.Map;

/** Multiplies the rate by {@code gamma} every epoch: {@code base * gamma^epoch}. */
public final class ExponentialLR extends LRScheduler {
    private final double gamma;

    public ExponentialLR(Optimizer optimizer, double gamma) {
        if (!(gamma > 0)) {
            throw new IllegalArgumentException("ExponentialLR: gamma must be positive, got " + gamma);
        }
        this.gamma = gamma;
        super("ExponentialLR", optimizer);
    }

    @Override
    protected Map<String, Tensor> settings() {
        return SchedulerState.settings().real("gamma", gamma).map();
    }

    @Override
    protected double lrAt(int epoch, int group, double baseLr) {
        return baseLr * Math.pow(gamma, epoch);
    }
}
