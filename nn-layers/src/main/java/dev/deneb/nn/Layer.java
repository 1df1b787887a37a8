package dev.deneb.nn;

import dev.deneb.tensor.Backend;
import dev.deneb.tensor.Backends;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

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
 *
 * <p><b>forward and call.</b> Java has no {@code __call__}: {@code net.forward(x)} only computes, while
 * {@code net.call(x)} computes and runs the forward hooks around it (PyTorch's {@code net(x)}). Subclasses override
 * {@code forward}; containers and composite layers invoke their children with {@code call}, so hooks and
 * {@link #summary(int...)} see every layer inside a model.
 */
public abstract class Layer {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Layer> children = new LinkedHashMap<>();
    private final Map<HookHandle, ForwardPreHook> preHooks = new LinkedHashMap<>();
    private final Map<HookHandle, ForwardHook> hooks = new LinkedHashMap<>();
    private boolean training = true;

    /**
     * Computes the layer's output; this is what a subclass implements. It runs no hooks: invoke a layer with
     * {@link #call(Tensor)} to have them run. Layers with several inputs add their own {@code forward} overloads.
     */
    public abstract Tensor forward(Tensor input);

    // ---- calling with hooks ----

    /**
     * Runs the forward pre-hooks (which may replace the input), {@link #forward(Tensor)}, then the forward hooks
     * (which may replace the output): PyTorch's {@code layer(x)}.
     */
    public final Tensor call(Tensor input) {
        if (preHooks.isEmpty() && hooks.isEmpty()) {
            return forward(input);
        }
        return call(input, this::forward);
    }

    /**
     * As {@link #call(Tensor)} around another forward overload, for layers with extra arguments:
     * {@code layer.call(x, t -> layer.forward(t, mask))}. The hooks see {@code input} and the returned tensor.
     */
    public final Tensor call(Tensor input, UnaryOperator<Tensor> forwardPass) {
        Tensor x = input;
        for (ForwardPreHook h : List.copyOf(preHooks.values())) {
            Tensor replaced = h.apply(this, x);
            x = replaced == null ? x : replaced;
        }
        Tensor y = forwardPass.apply(x);
        for (ForwardHook h : List.copyOf(hooks.values())) {
            Tensor replaced = h.apply(this, x, y);
            y = replaced == null ? y : replaced;
        }
        return y;
    }

    /** Adds a hook run before {@code forward} by {@link #call(Tensor)}; hooks run in registration order. */
    public HookHandle registerForwardPreHook(ForwardPreHook hook) {
        return addHook(preHooks, hook, "registerForwardPreHook");
    }

    /** Adds a hook run after {@code forward} by {@link #call(Tensor)}; hooks run in registration order. */
    public HookHandle registerForwardHook(ForwardHook hook) {
        return addHook(hooks, hook, "registerForwardHook");
    }

    private <H> HookHandle addHook(Map<HookHandle, H> into, H hook, String op) {
        if (hook == null) {
            throw new IllegalArgumentException(typeName() + "." + op + ": the hook is null");
        }
        HookHandle handle = new HookHandle(into);
        into.put(handle, hook);
        return handle;
    }

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
        if (module == null) {
            throw new IllegalArgumentException(typeName() + ": the layer registered as '" + name + "' is null");
        }
        children.put(name, module);
        return module;
    }

    /** Replaces the sub-module registered as {@code name} (for {@link LayerDict#put}). */
    final void replaceLayer(String name, Layer module) {
        if (module == null) {
            throw new IllegalArgumentException(typeName() + ": the layer put as '" + name + "' is null");
        }
        children.replace(name, module);
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(typeName() + ": names must be non-empty and contain"
                    + " no '.', got '" + name + "'");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(typeName() + ": '" + name + "' is already registered");
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

    /** The direct sub-layers, in registration order (PyTorch's {@code children()}). */
    public List<Layer> children() {
        return List.copyOf(children.values());
    }

    /** The direct sub-layers by name (PyTorch's {@code named_children()}). */
    public Map<String, Layer> namedChildren() {
        return new LinkedHashMap<>(children);
    }

    /**
     * This layer and all its descendants, depth-first in pre-order (a layer before its children, children in
     * registration order); a layer reachable twice is listed once. PyTorch's {@code modules()}.
     */
    public List<Layer> layers() {
        return new ArrayList<>(namedLayers().values());
    }

    /**
     * {@link #layers()} by dotted name: {@code ""} for this layer, {@code "features"}, {@code "features.0"}… PyTorch's
     * {@code named_modules()}.
     */
    public Map<String, Layer> namedLayers() {
        Map<String, Layer> out = new LinkedHashMap<>();
        collectLayers("", out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private void collectLayers(String name, Map<String, Layer> out, Set<Layer> seen) {
        if (!seen.add(this)) {
            return;
        }
        out.put(name, this);
        children.forEach((n, c) -> c.collectLayers(name.isEmpty() ? n : name + "." + n, out, seen));
    }

    /**
     * Calls {@code fn} on every descendant (children first, recursively), then on this layer, as PyTorch's
     * {@code apply}, e.g. for custom initialisation. Returns this layer.
     */
    public Layer apply(Consumer<Layer> fn) {
        children.values().forEach(c -> c.apply(fn));
        fn.accept(this);
        return this;
    }

    /** The parameters registered on this layer itself (not its children). */
    final Map<String, Tensor> ownParameters() {
        return Collections.unmodifiableMap(parameters);
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

    // ---- freezing ----

    /**
     * Stops gradients for every parameter of this layer and its descendants ({@code requiresGrad(false)}), e.g. to
     * fine-tune only a new head; optimizers skip frozen parameters. Returns this layer.
     */
    public Layer freeze() {
        parameters().forEach(p -> p.requiresGrad(false));
        return this;
    }

    /** Makes every parameter of this layer and its descendants trainable again. Returns this layer. */
    public Layer unfreeze() {
        parameters().forEach(p -> p.requiresGrad(true));
        return this;
    }

    // ---- dtype and backend ----

    /**
     * Converts every floating-point parameter and buffer of this layer and its descendants (and their gradients) to
     * {@code dtype}, in place: the tensor objects stay the same, so fields and optimizers that hold them remain
     * valid. Integer buffers (such as {@code num_batches_tracked}) keep their type, as in PyTorch. Returns this layer.
     */
    public Layer to(DType dtype) {
        if (!dtype.isFloating()) {
            throw new IllegalArgumentException(typeName() + ".to: a layer converts to a floating-point dtype (f32 or"
                    + " f64), got " + dtype + "; integer buffers keep their type anyway");
        }
        for (Tensor t : state()) {
            if (t.dtype().isFloating()) {
                t.toInPlace(dtype);
            }
        }
        return this;
    }

    /**
     * Moves every parameter and buffer of this layer and its descendants (and their gradients) to {@code backend},
     * in place, keeping the tensor objects. Returns this layer.
     */
    public Layer to(Backend backend) {
        for (Tensor t : state()) {
            t.toInPlace(backend);
        }
        return this;
    }

    /** Every parameter and buffer once (a tensor shared by two layers is listed once). */
    private List<Tensor> state() {
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : namedParameters().values()) {
            if (seen.add(t)) {
                out.add(t);
            }
        }
        for (Tensor t : namedBuffers().values()) {
            if (seen.add(t)) {
                out.add(t);
            }
        }
        return out;
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
                    + typeName() + ": missing keys " + missing + ", unexpected keys " + unexpected);
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

    /**
     * A table of the layers, as torchinfo's {@code summary(model, input_size)}: each layer's dotted name (indented by
     * depth), type, output shape and number of own parameters, then the parameter totals (trainable and frozen). It
     * runs one forward pass (with {@link #call(Tensor)}) on zeros of {@code inputShape}, batch axis included, in the
     * parameters' dtype and backend, without recording gradients and in eval mode; each layer's mode is restored
     * afterwards. Layers the pass does not reach through {@code call} (or reaches only through overloads returning
     * something else than a tensor) show {@code --}. Returns the table; print it.
     */
    public String summary(int... inputShape) {
        if (inputShape.length == 0) {
            throw new IllegalArgumentException("summary: expected an input shape with the batch axis, e.g."
                    + " summary(1, 784); summary() without a shape lists the parameters");
        }
        Tensor like = state().stream().filter(t -> t.dtype().isFloating()).findFirst().orElse(null);
        Tensor zeros = Tensor.zeros(like == null ? DType.F32 : like.dtype(), inputShape);
        return summary(zeros.to(like == null ? Backends.current() : like.backend()));
    }

    /** As {@link #summary(int...)} with a given input (e.g. integer indices for an embedding). */
    public String summary(Tensor input) {
        return LayerSummary.of(this, input);
    }

    /** A PyTorch-like tree: {@code Sequential(\n  (0): Linear(in=784, out=256)\n ...)}. */
    @Override
    public String toString() {
        if (children.isEmpty()) {
            return typeName() + "(" + describe() + ")";
        }
        StringBuilder sb = new StringBuilder(typeName()).append("(");
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

    /**
     * The name printed by {@link #toString()} and {@link #summary(int...)}: the class's simple name, or for an
     * anonymous class ({@code new Layer() {...}}) that of its nearest named superclass ("Layer", "Sequential").
     */
    protected String typeName() {
        Class<?> c = getClass();
        while (c.getSimpleName().isEmpty()) {
            c = c.getSuperclass();
        }
        return c.getSimpleName();
    }
}
