package dev.deneb.autograd;

import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Entry points besides {@link Variable#backward()}: gradients returned rather than accumulated. */
public final class Autograd {
    private Autograd() {}

    /** Shorthand for {@link GradMode#noGrad()}. */
    public static GradMode.Scope noGrad() {
        return GradMode.noGrad();
    }

    /**
     * The gradients of {@code output} (one element) with respect to each of {@code inputs}, without touching their
     * {@code grad} (like {@code torch.autograd.grad}). With {@code createGraph} the results can be differentiated
     * again (gradient penalties, Hessian-vector products). An input the output does not depend on gets zeros.
     */
    public static List<Variable> grad(Variable output, List<Variable> inputs, boolean retainGraph, boolean createGraph) {
        return grad(output, null, inputs, retainGraph, createGraph);
    }

    /** As {@link #grad(Variable, List, boolean, boolean)}, for a non-scalar output with the given gradient. */
    public static List<Variable> grad(Variable output, Tensor gradOutput, List<Variable> inputs, boolean retainGraph,
                                      boolean createGraph) {
        for (int i = 0; i < inputs.size(); i++) {
            if (!inputs.get(i).requiresGrad()) {
                throw new IllegalArgumentException("grad: input " + i + " does not require gradients");
            }
        }
        Variable seed = Engine.seed(output, gradOutput);
        Set<Variable> capture = Collections.newSetFromMap(new IdentityHashMap<>());
        capture.addAll(inputs);
        Map<Variable, Variable> got = Engine.run(List.of(output), List.of(seed), retainGraph, createGraph, capture);
        List<Variable> out = new ArrayList<>(inputs.size());
        for (Variable in : inputs) {
            Variable g = got.get(in);
            out.add(g != null ? g : Variable.of(Tensor.zerosLike(in.data())));
        }
        return out;
    }
}
