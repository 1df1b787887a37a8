package dev.deneb.optim;

import dev.deneb.tensor.Tensor;
import java.util.Map;

/**
 * Scales the base rate by a factor going linearly from {@code startFactor} to {@code endFactor} over
 * {@code totalIters} epochs, then holding: linear warm-up with a start factor below 1 (PyTorch's defaults are
 * 1/3, 1 and 5).
 */
public final class LinearLR extends LRScheduler {
    private final double startFactor;
    private final double endFactor;
    private final int totalIters;

    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        if (!(startFactor > 0 && startFactor <= 1)) {
            throw new IllegalArgumentException("LinearLR: start factor must be in (0, 1], got " + startFactor);
        }
        if (!(endFactor >= 0 && endFactor <= 1)) {
            throw new IllegalArgumentException("LinearLR: end factor must be in [0, 1], got " + endFactor);
        }
        if (totalIters <= 0) {
            throw new IllegalArgumentException("LinearLR: total iters must be positive, got " + totalIters);
        }
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        super("LinearLR", optimizer);
    }

    /** A linear warm-up from {@code startFactor * lr} to {@code lr} over {@code warmupEpochs}. */
    public static LinearLR warmup(Optimizer optimizer, double startFactor, int warmupEpochs) {
        return new LinearLR(optimizer, startFactor, 1.0, warmupEpochs);
    }

    @Override
    protected Map<String, Tensor> settings() {
        return SchedulerState.settings().real("start_factor", startFactor).real("end_factor", endFactor)
                .integer("total_iters", totalIters).map();
    }

    @Override
    protected double lrAt(int epoch, int group, double baseLr) {
        double t = Math.min(epoch, totalIters);
        return baseLr * (startFactor + (endFactor - startFactor) * t / totalIters);
    }
}
