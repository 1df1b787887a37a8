package dev.deneb.nn;

import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A building block of a network: named parameters (trainable {@link Tensor}s), buffers (state that is saved but
 * not trained, such as running statistics) and named sub-modules, with train/eval mode and a state dict.
 *
 * <p>A custom layer registers what it owns in its constructor and implements {@link #forward}:
 * <pre>{@code
 * class Scale extends Layer {
 *     final Tensor gain = registerParameter("gain", Tensor.ones(1));
 *     public Tensor forward(Tensor x) { return x.mul(gain); }
 * }
 * }</pre>
 * Names nest with dots, as in PyTorch ({@code features.0.weight}), so state dicts carry over.
 */
public abstract class Layer {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Layer> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Computes the module's output. Modules with several inputs add their own {@code forward} overloads. */
    public abstract Tensor forward(Tensor input);

    // ---- registration ----

    /** Adds a trainable parameter initialised with {@code value}. */
    protected final Tensor registerParameter(String name, Tensor value) {
        checkName(name);
        Tensor p = value.requiresGrad(true);
        parameters.put(name, p);
        return p;
    }

    /** Adds (or replaces) a buffer: saved in the state dict, not trained. */
    protected final Tensor registerBuffer(String name, Tensor value) {
        if (!buffers.containsKey(name)) {
            checkName(name);
        }
        buffers.put(name, value);
        return value;
    }

    /** Adds a sub-module. */
    protected final <M extends Layer> M registerLayer(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": names must be non-empty and contain"
                    + " no '.', got '" + name + "'");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": '" + name + "' is already registered");
        }
    }

    /** A buffer of this module (not of its children). */
    protected final Tensor buffer(String name) {
        return buffers.get(name);
    }

    // ---- traversal ----

    /** All parameters of this module and its descendants, in registration order. */
    public List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Parameters by dotted name. */
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectParameters("", out);
        return out;
    }

    private void collectParameters(String prefix, Map<String, Tensor> out) {
        parameters.forEach((n, p) -> out.put(prefix + n, p));
        children.forEach((n, m) -> m.collectParameters(prefix + n + ".", out));
    }

    /** Buffers by dotted name. */
    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectBuffers("", out);
        return out;
    }

    private void collectBuffers(String prefix, Map<String, Tensor> out) {
        buffers.forEach((n, b) -> out.put(prefix + n, b));
        children.forEach((n, m) -> m.collectBuffers(prefix + n + ".", out));
    }

    /** The direct sub-modules by name. */
    public Map<String, Layer> children() {
        return new LinkedHashMap<>(children);
    }

    /** Total number of parameter elements. */
    public long parameterCount() {
        long n = 0;
        for (Tensor p : parameters()) {
            n += p.numel();
        }
        return n;
    }

    // ---- modes ----

    /** Training mode (dropout active, batch norm uses batch statistics); returns this module. */
    public Layer train() {
        return train(true);
    }

    /** Evaluation mode; returns this module. */
    public Layer eval() {
        return train(false);
    }

    public Layer train(boolean on) {
        training = on;
        children.values().forEach(c -> c.train(on));
        return this;
    }

    public boolean isTraining() {
        return training;
    }

    /** Clears the gradients of all parameters. */
    public void zeroGrad() {
        parameters().forEach(Tensor::zeroGrad);
    }

    // ---- state dict ----

    /** Parameters and buffers by dotted name (the tensors themselves, not copies). */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    private void collectState(String prefix, Map<String, Tensor> out) {
        parameters.forEach((n, p) -> out.put(prefix + n, p.detach()));
        buffers.forEach((n, b) -> out.put(prefix + n, b));
        children.forEach((n, m) -> m.collectState(prefix + n + ".", out));
    }

    /** What {@link #loadStateDict} did not match. */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {}

    /**
     * Copies values from {@code state} into this module's parameters and buffers. With {@code strict}, missing or
     * unexpected keys are an error; without, they are reported in the result. A shape mismatch is always an error.
     */
    public LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = stateDict();
        List<String> missing = new ArrayList<>();
        for (String k : own.keySet()) {
            if (!state.containsKey(k)) {
                missing.add(k);
            }
        }
        List<String> unexpected = new ArrayList<>(new TreeSet<>(state.keySet()));
        unexpected.removeAll(own.keySet());
        if (strict && (!missing.isEmpty() || !unexpected.isEmpty())) {
            throw new IllegalArgumentException("loadStateDict: the state dict does not fit "
                    + getClass().getSimpleName() + ": missing keys " + missing + ", unexpected keys " + unexpected);
        }
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src != null && !Arrays.equals(src.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("loadStateDict: '" + e.getKey() + "' has shape "
                        + Arrays.toString(src.shape()) + " in the state dict, but the model expects "
                        + Arrays.toString(e.getValue().shape()));
            }
        }
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src != null) {
                e.getValue().copyFrom(src.to(e.getValue().backend()));
            }
        }
        return new LoadResult(missing, unexpected);
    }

    // ---- printing ----

    /** A table of every parameter with its shape and element count, and the totals. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        Map<String, Tensor> named = namedParameters();
        int width = Math.max(9, named.keySet().stream().mapToInt(String::length).max().orElse(0));
        sb.append(String.format("%-" + width + "s  %-20s  %12s%n", "parameter", "shape", "count"));
        long total = 0;
        for (Map.Entry<String, Tensor> e : named.entrySet()) {
            long n = e.getValue().numel();
            total += n;
            sb.append(String.format("%-" + width + "s  %-20s  %,12d%n", e.getKey(),
                    Arrays.toString(e.getValue().shape()), n));
        }
        sb.append(String.format("%s%ntotal: %,d parameters in %d tensors%n", this, total, named.size()));
        return sb.toString();
    }

    /** A PyTorch-like tree: {@code Sequential(\n  (0): Linear(in=784, out=256)\n ...)}. */
    @Override
    public String toString() {
        if (children.isEmpty()) {
            return getClass().getSimpleName() + "(" + describe() + ")";
        }
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append("(");
        String own = describe();
        if (!own.isEmpty()) {
            sb.append(own);
        }
        children.forEach((n, m) -> sb.append("\n  (").append(n).append("): ")
                .append(m.toString().replace("\n", "\n  ")));
        return sb.append("\n)").toString();
    }

    /** Hyper-parameters shown by {@link #toString()}; empty by default. */
    protected String describe() {
        return "";
    }
}
