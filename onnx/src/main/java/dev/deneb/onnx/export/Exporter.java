package dev.deneb.onnx.export;

import dev.deneb.nn.Layer;
import dev.deneb.onnx.ExportOptions;
import dev.deneb.onnx.OnnxExport;
import dev.deneb.onnx.OnnxException;
import dev.deneb.onnx.TensorProtos;
import dev.deneb.onnx.proto.GraphProto;
import dev.deneb.onnx.proto.ModelProto;
import dev.deneb.onnx.proto.NodeProto;
import dev.deneb.onnx.proto.OperatorSetId;
import dev.deneb.onnx.proto.TensorProto;
import dev.deneb.onnx.proto.ValueInfoProto;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.Tracing;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The steps of {@link OnnxExport}: trace (twice for a symbolic batch), write, generalise, assemble. */
public final class Exporter {
    private Exporter() {}

    /** See {@link OnnxExport#toModel(Layer, Function, List, ExportOptions)}. */
    public static ModelProto export(Layer model, Function<List<Tensor>, List<Tensor>> forward, List<Tensor> examples,
                                    ExportOptions options) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("onnx export: give at least one example input");
        }
        boolean training = model.isTraining();
        model.eval();
        try {
            Trace a = trace(model, forward, examples, options);
            Trace b = null;
            if (options.dynamicBatch()) {
                b = trace(model, forward, oneMore(examples), options);
                BatchAxis.generalise(a.graph, b.graph);
            }
            return assemble(a, b, options);
        } finally {
            model.train(training);
        }
    }

    private record Trace(GraphWriter graph, List<Tensor> inputs, List<Tensor> outputs, List<String> outputNames) {}

    private static Trace trace(Layer model, Function<List<Tensor>, List<Tensor>> forward, List<Tensor> examples,
                               ExportOptions options) {
        List<Tensor> inputs = new ArrayList<>();
        for (Tensor x : examples) {
            inputs.add(x.detach()); // a fresh leaf of its own, so the trace starts at it
        }
        List<Tensor> outputs;
        try (var grad = GradMode.enableGrad(); var trace = Tracing.trace()) {
            outputs = List.copyOf(forward.apply(List.copyOf(inputs)));
        }
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("onnx export: the forward pass returned no outputs");
        }
        GraphWriter g = new GraphWriter();
        Map<Tensor, Value> named = new IdentityHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            named.put(inputs.get(i), new Value(options.inputName(i, inputs.size()), false));
        }
        Map<String, Tensor> state = new LinkedHashMap<>(model.namedParameters());
        state.putAll(model.namedBuffers());
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            if (!named.containsKey(e.getValue())) {
                named.put(e.getValue(), new Value(g.constant(e.getKey(), e.getValue()), true));
            }
        }
        List<String> names = new TraceWalker(g, named).write(outputs);
        return new Trace(g, inputs, outputs, names);
    }

    private static List<Tensor> oneMore(List<Tensor> examples) {
        List<Tensor> out = new ArrayList<>();
        try (var scope = GradMode.noGrad()) {
            for (Tensor x : examples) {
                if (x.dim() == 0 || x.size(0) == 0) {
                    throw new IllegalArgumentException("onnx export: a dynamic batch needs every example input to"
                            + " have a batch axis 0 of size >= 1, got shape " + java.util.Arrays.toString(x.shape())
                            + "; use ExportOptions.dynamicBatch(false) for inputs without one");
                }
                out.add(Tensor.cat(0, x, x.narrow(0, 0, 1)));
            }
        }
        return out;
    }

    private static ModelProto assemble(Trace a, Trace b, ExportOptions options) {
        GraphWriter g = a.graph;
        List<NodeProto> nodes = new ArrayList<>(g.nodes);
        List<ValueInfoProto> outputs = new ArrayList<>();
        for (int i = 0; i < a.outputs.size(); i++) {
            String name = options.outputName(i, a.outputs.size());
            nodes.add(new NodeProto("Output_" + i, "Identity", "", List.of(a.outputNames.get(i)), List.of(name),
                    List.of()));
            outputs.add(info(name, a.outputs.get(i), b == null ? null : b.outputs.get(i), options));
        }
        List<ValueInfoProto> inputs = new ArrayList<>();
        for (int i = 0; i < a.inputs.size(); i++) {
            inputs.add(info(options.inputName(i, a.inputs.size()), a.inputs.get(i),
                    b == null ? null : b.inputs.get(i), options));
        }
        // Drop nodes nothing reads (an Expand whose consumer was folded), then initializers nothing reads.
        Set<String> used = new HashSet<>();
        List<NodeProto> live = new ArrayList<>();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            NodeProto n = nodes.get(i);
            boolean output = n.opType().equals("Identity") && n.name().startsWith("Output_");
            if (output || n.outputs().stream().anyMatch(used::contains)) {
                live.add(0, n);
                used.addAll(n.inputs());
            }
        }
        nodes = live;
        List<TensorProto> initializers = new ArrayList<>();
        for (TensorProto t : g.initializers.values()) {
            if (used.contains(t.name())) {
                initializers.add(t);
            }
        }
        GraphProto graph = new GraphProto("deneb", nodes, initializers, inputs, outputs);
        return new ModelProto(8, List.of(new OperatorSetId("", OnnxExport.OPSET)), "deneb", "0.1.0", graph);
    }

    /** A value's type: sizes that differ between the two traces are the symbolic batch. */
    private static ValueInfoProto info(String name, Tensor a, Tensor b, ExportOptions options) {
        List<ValueInfoProto.Dim> dims = new ArrayList<>();
        for (int d = 0; d < a.dim(); d++) {
            boolean follows = b != null && b.dim() == a.dim() && b.size(d) != a.size(d);
            dims.add(follows ? ValueInfoProto.Dim.named(options.batchName()) : ValueInfoProto.Dim.of(a.size(d)));
        }
        if (b != null && b.dim() != a.dim()) {
            throw new OnnxException("onnx export: output '" + name + "' changes rank with the batch size");
        }
        return new ValueInfoProto(name, TensorProtos.dataType(a.dtype()), dims);
    }
}
