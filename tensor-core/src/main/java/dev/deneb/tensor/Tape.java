package dev.deneb.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The recorded graph, as ops write it and as the gradient engine reads it. An op's result is recorded only when
 * recording is on ({@link GradMode}) and one of its inputs requires grad; otherwise recording costs one field read
 * per input. Kernels run with recording off, so the views and helper ops inside them leave no trace.
 */
public final class Tape {
    private Tape() {}

    /**
     * Records that {@code result} was computed from {@code inputs} by {@code op}, when recording is on and an input
     * requires grad; returns the recorded tensor ({@code result} itself, or a fresh alias of it when it already has
     * a history or is a leaf that requires grad). This is how a custom op joins the graph.
     */
    public static Tensor record(Primitive op, Tensor result, Tensor... inputs) {
        boolean grad = requiresGrad(inputs);
        if (!(grad || Tracing.isActive()) || !GradMode.isEnabled()) {
            return result;
        }
        grad &= result.dtype().isFloating();
        if (!grad && !Tracing.isActive()) {
            return result;
        }
        Tensor out = result.gradFn != null || result.requiresGrad ? result.alias() : result;
        out.requiresGrad = grad;
        out.gradFn = new Node(op, inputs.clone(), out);
        return out;
    }

    /** Runs {@code kernel} with recording off and records its result as {@code op} of {@code inputs}. */
    static Tensor run(Primitive op, Supplier<Tensor> kernel, Tensor... inputs) {
        if (!tracked(inputs)) {
            return kernel.get();
        }
        return record(op, untracked(kernel), inputs);
    }

    /** Runs a kernel with recording off (for kernels with several results, recorded by the caller). */
    static <T> T untracked(Supplier<T> kernel) {
        if (!GradMode.isEnabled()) {
            return kernel.get();
        }
        try (GradMode.Scope s = GradMode.noGrad()) {
            return kernel.get();
        }
    }

    /** True when recording is on and some input requires grad, or a trace is being taken ({@link Tracing}). */
    static boolean tracked(Tensor... inputs) {
        // Field reads first: the tracing flag is a thread-local, read only when no input requires grad.
        return (requiresGrad(inputs) || Tracing.isActive()) && GradMode.isEnabled();
    }

    /** True when recording is on and some input requires grad (a gradient would be recorded, tracing or not). */
    static boolean recordsGradient(Tensor... inputs) {
        return requiresGrad(inputs) && GradMode.isEnabled();
    }

    private static boolean requiresGrad(Tensor... inputs) {
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad) {
                return true;
            }
        }
        return false;
    }

    /** The node that computed {@code t}, or null for a leaf. */
    public static Node node(Tensor t) {
        return t.gradFn;
    }

    /** Applies {@code t}'s hooks to a gradient arriving at it; a hook may return a replacement. */
    public static Tensor runHooks(Tensor t, Tensor grad) {
        if (t.hooks != null) {
            for (UnaryOperator<Tensor> h : t.hooks) {
                Tensor r = h.apply(grad);
                grad = r == null ? grad : r;
            }
        }
        return grad;
    }

    /**
     * Adds {@code grad} to {@code t.grad()}. The first gradient of a contiguous tensor is stored contiguous (PyTorch's
     * gradient layout contract): a weight used transposed, as {@code linear} uses it, would otherwise get a transposed
     * view, and optimizers could not walk it in step with the weight and their state (Adam's fused loop).
     */
    public static void accumulateGrad(Tensor t, Tensor grad) {
        if (t.grad == null) {
            t.grad = t.isContiguous() ? grad.contiguous() : grad;
        } else {
            t.grad = t.grad.add(grad);
        }
    }

    /** True for a non-leaf whose gradient is kept ({@link Tensor#retainGrad()}). */
    public static boolean retainsGrad(Tensor t) {
        return t.retainsGrad;
    }

    static void registerHook(Tensor t, UnaryOperator<Tensor> hook) {
        if (t.hooks == null) {
            t.hooks = new ArrayList<>();
        }
        t.hooks.add(hook);
    }

    /** The gradient engine of the autograd module. */
    static GradientEngine engine() {
        return EngineHolder.ENGINE;
    }

    private static final class EngineHolder {
        static final GradientEngine ENGINE = load();

        private static GradientEngine load() {
            List<GradientEngine> found = new ArrayList<>();
            ServiceLoader.load(GradientEngine.class, Tape.class.getClassLoader()).forEach(found::add);
            return found.isEmpty() ? null : found.get(0);
        }
    }
}
