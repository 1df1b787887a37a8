package dev.deneb.optim;

import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters that share hyper-parameters, like one entry of PyTorch's {@code param_groups}. Values set before the
 * group is given to an optimizer override that optimizer's options; the rest are filled from the options. Afterwards
 * the values stay writable (schedulers change {@code lr} this way), but only under names the optimizer knows.
 *
 * <pre>{@code ParamGroup.of(encoderParams).lr(1e-4).weightDecay(0.0)}</pre>
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Double> hyper = new LinkedHashMap<>();
    private String owner;
    private int index = -1;

    private ParamGroup(List<Tensor> params) {
        this.params = params;
    }

    public static ParamGroup of(Collection<Tensor> params) {
        if (params == null) {
            throw new IllegalArgumentException("ParamGroup: the parameter list is null");
        }
        List<Tensor> copy = new ArrayList<>(params.size());
        for (Tensor p : params) {
            if (p == null) {
                throw new IllegalArgumentException("ParamGroup: parameter " + copy.size() + " is null");
            }
            copy.add(p);
        }
        return new ParamGroup(Collections.unmodifiableList(copy));
    }

    public static ParamGroup of(Tensor... params) {
        return of(List.of(params));
    }

    public List<Tensor> params() {
        return params;
    }

    public ParamGroup lr(double lr) {
        return set("lr", lr);
    }

    public ParamGroup weightDecay(double weightDecay) {
        return set("weight_decay", weightDecay);
    }

    /** Sets a hyper-parameter by its PyTorch name ({@code momentum}, {@code beta1}, {@code eps}…). */
    public ParamGroup set(String name, double value) {
        if (owner != null && !hyper.containsKey(name)) {
            throw new IllegalArgumentException(owner + ": unknown hyper-parameter '" + name + "'; known: "
                    + hyper.keySet());
        }
        hyper.put(name, value);
        return this;
    }

    /** Boolean hyper-parameters ({@code nesterov}, {@code amsgrad}, {@code centered}) are stored as 1 or 0. */
    public ParamGroup set(String name, boolean value) {
        return set(name, value ? 1.0 : 0.0);
    }

    public double lr() {
        return get("lr");
    }

    public double get(String name) {
        Double v = hyper.get(name);
        if (v == null) {
            throw new IllegalArgumentException((owner == null ? "ParamGroup" : owner) + ": no hyper-parameter '"
                    + name + "'; known: " + hyper.keySet());
        }
        return v;
    }

    public boolean flag(String name) {
        return get(name) != 0.0;
    }

    public boolean has(String name) {
        return hyper.containsKey(name);
    }

    /** All hyper-parameters, read-only, in the optimizer's order. */
    public Map<String, Double> hyperParameters() {
        return Collections.unmodifiableMap(hyper);
    }

    /** Ties the group to its optimizer: rejects unknown overrides and fills the rest from the defaults. */
    void bind(String optimizer, int groupIndex, Map<String, Double> defaults) {
        if (owner != null) {
            throw new IllegalArgumentException(optimizer + ": parameter group " + groupIndex
                    + " already belongs to another optimizer (" + owner + ")");
        }
        for (String key : hyper.keySet()) {
            if (!defaults.containsKey(key)) {
                throw new IllegalArgumentException(optimizer + ": unknown hyper-parameter '" + key
                        + "' in parameter group " + groupIndex + "; known: " + defaults.keySet());
            }
        }
        Map<String, Double> merged = new LinkedHashMap<>(defaults);
        merged.putAll(hyper);
        hyper.clear();
        hyper.putAll(merged);
        owner = optimizer;
        index = groupIndex;
    }

    /** Fails with a message naming the optimizer, the group and the bad value unless {@code ok}. */
    void require(boolean ok, String name, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(owner + ": invalid " + name + " " + hyper.get(name)
                    + " in parameter group " + index + " (" + rule + ")");
        }
    }

    /** Checks {@code 0 <= value} and returns it. */
    double nonNegative(String name) {
        double v = get(name);
        require(v >= 0, name, "must be >= 0");
        return v;
    }
}
