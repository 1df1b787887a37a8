package dev.deneb.autograd;

import dev.deneb.tensor.BackwardRule;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Primitive;
import dev.deneb.tensor.Tape;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Entry points besides {@link Tensor#backward()}: gradients returned rather than accumulated, and custom ops. */
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
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs, boolean retainGraph, boolean createGraph) {
        return grad(List.of(output), Collections.singletonList(null), inputs, retainGraph, createGraph);
    }

    /** As {@link #grad(Tensor, List, boolean, boolean)}, for a non-scalar output with the given gradient. */
    public static List<Tensor> grad(Tensor output, Tensor gradOutput, List<Tensor> inputs, boolean retainGraph,
                                    boolean createGraph) {
        return grad(List.of(output), Collections.singletonList(gradOutput), inputs, retainGraph, createGraph);
    }

    /**
     * The gradients of the sum of several outputs (each weighted by its {@code gradOutputs} entry, or ones for a
     * one-element output when the entry is null) with respect to {@code inputs}.
     */
    public static List<Tensor> grad(List<Tensor> outputs, List<Tensor> gradOutputs, List<Tensor> inputs,
                                    boolean retainGraph, boolean createGraph) {
        if (outputs.size() != gradOutputs.size()) {
            throw new IllegalArgumentException("grad: " + outputs.size() + " outputs but " + gradOutputs.size()
                    + " output gradients");
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (!inputs.get(i).requiresGrad()) {
                throw new IllegalArgumentException("grad: input " + i + " (shape "
                        + java.util.Arrays.toString(inputs.get(i).shape()) + ") does not require grad");
            }
        }
        List<Tensor> seeds = new ArrayList<>(outputs.size());
        for (int i = 0; i < outputs.size(); i++) {
            seeds.add(Engine.seed(outputs.get(i), gradOutputs.get(i)));
        }
        Set<Tensor> capture = Collections.newSetFromMap(new IdentityHashMap<>());
        capture.addAll(inputs);
        Map<Tensor, Tensor> got = Engine.run(outputs, seeds, retainGraph, createGraph, capture);
        List<Tensor> out = new ArrayList<>(inputs.size());
        for (Tensor in : inputs) {
            Tensor g = got.get(in);
            out.add(g != null ? g : Tensor.zerosLike(in));
        }
        return out;
    }

    /**
     * A custom differentiable op (like PyTorch's {@code autograd.Function}): {@code result} was computed from
     * {@code inputs} (best with recording off or from detached inputs), and {@code rule} maps the gradient of the
     * result to one gradient per input (null where none is needed). Write the rule with tensor ops to make it
     * differentiable again; check it with {@link GradCheck}.
     *
     * <pre>{@code
     * Tensor y = Autograd.function("cube", x.detach().pow(3), g -> new Tensor[] {g.mul(x.pow(2)).mul(3)}, x);
     * }</pre>
     */
    public static Tensor function(String name, Tensor result, BackwardRule rule, Tensor... inputs) {
        return Tape.record(new Primitive.Custom(name, rule), result, inputs);
    }

    /**
     * As {@link #function(String, Tensor, BackwardRule, Tensor...)}, with {@code form}: what an exporter needs to
     * write the op in a graph format without running the rule (for example, the layer and weights an ONNX
     * {@code LSTM} node is made of). It is kept on the recorded node ({@link Primitive.Custom#form()}).
     */
    public static Tensor function(String name, Object form, Tensor result, BackwardRule rule, Tensor... inputs) {
        return Tape.record(new Primitive.Custom(name, rule, form), result, inputs);
    }
}
