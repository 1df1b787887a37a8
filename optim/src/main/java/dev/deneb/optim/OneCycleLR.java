package dev.deneb.optim;

import dev.deneb.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The 1cycle policy (Smith and Topin), as PyTorch 1.13's {@code OneCycleLR}; step it after every batch. The rate
 * goes from {@code maxLr / divFactor} up to {@code maxLr} over the first {@code pctStart} of the steps, then down to
 * {@code maxLr / divFactor / finalDivFactor}; with {@code threePhase} it comes back to the initial rate first, then
 * falls to the minimum. Annealing is cosine or linear.
 *
 * <p>With {@code cycleMomentum} (the default), momentum moves the other way between {@code maxMomentum} and
 * {@code baseMomentum}: the group's {@code momentum} for SGD and RMSprop, {@code beta1} for the Adam family.
 * Stepping past {@code totalSteps} throws, as in PyTorch.
 *
 * <p>Its state dict holds the settings too: {@code total_steps}, {@code max_lrs} (per group), {@code pct_start},
 * {@code anneal_strategy} (the {@link Anneal} ordinal: 0 cos, 1 linear), {@code cycle_momentum} (1 or 0),
 * {@code base_momentum}, {@code max_momentum}, {@code div_factor}, {@code final_div_factor} and {@code three_phase}
 * (1 or 0). The cycled momentum lives in the optimizer's groups and comes back with the optimizer's state dict.
 */
public final class OneCycleLR extends LRScheduler {

    public enum Anneal { COS, LINEAR }

    /** PyTorch's defaults: pct_start 0.3, cosine, momentum cycled 0.85–0.95, div 25, final div 1e4, two phases. */
    public record Options(double[] maxLrs, int totalSteps, double pctStart, Anneal anneal, boolean cycleMomentum,
                          double baseMomentum, double maxMomentum, double divFactor, double finalDivFactor,
                          boolean threePhase) {
        /** The same peak rate for every group. */
        public static Options of(double maxLr, int totalSteps) {
            return new Options(new double[] {maxLr}, totalSteps, 0.3, Anneal.COS, true, 0.85, 0.95, 25, 1e4, false);
        }

        /** One peak rate per parameter group. */
        public Options maxLrs(double... v) { return new Options(v.clone(), totalSteps, pctStart, anneal, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase); }
        public Options pctStart(double v) { return new Options(maxLrs, totalSteps, v, anneal, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase); }
        public Options anneal(Anneal v) { return new Options(maxLrs, totalSteps, pctStart, v, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase); }
        public Options cycleMomentum(boolean v) { return new Options(maxLrs, totalSteps, pctStart, anneal, v, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase); }
        public Options momentum(double base, double max) { return new Options(maxLrs, totalSteps, pctStart, anneal, cycleMomentum, base, max, divFactor, finalDivFactor, threePhase); }
        public Options divFactor(double v) { return new Options(maxLrs, totalSteps, pctStart, anneal, cycleMomentum, baseMomentum, maxMomentum, v, finalDivFactor, threePhase); }
        public Options finalDivFactor(double v) { return new Options(maxLrs, totalSteps, pctStart, anneal, cycleMomentum, baseMomentum, maxMomentum, divFactor, v, threePhase); }
        public Options threePhase(boolean v) { return new Options(maxLrs, totalSteps, pctStart, anneal, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, v); }
    }

    /** One phase: from step {@code start} to {@code end}, the rate goes between two of initial/max/min. */
    private record Phase(double end, int fromLr, int toLr, double fromMomentum, double toMomentum) {}

    private static final int INITIAL = 0;
    private static final int MAX = 1;
    private static final int MIN = 2;

    private final Options options;
    private final double[][] lrs;          // per group: initial, max, min
    private final List<Phase> phases;
    private final String momentumKey;      // "momentum", "beta1" or null when not cycled

