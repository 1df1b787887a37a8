package dev.deneb.optim;

import dev.deneb.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;

/** Multiplies the rate by {@code gamma} at each milestone epoch (a milestone listed twice counts twice). */
public final class MultiStepLR extends LRScheduler {
    private final int[] milestones;
    private final double gamma;

    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        if (milestones == null) {
            throw new IllegalArgumentException("MultiStepLR: milestones are null");
        }
        int[] sorted = milestones.clone();
        Arrays.sort(sorted);
        if (sorted.length > 0 && sorted[0] < 0) {
            throw new IllegalArgumentException("MultiStepLR: milestones must be >= 0, got "
                    + Arrays.toString(milestones));
        }
        this.milestones = sorted;
        this.gamma = gamma;
        super("MultiStepLR", optimizer);
    }

    @Override
    protected Map<String, Tensor> settings() {
        return SchedulerState.settings().integers("milestones", milestones).real("gamma", gamma).map();
    }

    @Override
    protected double lrAt(int epoch, int group, double baseLr) {
        int passed = 0;
        while (passed < milestones.length && milestones[passed] <= epoch) {
            passed++;
        }
        return baseLr * Math.pow(gamma, passed);
    }
}
