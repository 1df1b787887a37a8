package dev.deneb.optim;

import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Updates parameters from their gradients. A subclass gives its defaults as a map of PyTorch-named hyper-parameters,
 * checks a group's values in {@link #validate} and writes one parameter in {@link #update}; this class handles
 * groups, per-parameter state, skipping frozen parameters and those without gradients, and state dicts.
 *
 * <p>Updates write the parameter's tensor in place (its storage version is bumped, so autograd notices when a saved
 * value has changed). Contiguous f32 CPU parameters take a fused loop over the raw arrays; everything else (f64,
 * other backends, strided views) takes a path written with tensor ops. Both follow the same formula.
 */
public abstract class Optimizer {
    private final String name;
    private final List<ParamGroup> groups;
    private final Map<Tensor, ParamState> state = new IdentityHashMap<>();
    private boolean fused = true;

    @SuppressWarnings("this-escape") // validate() reads only the group, never subclass fields
    protected Optimizer(String name, List<ParamGroup> groups, Map<String, Double> defaults) {
        this.name = name;
        if (groups == null || groups.isEmpty()) {
            throw new IllegalArgumentException(name + ": got an empty parameter list");
        }
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int g = 0; g < groups.size(); g++) {
            ParamGroup group = groups.get(g);
            if (group == null) {
                throw new IllegalArgumentException(name + ": parameter group " + g + " is null");
            }
            if (group.params().isEmpty()) {
                throw new IllegalArgumentException(name + ": got an empty parameter list"
                        + (groups.size() > 1 ? " in parameter group " + g : ""));
            }
            for (int i = 0; i < group.params().size(); i++) {
                checkParam(group.params().get(i), g, i, seen);
            }
            group.bind(name, g, defaults);
        }
        this.groups = List.copyOf(groups);
        for (ParamGroup group : this.groups) {
            validate(group);
        }
    }

    /** One group holding {@code params}, for the constructors that take a plain parameter list. */
    protected static List<ParamGroup> single(Collection<Tensor> params) {
        return List.of(ParamGroup.of(params));
    }

    private void checkParam(Tensor p, int g, int i, Set<Tensor> seen) {
        String where = "parameter " + i + " of group " + g;
        if (!p.isLeaf()) {
            throw new IllegalArgumentException(name + ": can't optimize a non-leaf tensor (" + where
                    + " was computed by '" + p.gradFn().op().name() + "')");
        }
        if (!p.dtype().isFloating()) {
            throw new IllegalArgumentException(name + ": " + where + " is " + p.dtype() + "; only floating-point"
                    + " tensors can be optimized");
        }
        if (!seen.add(p)) {
            throw new IllegalArgumentException(name + ": " + where + " appears more than once in the parameter"
                    + " groups");
        }
    }

    /** Checks the group's hyper-parameters; throws {@link IllegalArgumentException} naming the bad value. */
    protected abstract void validate(ParamGroup group);

    /**
     * Updates one parameter in place. {@code grad} has the parameter's shape and dtype; {@code state.step()} already
     * counts this update.
     */
    protected abstract void update(ParamGroup group, Tensor param, Tensor grad, ParamState state);

    /**
     * Applies one update to every parameter that has a gradient; frozen parameters ({@code requiresGrad(false)},
     * e.g. after {@code Layer.freeze()}) and parameters whose grad is null are skipped, as in PyTorch.
     */
    public final void step() {
        try (var _ = GradMode.noGrad()) {
            for (ParamGroup group : groups) {
                validate(group);
                for (Tensor p : group.params()) {
                    Tensor g = p.grad();
                    if (g == null || !p.requiresGrad()) {
                        continue;
                    }
                    Tensor param = p.detach();
                    Tensor grad = g.dtype() == param.dtype() ? g.detach() : g.detach().to(param.dtype());
                    ParamState s = state.computeIfAbsent(p, k -> new ParamState());
                    s.setStep(s.step() + 1);
                    update(group, param, grad, s);
                }
            }
        }
    }

    /** Clears the gradient of every parameter (sets it to null, as PyTorch 2's {@code set_to_none=True}). */
    public void zeroGrad() {
        for (ParamGroup group : groups) {
            for (Tensor p : group.params()) {
                p.zeroGrad();
            }
        }
    }

    public String name() {
        return name;
    }

    public List<ParamGroup> paramGroups() {
        return groups;
    }

    /** Every parameter, group by group: the order that numbers them in state dicts. */
    public List<Tensor> params() {
        List<Tensor> all = new ArrayList<>();
        for (ParamGroup g : groups) {
            all.addAll(g.params());
        }
        return all;
    }

    /** The state of a parameter, or null before its first update. */
    public ParamState state(Tensor param) {
        return state.get(param);
    }

    /**
     * A snapshot of the optimizer as flat keys: {@code group.<g>.<hyper-parameter>}, {@code group.<g>.params}
     * (global parameter indices), {@code state.<i>.step} and {@code state.<i>.<buffer>}, each a tensor (scalars are
     * f64), ready to be written to a safetensors file.
     */
    public Map<String, Tensor> stateDict() {
        return OptimizerStateDict.save(this);
    }

    /**
     * Restores a {@link #stateDict()} into this optimizer, which must have the same groups of parameters with the
     * same shapes. Hyper-parameters are restored too. On a mismatch nothing changes and the exception says what
     * differs.
     */
    public void loadStateDict(Map<String, Tensor> dict) {
        OptimizerStateDict.load(this, dict);
    }

    Map<Tensor, ParamState> stateMap() {
        return state;
    }

    /** Whether f32 CPU parameters take the fused loop (on by default; tests turn it off to compare both paths). */
    boolean fused() {
        return fused;
    }

    void setFused(boolean on) {
        fused = on;
    }
}