    public OneCycleLR(Optimizer optimizer, Options o) {
        if (o == null) {
            throw new IllegalArgumentException("OneCycleLR: options are null");
        }
        if (o.totalSteps() <= 0) {
            throw new IllegalArgumentException("OneCycleLR: total steps must be positive, got " + o.totalSteps());
        }
        if (!(o.pctStart() >= 0 && o.pctStart() <= 1)) {
            throw new IllegalArgumentException("OneCycleLR: pct_start must be in [0, 1], got " + o.pctStart());
        }
        if (!(o.divFactor() > 0 && o.finalDivFactor() > 0)) {
            throw new IllegalArgumentException("OneCycleLR: div factors must be positive, got " + o.divFactor()
                    + " and " + o.finalDivFactor());
        }
        int groups = optimizer == null ? 0 : optimizer.paramGroups().size();
        double[] max = o.maxLrs();
        if (max == null || (max.length != 1 && max.length != groups)) {
            throw new IllegalArgumentException("OneCycleLR: expected 1 or " + groups + " max lr values, got "
                    + (max == null ? "null" : Arrays.toString(max)));
        }
        double[][] rates = new double[groups][];
        for (int g = 0; g < groups; g++) {
            double m = max.length == 1 ? max[0] : max[g];
            if (!(m > 0)) {
                throw new IllegalArgumentException("OneCycleLR: max lr must be positive, got " + m);
            }
            double initial = m / o.divFactor();
            rates[g] = new double[] {initial, m, initial / o.finalDivFactor()};
        }
        lrs = rates;
        momentumKey = o.cycleMomentum() ? momentumKey(optimizer) : null;
        double t = o.totalSteps();
        double bm = o.baseMomentum();
        double mm = o.maxMomentum();
        phases = o.threePhase()
                ? List.of(new Phase(o.pctStart() * t - 1, INITIAL, MAX, mm, bm),
                        new Phase(2 * o.pctStart() * t - 2, MAX, INITIAL, bm, mm),
                        new Phase(t - 1, INITIAL, MIN, mm, mm))
                : List.of(new Phase(o.pctStart() * t - 1, INITIAL, MAX, mm, bm),
                        new Phase(t - 1, MAX, MIN, bm, mm));
        this.options = o;
        super("OneCycleLR", optimizer);
    }

    private static String momentumKey(Optimizer optimizer) {
        ParamGroup g = optimizer.paramGroups().getFirst();
        if (g.has("momentum")) {
            return "momentum";
        }
        if (g.has("beta1")) {
            return "beta1";
        }
        throw new IllegalArgumentException("OneCycleLR: cycleMomentum needs an optimizer with 'momentum' or"
                + " 'beta1', and " + optimizer.name() + " has neither (turn cycleMomentum off)");
    }

    @Override
    protected void apply(int step) {
        if (step > options.totalSteps()) {
            throw new IllegalStateException("OneCycleLR: tried to step " + step + " times; the schedule has "
                    + options.totalSteps() + " total steps");
        }
        List<ParamGroup> groups = optimizer().paramGroups();
        double start = 0;
        for (int i = 0; i < phases.size(); i++) {
            Phase ph = phases.get(i);
            if (step <= ph.end() || i == phases.size() - 1) {
                double pct = (step - start) / (ph.end() - start);
                for (int g = 0; g < groups.size(); g++) {
                    groups.get(g).lr(anneal(lrs[g][ph.fromLr()], lrs[g][ph.toLr()], pct));
                    if (momentumKey != null) {
                        groups.get(g).set(momentumKey, anneal(ph.fromMomentum(), ph.toMomentum(), pct));
                    }
                }
                return;
            }
            start = ph.end();
        }
    }

    @Override
    protected Map<String, Tensor> settings() {
        double[] max = new double[lrs.length];
        for (int g = 0; g < max.length; g++) {
            max[g] = lrs[g][MAX];
        }
        return SchedulerState.settings().integer("total_steps", options.totalSteps()).reals("max_lrs", max)
                .real("pct_start", options.pctStart()).integer("anneal_strategy", options.anneal().ordinal())
                .integer("cycle_momentum", options.cycleMomentum() ? 1 : 0)
                .real("base_momentum", options.baseMomentum()).real("max_momentum", options.maxMomentum())
                .real("div_factor", options.divFactor()).real("final_div_factor", options.finalDivFactor())
                .integer("three_phase", options.threePhase() ? 1 : 0).map();
    }

    @Override
    protected int maxEpoch() {
        return options.totalSteps();
    }

    @Override
    protected double lrAt(int epoch, int group, double baseLr) {
        throw new UnsupportedOperationException("OneCycleLR sets its rates in apply()");
    }

    private double anneal(double from, double to, double pct) {
        return options.anneal() == Anneal.COS
                ? to + (from - to) / 2 * (Math.cos(Math.PI * pct) + 1)
                : (to - from) * pct + from;
    }
}
