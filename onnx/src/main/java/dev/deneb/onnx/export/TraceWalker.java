package dev.deneb.onnx.export;

import dev.deneb.onnx.OnnxException;
import dev.deneb.nn.recurrent.Recurrence;
import dev.deneb.tensor.Node;
import dev.deneb.tensor.Primitive;
import dev.deneb.tensor.Tape;
import dev.deneb.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a traced forward pass (the nodes recorded under {@link dev.deneb.tensor.Tracing}) into ONNX nodes, walking
 * back from the outputs. Graph inputs and parameters are named by the caller; other leaves become initializers.
 * An op whose inputs are all constants is folded: its traced value becomes an initializer, as
 * {@code torch.onnx.export}'s constant folding does, so masks and tables built in {@code forward} cost nothing at
 * run time. Expand is never folded: a broadcast scalar stays a scalar.
 */
final class TraceWalker {
    private final GraphWriter out;
    private final Map<Tensor, Value> values = new IdentityHashMap<>();
    private final Map<Tensor, List<Primitive>> consumers = new IdentityHashMap<>();
    private final PrimitiveWriter primitives;
    private final Map<Tensor, String> state;

    /**
     * {@code inputs}: the graph inputs by identity, with their names; {@code state}: parameters and buffers by
     * identity, with their state-dict names, written as initializers when the graph reads them.
     */
    TraceWalker(GraphWriter out, Map<Tensor, Value> inputs, Map<Tensor, String> state) {
        this.out = out;
        this.values.putAll(inputs);
        this.state = state;
        this.primitives = new PrimitiveWriter(out, this);
    }

    /** The names of {@code outputs}, writing every op they depend on. */
    List<String> write(List<Tensor> outputs) {
        countConsumers(outputs);
        List<String> names = new ArrayList<>();
        for (Tensor t : outputs) {
            Value v = resolve(t);
            names.add(v.name());
        }
        return names;
    }

    /** The value already written for {@code t} (every dependency is written before its consumer). */
    Value value(Tensor t) {
        Value v = values.get(t);
        if (v == null) {
            throw new IllegalStateException("onnx export: a value was used before it was written");
        }
        return v;
    }

    /** True when every op reading {@code t} broadcasts its operands (so an Expand in front of them can go). */
    boolean onlyBroadcastingConsumers(Tensor t) {
        List<Primitive> c = consumers.get(t);
        if (c == null || c.isEmpty()) {
            return false;
        }
        for (Primitive p : c) {
            if (!(p instanceof Primitive.Binary || p instanceof Primitive.Where)) {
                return false;
            }
        }
        return true;
    }

    private Value resolve(Tensor root) {
        Deque<Tensor> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Tensor t = stack.peek();
            if (values.containsKey(t)) {
                stack.pop();
                continue;
            }
            Node node = Tape.node(t);
            if (node == null) {
                stack.pop();
                values.put(t, new Value(out.constant(state.get(t), t), true)); // a weight, or a constant
                continue;
            }
            boolean ready = true;
            for (Tensor d : dependencies(node)) {
                if (d != null && !values.containsKey(d)) {
                    stack.push(d);
                    ready = false;
                }
            }
            if (ready) {
                stack.pop();
                values.put(t, write(t, node));
            }
        }
        return values.get(root);
    }

    private Value write(Tensor t, Node node) {
        try {
            node.checkAll();
        } catch (IllegalStateException e) {
            throw new OnnxException("onnx export: '" + node.op().name() + "' read a value that was changed in place"
                    + " later in forward, so the trace does not describe the computation; compute on a copy", e);
        }
        boolean constant = true;
        for (Tensor d : dependencies(node)) {
            if (d != null && !values.get(d).constant()) {
                constant = false;
            }
        }
        if (node.op() instanceof Primitive.Expand) {
            // Written, never folded: a scalar broadcast to the batch's shape stays a scalar. Still a constant to
            // its consumers, which fold when all they read is constant.
            return new Value(primitives.write(node, t), constant);
        }
        if (constant) {
            return new Value(out.constant(null, t), true);
        }
        return new Value(primitives.write(node, t), false);
    }

    /** The tensors an op reads: its inputs, and tensors held in its record (indices, a recurrent layer's arguments). */
    static List<Tensor> dependencies(Node node) {
        List<Tensor> deps = new ArrayList<>();
        for (int i = 0; i < node.arity(); i++) {
            deps.add(node.edge(i));
        }
        switch (node.op()) {
            case Primitive.IndexSelect p -> deps.add(p.index());
            case Primitive.Gather p -> deps.add(p.index());
            case Primitive.Scatter p -> deps.add(p.index());
            case Primitive.ScatterReduce p -> deps.add(p.index());
            case Primitive.Custom c when c.form() instanceof Recurrence.Form f -> {
                deps.clear();
                deps.addAll(java.util.Arrays.asList(f.x(), f.h0(), f.c0(), f.wIh(), f.wHh(), f.bIh(), f.bHh(),
                        f.valid()));
            }
            default -> { }
        }
        return deps;
    }

    private void countConsumers(List<Tensor> outputs) {
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        Deque<Tensor> stack = new ArrayDeque<>(outputs);
        for (Tensor o : outputs) {
            consumers.computeIfAbsent(o, k -> new ArrayList<>()).add(null); // a graph output broadcasts nothing
        }
        while (!stack.isEmpty()) {
            Tensor t = stack.pop();
            if (seen.put(t, Boolean.TRUE) != null || values.containsKey(t)) {
                continue;
            }
            Node node = Tape.node(t);
            if (node == null) {
                continue;
            }
            for (Tensor d : dependencies(node)) {
                if (d != null) {
                    consumers.computeIfAbsent(d, k -> new ArrayList<>()).add(node.op());
                    stack.push(d);
                }
            }
        }
    }
}
