package dev.deneb.optim;

import dev.deneb.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts the learning rate by {@code factor} when a metric has stopped improving for more than {@code patience}
 * epochs, as PyTorch 1.13's {@code ReduceLROnPlateau}; call {@link #step(double)} once per epoch with the metric.
 * "Improving" means beating the best value by more than {@code threshold}, relative ({@code REL}) or absolute
 * ({@code ABS}); after a cut, {@code cooldown} epochs pass before bad epochs count again; no rate goes below
 * {@code minLr}, and a cut smaller than {@code eps} is skipped.
 *
 * <p>{@link #stateDict()} holds what PyTorch's does: the settings ({@code factor}, {@code min_lrs} per group,
 * {@code patience}, {@code cooldown}, {@code mode} and {@code threshold_mode} as their enum ordinals, i.e. 0 for
 * {@code MIN}/{@code REL}, {@code threshold}, {@code eps}) and the state ({@code last_epoch}, {@code best},
 * {@code num_bad_epochs}, {@code cooldown_counter}). The cut rates live in the optimizer: load its state dict too.
 */
public final class ReduceLROnPlateau {

    public enum Mode { MIN, MAX }

    public enum ThresholdMode { REL, ABS }

    /** PyTorch's defaults: min, factor 0.1, patience 10, threshold 1e-4 relative, no cooldown, min lr 0, eps 1e-8. */
    public record Options(Mode mode, double factor, int patience, double threshold, ThresholdMode thresholdMode,
                          int cooldown, double minLr, double eps) {
        public static Options defaults() {
            return new Options(Mode.MIN, 0.1, 10, 1e-4, ThresholdMode.REL, 0, 0, 1e-8);
        }

        public Options mode(Mode v) { return new Options(v, factor, patience, threshold, thresholdMode, cooldown, minLr, eps); }
        public Options factor(double v) { return new Options(mode, v, patience, threshold, thresholdMode, cooldown, minLr, eps); }
        public Options patience(int v) { return new Options(mode, factor, v, threshold, thresholdMode, cooldown, minLr, eps); }
        public Options threshold(double v) { return new Options(mode, factor, patience, v, thresholdMode, cooldown, minLr, eps); }
        public Options thresholdMode(ThresholdMode v) { return new Options(mode, factor, patience, threshold, v, cooldown, minLr, eps); }
        public Options cooldown(int v) { return new Options(mode, factor, patience, threshold, thresholdMode, v, minLr, eps); }
        public Options minLr(double v) { return new Options(mode, factor, patience, threshold, thresholdMode, cooldown, v, eps); }
        public Options eps(double v) { return new Options(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, v); }
    }

    private final Optimizer optimizer;
    private final Options o;
    private double best;
    private int badEpochs;
    private int cooldownLeft;
    private int lastEpoch;

    public ReduceLROnPlateau(Optimizer optimizer, Options options) {
        if (optimizer == null || options == null) {
            throw new IllegalArgumentException("ReduceLROnPlateau: the optimizer and options must not be null");
        }
        if (!(options.factor() < 1 && options.factor() >= 0)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: factor must be in [0, 1), got "
                    + options.factor());
        }
        if (options.patience() < 0 || options.cooldown() < 0) {
            throw new IllegalArgumentException("ReduceLROnPlateau: patience and cooldown must be >= 0, got "
                    + options.patience() + " and " + options.cooldown());
        }
        if (!(options.threshold() >= 0) || !(options.minLr() >= 0) || options.mode() == null
                || options.thresholdMode() == null) {
            throw new IllegalArgumentException("ReduceLROnPlateau: bad options " + options
                    + " (threshold and min lr must be >= 0, modes not null)");
        }
        this.optimizer = optimizer;
        this.o = options;
        this.best = options.mode() == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    public ReduceLROnPlateau(Optimizer optimizer) {
        this(optimizer, Options.defaults());
    }

    /** Records one epoch's metric and cuts the rates when it has plateaued. */
    public void step(double metric) {
        lastEpoch++;
        if (isBetter(metric)) {
            best = metric;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownLeft > 0) {
            cooldownLeft--;
            badEpochs = 0;
        }
        if (badEpochs > o.patience()) {
            reduce();
            cooldownLeft = o.cooldown();
            badEpochs = 0;
        }
    }

    private boolean isBetter(double a) {
        boolean rel = o.thresholdMode() == ThresholdMode.REL;
        if (o.mode() == Mode.MIN) {
            return rel ? a < best * (1 - o.threshold()) : a < best - o.threshold();
        }
        return rel ? a > best * (1 + o.threshold()) : a > best + o.threshold();
    }

    private void reduce() {
        for (ParamGroup g : optimizer.paramGroups()) {
            double old = g.lr();
            double cut = Math.max(old * o.factor(), o.minLr());
            if (old - cut > o.eps()) {
                g.lr(cut);
            }
        }
    }

    /** The groups' current rates. */
    public double[] lastLr() {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] out = new double[groups.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = groups.get(i).lr();
        }
        return out;
    }

    public int lastEpoch() {
        return lastEpoch;
    }

    /** The best metric so far. */
    public double best() {
        return best;
    }

    /** Epochs in a row without improvement (reset by a cut and during cooldown). */
    public int badEpochs() {
        return badEpochs;
    }

    /** Epochs left in the cooldown after the last cut. */
    public int cooldownCounter() {
        return cooldownLeft;
    }

    private Map<String, Tensor> settings() {
        double[] minLrs = new double[optimizer.paramGroups().size()];
        Arrays.fill(minLrs, o.minLr());
        return SchedulerState.settings().real("factor", o.factor()).reals("min_lrs", minLrs)
                .integer("patience", o.patience()).integer("cooldown", o.cooldown())
                .integer("mode", o.mode().ordinal()).real("threshold", o.threshold())
                .integer("threshold_mode", o.thresholdMode().ordinal()).real("eps", o.eps()).map();
    }

    /** The settings and the plateau state under PyTorch's names (see the class comment), each a tensor. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("last_epoch", SchedulerState.integer(lastEpoch));
        state.put("best", SchedulerState.real(best));
        state.put("num_bad_epochs", SchedulerState.integer(badEpochs));
        state.put("cooldown_counter", SchedulerState.integer(cooldownLeft));
        return SchedulerState.merge(settings(), state);
    }

    /**
     * Restores a {@link #stateDict()} of a scheduler with the same settings; the optimizer's rates are not touched
     * (as in PyTorch). A missing, unexpected or malformed key, or a different setting, is an
     * {@link IllegalArgumentException} and nothing changes.
     */
    public void loadStateDict(Map<String, Tensor> dict) {
        SchedulerState.Reader r = new SchedulerState.Reader("ReduceLROnPlateau", dict);
        settings().forEach(r::expect);
        long epoch = r.integer("last_epoch", 0);
        double savedBest = r.real("best");
        long bad = r.integer("num_bad_epochs", 0);
        long cooling = r.integer("cooldown_counter", 0);
        r.finish();
        if (epoch > Integer.MAX_VALUE || Double.isNaN(savedBest)) {
            throw r.error("bad state: last_epoch " + epoch + ", best " + savedBest);
        }
        if (bad > o.patience()) {
            throw r.error("'num_bad_epochs' is " + bad + ", more than the patience " + o.patience()
                    + " (a cut would have reset it)");
        }
        if (cooling > o.cooldown()) {
            throw r.error("'cooldown_counter' is " + cooling + ", more than the cooldown " + o.cooldown());
        }
        lastEpoch = (int) epoch;
        best = savedBest;
        badEpochs = (int) bad;
        cooldownLeft = (int) cooling;
    }
}
