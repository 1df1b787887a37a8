package dev.deneb.onnx.runtime;

import dev.deneb.onnx.OnnxException;
import dev.deneb.onnx.TensorProtos;
import dev.deneb.onnx.proto.GraphProto;
import dev.deneb.onnx.proto.ModelProto;
import dev.deneb.onnx.proto.NodeProto;
import dev.deneb.onnx.proto.OperatorSetId;
import dev.deneb.onnx.proto.TensorProto;
import dev.deneb.onnx.proto.ValueInfoProto;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Runs an ONNX graph node by node with Deneb tensor ops. The constructor checks everything that can be checked
 * without data (opset, domains, operator names, input and output counts, topological order, input types), so an
 * unsupported model fails when loaded rather than half-way through a run.
 */
public final class Interpreter {
    private final GraphProto graph;
    private final long opset;
    private final List<OpSpec> specs = new ArrayList<>();
    private final List<ValueInfoProto> inputs = new ArrayList<>();
    private final List<String> outputNames;
    /** For each node, the values whose last reader it is: dropped after it runs so memory can be reclaimed. */
    private final List<List<String>> lastReaders = new ArrayList<>();

    /**
     * Checks {@code model} against {@code registry} and prepares it to run.
     *
     * @throws OnnxException naming what Deneb cannot run
     */
    public Interpreter(ModelProto model, OpRegistry registry) {
        this.graph = model.graph();
        if (graph == null) {
            throw new OnnxException("the model has no graph");
        }
        this.opset = checkOpset(model);
        Set<String> initializers = new HashSet<>();
        for (TensorProto t : graph.initializers()) {
            initializers.add(t.name());
        }
        for (ValueInfoProto in : graph.inputs()) {
            // Before IR version 4, initializers were also listed as inputs (with their values as defaults).
            if (!initializers.contains(in.name())) {
                TensorProtos.dtype(in.elemType(), "graph input '" + in.name() + "'");
                inputs.add(in);
            }
        }
        checkOperators(registry);
        checkOrder(initializers);
        this.outputNames = graph.outputs().stream().map(ValueInfoProto::name).toList();
    }

    private static long checkOpset(ModelProto model) {
        for (OperatorSetId id : model.opsetImport()) {
            if (!id.domain().isEmpty() && !id.domain().equals("ai.onnx")) {
                // Importing another domain is harmless as long as no node uses it (checked per node).
                continue;
            }
            if (id.version() < OpRegistry.MIN_OPSET || id.version() > OpRegistry.MAX_OPSET) {
                throw new OnnxException("opset " + id.version() + " is not supported (Deneb reads opsets "
                        + OpRegistry.MIN_OPSET + " to " + OpRegistry.MAX_OPSET + ")");
            }
        }
        long v = model.defaultOpset();
        if (v < 0) {
            throw new OnnxException("the model imports no opset of the default ONNX domain (Deneb reads opsets "
                    + OpRegistry.MIN_OPSET + " to " + OpRegistry.MAX_OPSET + ")");
        }
        return v;
    }

