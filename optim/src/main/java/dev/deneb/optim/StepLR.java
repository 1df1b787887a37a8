package dev.deneb.optim;

import dev.deneb.tensor.Tensor;
import java.util.Map;

/** Multiplies the rate by {@code gamma} every {@code stepSize} epochs: {@code base * gamma^(epoch / stepSize)}. */
public final class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        if (stepSize <= 0) {
            throw new IllegalArgumentException("StepLR: step size must be positive, got " + stepSize);
        }
        this.stepSize = stepSize;
        this.gamma = gamma;
        super("StepLR", optimizer);
    }

    @Override
    protected Map<String, Tensor> settings() {
        return SchedulerState.settings().integer("step_size", stepSize).real("gamma", gamma).map();
    }

    @Override
    protected double lrAt(int epoch, int group, double baseLr) {
        return baseLr * Math.pow(gamma, epoch / stepSize);
    }
}
