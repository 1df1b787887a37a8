package dev.deneb.optim;

import dev.deneb.tensor.Tensor;
import java.util.Map;

/**
 * Cosine annealing from the base rate down to {@code etaMin} over {@code tMax} epochs, then back up (the cosine
 * keeps going, as PyTorch's does): {@code etaMin + (base - etaMin) * (1 + cos(pi * epoch / tMax)) / 2}.
 */
public final class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        if (tMax <= 0) {
            throw new IllegalArgumentException("CosineAnnealingLR: T_max must be positive, got " + tMax);
        }
        if (!(etaMin >= 0)) {
            throw new IllegalArgumentException("CosineAnnealingLR: eta_min must be >= 0, got " + etaMin);
        }
        this.tMax = tMax;
        this.etaMin = etaMin;
        super("CosineAnnealingLR", optimizer);
    }

    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0.0);
    }

    @Override
    protected Map<String, Tensor> settings() {
        return SchedulerState.settings().integer("T_max", tMax).real("eta_min", etaMin).map();
    }

    @Override
    protected double lrAt(int epoch, int group, double baseLr) {
        return etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
    }
}