    private void checkOperators(OpRegistry registry) {
        Map<String, Integer> unknown = new TreeMap<>();
        List<String> foreign = new ArrayList<>();
        for (NodeProto n : graph.nodes()) {
            String domain = n.domain() == null ? "" : n.domain();
            if (!domain.isEmpty() && !domain.equals("ai.onnx")) {
                foreign.add(OpCall.describe(n) + " of domain '" + domain + "'");
                continue;
            }
            OpSpec spec = registry.get(n.opType());
            if (spec == null) {
                unknown.merge(n.opType(), 1, Integer::sum);
            }
            specs.add(spec);
        }
        if (!foreign.isEmpty()) {
            throw new OnnxException("Deneb runs only operators of the default ONNX domain ('' or 'ai.onnx'); the model"
                    + " has " + String.join(", ", foreign));
        }
        if (!unknown.isEmpty()) {
            String list = unknown.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + " node"
                    + (e.getValue() == 1 ? "" : "s") + ")").collect(Collectors.joining(", "));
            throw new OnnxException("unsupported operators: " + list + ". Deneb supports "
                    + String.join(", ", registry.opTypes()));
        }
        for (int k = 0; k < specs.size(); k++) {
            NodeProto n = graph.nodes().get(k);
            OpSpec spec = specs.get(k);
            int given = n.inputs().size();
            if (given < spec.minInputs() || given > spec.maxInputs()) {
                throw new OnnxException(OpCall.describe(n) + " has " + given + " input" + (given == 1 ? "" : "s")
                        + " " + n.inputs() + ", " + n.opType() + " takes " + spec.inputCounts());
            }
            if (n.outputs().isEmpty() || n.outputs().size() > spec.maxOutputs()) {
                throw new OnnxException(OpCall.describe(n) + " has " + n.outputs().size() + " outputs "
                        + n.outputs() + ", " + n.opType() + " gives 1" + (spec.maxOutputs() == 1 ? "" : " to "
                        + (spec.maxOutputs() == Integer.MAX_VALUE ? "any number" : spec.maxOutputs())));
            }
        }
    }

    private void checkOrder(Set<String> initializers) {
        Set<String> defined = new HashSet<>(initializers);
        inputs.forEach(i -> defined.add(i.name()));
        Map<String, Integer> lastUse = new HashMap<>();
        List<NodeProto> nodes = graph.nodes();
        for (int k = 0; k < nodes.size(); k++) {
            NodeProto n = nodes.get(k);
            for (String in : n.inputs()) {
                if (in.isEmpty()) {
                    continue;
                }
                if (!defined.contains(in)) {
                    throw new OnnxException(OpCall.describe(n) + " reads '" + in + "', which no graph input,"
                            + " initializer or earlier node defines (nodes must be in topological order)");
                }
                lastUse.put(in, k);
            }
            for (String out : n.outputs()) {
                if (!out.isEmpty()) {
                    defined.add(out);
                }
            }
        }
        for (ValueInfoProto out : graph.outputs()) {
            if (!defined.contains(out.name())) {
                throw new OnnxException("graph output '" + out.name() + "' is not computed by any node");
            }
            lastUse.remove(out.name());
        }
        for (int k = 0; k < nodes.size(); k++) {
            lastReaders.add(new ArrayList<>());
        }
        // Initializers stay: they are the model's state, shared by every run.
        lastUse.forEach((name, k) -> {
            if (!initializers.contains(name)) {
                lastReaders.get(k).add(name);
            }
        });
    }

    /** The model's opset of the default domain. */
    public long opset() {
        return opset;
    }

    /** The graph inputs that are not initializers: what a caller feeds. */
    public List<ValueInfoProto> inputs() {
        return List.copyOf(inputs);
    }

    /** The graph outputs' names, in order. */
    public List<String> outputNames() {
        return outputNames;
    }

    /**
     * Evaluates the graph.
     *
     * @param feeds        a value for every graph input (checked against its declared type and shape)
     * @param initializers the initializers' current values by ONNX name
     * @return every graph output by name, in the graph's order
     */
    public Map<String, Tensor> run(Map<String, Tensor> feeds, Map<String, Tensor> initializers) {
        Map<String, Tensor> values = new HashMap<>(initializers);
        for (ValueInfoProto in : inputs) {
            Tensor t = feeds.get(in.name());
            if (t == null) {
                throw new OnnxException("no value given for graph input '" + in.name() + "' (the inputs are "
                        + inputNames() + ")");
            }
            checkInput(in, t);
            values.put(in.name(), t);
        }
        for (String name : feeds.keySet()) {
            if (inputs.stream().noneMatch(i -> i.name().equals(name))) {
                throw new OnnxException("'" + name + "' is not an input of the graph (the inputs are "
                        + inputNames() + ")");
            }
        }
        List<NodeProto> nodes = graph.nodes();
        for (int k = 0; k < nodes.size(); k++) {
            NodeProto n = nodes.get(k);
            List<Tensor> args = new ArrayList<>(n.inputs().size());
            for (String in : n.inputs()) {
                args.add(in.isEmpty() ? null : values.get(in));
            }
            Tensor[] outs = evaluate(specs.get(k), n, args);
            for (int o = 0; o < n.outputs().size(); o++) {
                String name = n.outputs().get(o);
                if (name.isEmpty()) {
                    continue;
                }
                if (o >= outs.length || outs[o] == null) {
                    throw new OnnxException(OpCall.describe(n) + ": output " + o + " ('" + name + "') is not"
                            + " computed by Deneb's " + n.opType());
                }
                values.put(name, outs[o]);
            }
            for (String dead : lastReaders.get(k)) {
                values.remove(dead);
            }
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : outputNames) {
            out.put(name, values.get(name));
        }
        return out;
    }

    private Tensor[] evaluate(OpSpec spec, NodeProto n, List<Tensor> args) {
        try {
            return spec.op().apply(new OpCall(n, args, opset));
        } catch (OnnxException e) {
            throw e;
        } catch (RuntimeException e) {
            String shapes = args.stream().map(t -> t == null ? "-" : t.dtype() + Arrays.toString(t.shape()))
                    .collect(Collectors.joining(", "));
            throw new OnnxException(OpCall.describe(n) + " failed on inputs " + shapes + ": " + e.getMessage(), e);
        }
    }

    private List<String> inputNames() {
        return inputs.stream().map(ValueInfoProto::name).toList();
    }

    private static void checkInput(ValueInfoProto in, Tensor t) {
        DType want = TensorProtos.dtype(in.elemType(), "graph input '" + in.name() + "'");
        boolean typeOk = want.isFloating() ? t.dtype().isFloating() : t.dtype() == want;
        if (!typeOk) {
            throw new OnnxException("graph input '" + in.name() + "' is declared " + want + ", got a " + t.dtype()
                    + " tensor" + (want.isInteger() ? "; convert it with x.to(DType." + want.name() + ")" : ""));
        }
        List<ValueInfoProto.Dim> shape = in.shape();
        if (shape == null) {
            return;
        }
        boolean ok = shape.size() == t.dim();
        for (int d = 0; ok && d < shape.size(); d++) {
            ValueInfoProto.Dim dim = shape.get(d);
            ok = dim.param() != null || dim.value() <= 0 || dim.value() == t.size(d);
        }
        if (!ok) {
            throw new OnnxException("graph input '" + in.name() + "' is declared with shape " + shape + ", got "
                    + Arrays.toString(t.shape()));
        }
    }
}
