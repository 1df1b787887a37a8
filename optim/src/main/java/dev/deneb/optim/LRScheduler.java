package dev.deneb.optim;

import dev.deneb.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets each parameter group's learning rate from the epoch count. Building a scheduler applies epoch 0 (as PyTorch's
 * constructors do); each {@link #step()} moves one epoch on (or one batch, for {@link OneCycleLR}).
 *
 * <p>Rates come from the closed form {@code lrAt(epoch, baseLr)}, with the group's learning rate at construction as
 * base: the same values PyTorch's recursive forms give when one scheduler drives the optimizer. Chaining two
 * schedulers on one optimizer is not supported. {@link ReduceLROnPlateau} is not a subclass: it needs a metric.
 *
 * <p>{@link #stateDict()} and {@link #loadStateDict} save and restore the schedule's position, as PyTorch's
 * {@code state_dict()}: resume a run by building the optimizer and the scheduler as before, then loading both.
 */
public abstract class LRScheduler {
    private final String name;
    private final Optimizer optimizer;
    private double[] baseLrs;
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

    /**
     * The scheduler's settings under PyTorch's names ({@code step_size}, {@code gamma}, {@code T_max}…), written into
     * the state dict and checked against the saved values on load. Empty by default.
     */
    protected Map<String, Tensor> settings() {
        return Map.of();
    }

    /** The last epoch this schedule can be at ({@link OneCycleLR}: its total steps); unbounded by default. */
    protected int maxEpoch() {
        return Integer.MAX_VALUE;
    }

    /**
     * The schedule's state as flat PyTorch-named keys, each a tensor (counters i64, rates f64), ready for a
     * safetensors file or a {@code Checkpoint}: the {@linkplain #settings() settings}, {@code last_epoch},
     * {@code _step_count} (steps including the one at construction), {@code base_lrs} and {@code _last_lr} (one value
     * per parameter group). The optimizer is not part of it; save it with its own {@code stateDict()}.
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("last_epoch", SchedulerState.integer(lastEpoch));
        state.put("_step_count", SchedulerState.integer(lastEpoch + 1L));
        state.put("base_lrs", SchedulerState.reals(baseLrs));
        state.put("_last_lr", SchedulerState.reals(lastLr));
        return SchedulerState.merge(settings(), state);
    }

    /**
     * Restores a {@link #stateDict()} taken from a scheduler of the same kind and settings on an optimizer with as
     * many parameter groups; the next {@link #step()} continues the saved schedule. As in PyTorch, the optimizer's
     * rates are not touched: load the optimizer's state dict too. A missing, unexpected or malformed key, or a
     * setting that differs from this scheduler's, is an {@link IllegalArgumentException} and nothing changes.
     */
    public void loadStateDict(Map<String, Tensor> dict) {
        SchedulerState.Reader r = new SchedulerState.Reader(name, dict);
        settings().forEach(r::expect);
        int groups = optimizer.paramGroups().size();
        long epoch = r.integer("last_epoch", 0);
        long steps = r.integer("_step_count", 1);
        double[] base = r.perGroup("base_lrs", groups);
        double[] last = r.perGroup("_last_lr", groups);
        r.finish();
        if (epoch > maxEpoch()) {
            throw r.error("'last_epoch' is " + epoch + ", past this schedule's last step " + maxEpoch());
        }
        if (steps != epoch + 1) {
            throw r.error("'_step_count' is " + steps + " but 'last_epoch' is " + epoch + "; a scheduler stepped"
                    + " only through step() has _step_count == last_epoch + 1");
        }
        baseLrs = base;
        lastLr = last;
        lastEpoch = (int) epoch;
    }
}
