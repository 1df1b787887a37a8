package dev.deneb.autograd;

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
 * once all gradients of its output have arrived, and sum what reaches each leaf into its {@code grad}.
 */
final class Engine {
    private Engine() {}

    /**
     * Back-propagates {@code grads} from {@code roots}. When {@code capture} is null, gradients are accumulated into
     * the {@code grad} of leaves (and of non-leaves that retain it); otherwise nothing is accumulated and the total
     * gradient of each captured variable is returned.
     */
    static Map<Variable, Variable> run(List<Variable> roots, List<Variable> grads, boolean retainGraph,
                                       boolean createGraph, Set<Variable> capture) {
        Map<Variable, Variable> pending = new IdentityHashMap<>();
        for (int i = 0; i < roots.size(); i++) {
            pending.merge(roots.get(i), grads.get(i), Variable::add);
        }
        Map<Variable, Variable> captured = capture == null ? null : new IdentityHashMap<>();
        List<Variable> order = topologicalOrder(roots);
        try (GradMode.Scope scope = GradMode.set(createGraph)) {
            for (Variable v : order) {
                Variable g = pending.remove(v);
                if (g == null) {
                    continue;
                }
                g = v.runHooks(g);
                if (capture != null && capture.contains(v)) {
                    captured.merge(v, g, Variable::add);
                }
                Node node = v.node();
                if (node == null) {
                    if (capture == null) {
                        v.accumulateGrad(createGraph ? g : g.detach());
                    }
                    continue;
                }
                if (capture == null && v.retainsGrad()) {
                    v.accumulateGrad(createGraph ? g : g.detach());
                }
                Variable[] inputs = node.inputs();
                Variable[] inputGrads = node.backward(g);
                for (int i = 0; i < inputs.length; i++) {
                    Variable in = inputs[i];
                    Variable gi = inputGrads[i];
                    if (gi == null || !in.requiresGrad()) {
                        continue;
                    }
                    if (!gi.data().sameShape(in.data())) {
                        throw new IllegalStateException("backward: the rule of '" + node.op + "' returned a gradient"
                                + " of shape " + Arrays.toString(gi.shape()) + " for input " + i + " of shape "
                                + Arrays.toString(in.shape()));
                    }
                    pending.merge(in, gi, Variable::add);
                }
                if (!retainGraph) {
                    node.release();
                }
            }
        }
        return captured == null ? Collections.emptyMap() : captured;
    }

    /** Outputs first, leaves last: a reverse post-order depth-first walk (no recursion, so deep graphs are fine). */
    private static List<Variable> topologicalOrder(List<Variable> roots) {
        List<Variable> post = new ArrayList<>();
        Set<Variable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Variable> stack = new ArrayDeque<>();
        ArrayDeque<Integer> next = new ArrayDeque<>();
        for (Variable root : roots) {
            if (!seen.add(root)) {
                continue;
            }
            stack.push(root);
            next.push(0);
            while (!stack.isEmpty()) {
                Variable v = stack.peek();
                int i = next.pop();
                Variable[] inputs = v.node() == null || v.node().released() ? new Variable[0] : v.node().inputs();
                if (i < inputs.length) {
                    next.push(i + 1);
                    Variable in = inputs[i];
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
    static Variable seed(Variable root, Tensor grad) {
        if (!root.requiresGrad()) {
            throw new IllegalArgumentException("backward: the tensor (shape " + Arrays.toString(root.shape())
                    + ") does not require grad and has no recorded op; call requiresGrad(true) on the inputs, and do"
                    + " not compute it inside noGrad");
        }
        if (grad == null) {
            if (root.numel() != 1) {
                throw new IllegalArgumentException("backward: the output has shape " + Arrays.toString(root.shape())
                        + "; backward() without a gradient needs a one-element output (a loss), otherwise pass the"
                        + " gradient of the output, e.g. backward(Tensor.onesLike(out.data()))");
            }
            return Variable.of(Tensor.onesLike(root.data()));
        }
        if (!Arrays.equals(grad.shape(), root.shape())) {
            throw new IllegalArgumentException("backward: the gradient has shape " + Arrays.toString(grad.shape())
                    + ", but the output has shape " + Arrays.toString(root.shape()) + "; they must match");
        }
        return Variable.of(grad.to(root.dtype()));
    }
}
