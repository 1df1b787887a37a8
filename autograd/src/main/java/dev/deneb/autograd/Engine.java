package dev.deneb.autograd;

import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.GradientEngine;
import dev.deneb.tensor.Node;
import dev.deneb.tensor.Primitive;
import dev.deneb.tensor.Tape;
import dev.deneb.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse mode: visit the recorded ops from the outputs back to the leaves in topological order, run each op's rule
 * ({@link Derivatives}) once all gradients of its output have arrived, and sum what reaches each leaf into its
 * {@code grad}. Found by tensor-core through {@link java.util.ServiceLoader}; users call {@link Tensor#backward()} or
 * {@link Autograd#grad}.
 */
public final class Engine implements GradientEngine {
    /** For {@link java.util.ServiceLoader}. */
    public Engine() {}

    @Override
    public void backward(List<Tensor> roots, List<Tensor> gradients, boolean retainGraph, boolean createGraph) {
        List<Tensor> seeds = new ArrayList<>(roots.size());
        for (int i = 0; i < roots.size(); i++) {
            seeds.add(seed(roots.get(i), gradients.get(i)));
        }
        run(roots, seeds, retainGraph, createGraph, null);
    }

    /**
     * Back-propagates {@code grads} from {@code roots}. When {@code capture} is null, gradients are accumulated into
     * the {@code grad} of leaves (and of non-leaves that retain it); otherwise nothing is accumulated and the total
     * gradient of each captured tensor is returned.
     */
    static Map<Tensor, Tensor> run(List<Tensor> roots, List<Tensor> grads, boolean retainGraph, boolean createGraph,
                                   Set<Tensor> capture) {
        PendingGradients pending = new PendingGradients(!createGraph);
        for (int i = 0; i < roots.size(); i++) {
            pending.add(roots.get(i), grads.get(i));
        }
        Map<Tensor, Tensor> captured = capture == null ? null : new IdentityHashMap<>();
        List<Tensor> order = topologicalOrder(roots);
        try (GradMode.Scope scope = GradMode.setEnabled(createGraph)) {
            for (Tensor t : order) {
                Tensor g = pending.take(t);
                if (g == null) {
                    continue;
                }
                g = Tape.runHooks(t, g);
                if (capture != null && capture.contains(t)) {
                    captured.merge(t, g, Tensor::add);
                }
                Node node = Tape.node(t);
                if (node == null) {
                    if (capture == null) {
                        Tape.accumulateGrad(t, createGraph ? g : g.detach());
                    }
                    continue;
                }
                if (capture == null && Tape.retainsGrad(t)) {
                    Tape.accumulateGrad(t, createGraph ? g : g.detach());
                }
                if (pending.inPlace() && node.op() instanceof Primitive.Region region) {
                    // Straight into the region of the input's gradient (see PendingGradients).
                    Tensor in = node.edge(0);
                    if (in.requiresGrad()) {
                        pending.addToRegion(in, region, g);
                    }
                    if (!retainGraph) {
                        node.release();
                    }
                    continue;
                }
                Tensor[] inputGrads = Derivatives.backward(node, g);
                for (int i = 0; i < node.arity(); i++) {
                    Tensor in = node.edge(i);
                    Tensor gi = inputGrads[i];
                    if (gi == null || !in.requiresGrad()) {
                        continue;
                    }
                    if (!gi.sameShape(in)) {
                        throw new IllegalStateException("backward: the rule of '" + node.op().name() + "' returned a"
                                + " gradient of shape " + Arrays.toString(gi.shape()) + " for input " + i + " of shape "
                                + Arrays.toString(in.shape()));
                    }
                    pending.add(in, gi);
                }
                if (!retainGraph) {
                    node.release();
                }
            }
        }
        return captured == null ? Collections.emptyMap() : captured;
    }

    /** Outputs first, leaves last: a reverse post-order depth-first walk (no recursion, so deep graphs are fine). */
    private static List<Tensor> topologicalOrder(List<Tensor> roots) {
        List<Tensor> post = new ArrayList<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Tensor> stack = new ArrayDeque<>();
        ArrayDeque<Integer> next = new ArrayDeque<>();
        for (Tensor root : roots) {
            if (!seen.add(root)) {
                continue;
            }
            stack.push(root);
            next.push(0);
            while (!stack.isEmpty()) {
                Tensor t = stack.peek();
                int i = next.pop();
                Node node = Tape.node(t);
                int arity = node == null || node.released() ? 0 : node.arity();
                if (i < arity) {
                    next.push(i + 1);
                    Tensor in = node.edge(i);
                    if (in.requiresGrad() && seen.add(in)) {
                        stack.push(in);
                        next.push(0);
                    }
                } else {
                    post.add(stack.pop());
                }
            }
        }
        return post.reversed();
    }

    /** The gradient to start from: ones for a one-element output, else it must be given. */
    static Tensor seed(Tensor root, Tensor grad) {
        if (!root.requiresGrad()) {
            throw new IllegalArgumentException("backward: the tensor (shape " + Arrays.toString(root.shape())
                    + ") does not require grad and has no recorded op; call requiresGrad(true) on the inputs, and do"
                    + " not compute it inside noGrad");
        }
        if (grad == null) {
            if (root.numel() != 1) {
                throw new IllegalArgumentException("backward: the output has shape " + Arrays.toString(root.shape())
                        + "; backward() without a gradient needs a one-element output (a loss), otherwise pass the"
                        + " gradient of the output, e.g. backward(Tensor.onesLike(out))");
            }
            return Tensor.onesLike(root);
        }
        if (!Arrays.equals(grad.shape(), root.shape())) {
            throw new IllegalArgumentException("backward: the gradient has shape " + Arrays.toString(grad.shape())
                    + ", but the output has shape " + Arrays.toString(root.shape()) + "; they must match");
        }
        return grad.to(root.dtype());
    }
}
