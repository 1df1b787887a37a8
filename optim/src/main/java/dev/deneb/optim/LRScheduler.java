package dev.deneb.optim;

import java.util.List;

/**
 * Sets each parameter group's learning rate from the epoch count. Building a scheduler applies epoch 0 (as PyTorch's
 * constructors do); each {@link #step()} moves one epoch on (or one batch, for {@link OneCycleLR}).
 *
 * <p>Rates come from the closed form {@code lrAt(epoch, baseLr)}, with the group's learning rate at construction as
 * base: the same values PyTorch's recursive forms give when one scheduler drives the optimizer. Chaining two
 * schedulers on one optimizer is not supported. {@link ReduceLROnPlateau} is not a subclass: it needs a metric.
 */
public abstract class LRScheduler {
    private final String name;
    private final Optimizer optimizer;
    private final double[] baseLrs;
    private int lastEpoch = -1;
    private double[] lastLr;

    /** Subclasses set their fields before calling this constructor: it applies epoch 0 at once. */
    @SuppressWarnings("this-escape") // subclasses assign their fields before super(), so step() sees them
    protected LRScheduler(String name, Optimizer optimizer) {
        if (optimizer == null) {
            throw new IllegalArgumentException(name + ": the optimizer is null");
        }
        this.name = name;
        this.optimizer = optimizer;
        List<ParamGroup> groups = optimizer.paramGroups();
        baseLrs = new double[groups.size()];
        for (int i = 0; i < baseLrs.length; i++) {
            baseLrs[i] = groups.get(i).lr();
        }
        step();
    }

    /** The learning rate of a group whose rate at construction was {@code baseLr}, at {@code epoch}. */
    protected abstract double lrAt(int epoch, int group, double baseLr);

    /** Moves one epoch on and writes the new rates into the optimizer's groups. */
    public final void step() {
        lastEpoch++;
        apply(lastEpoch);
        List<ParamGroup> groups = optimizer.paramGroups();
        lastLr = new double[groups.size()];
        for (int i = 0; i < lastLr.length; i++) {
            lastLr[i] = groups.get(i).lr();
        }
    }

    /** Writes the rates for {@code epoch}; {@link OneCycleLR} also writes momentum. */
    protected void apply(int epoch) {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            groups.get(i).lr(lrAt(epoch, i, baseLrs[i]));
        }
    }

    /** The rates the last step set, one per group. */
    public double[] lastLr() {
        return lastLr.clone();
    }

    /** Epochs stepped since construction (0 right after it). */
    public int lastEpoch() {
        return lastEpoch;
    }

    public String name() {
        return name;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    protected double[] baseLrs() {
        return baseLrs.clone();
    }
}
