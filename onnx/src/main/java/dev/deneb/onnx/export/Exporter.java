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
        List<SymbolicDim> dims = symbolicDims(examples, options);
        boolean training = model.isTraining();
        model.eval();
        try {
            Trace a = trace(model, forward, examples, options);
            List<Trace> grown = new ArrayList<>();
            for (SymbolicDim d : dims) {
                grown.add(trace(model, forward, oneMore(examples, d), options));
            }
            List<String> inputNames = new ArrayList<>();
            for (int i = 0; i < examples.size(); i++) {
                inputNames.add(options.inputName(i, examples.size()));
            }
            DynamicAxes.generalise(a.graph, dims, grown.stream().map(Trace::graph).toList(), inputNames);
            return assemble(a, dims, grown, options);
        } finally {
            model.train(training);
        }
    }

    /** The symbolic sizes: {@code batch} on axis 0 of every input (unless off), then the options' own. */
    private static List<SymbolicDim> symbolicDims(List<Tensor> examples, ExportOptions options) {
        Map<String, List<SymbolicDim.InputAxis>> axes = new LinkedHashMap<>();
        if (options.dynamicBatch()) {
            for (int i = 0; i < examples.size(); i++) {
                axes.computeIfAbsent(options.batchName(), k -> new ArrayList<>()).add(new SymbolicDim.InputAxis(i, 0));
            }
        }
        for (ExportOptions.DynamicAxis d : options.dynamicAxes()) {
            axes.computeIfAbsent(d.name(), k -> new ArrayList<>()).add(new SymbolicDim.InputAxis(d.input(), d.axis()));
        }
        List<SymbolicDim> dims = new ArrayList<>();
        for (Map.Entry<String, List<SymbolicDim.InputAxis>> e : axes.entrySet()) {
            int size = -1;
            for (SymbolicDim.InputAxis at : e.getValue()) {
                if (at.input() >= examples.size() || at.axis() >= examples.get(at.input()).dim()
                        || examples.get(at.input()).size(at.axis()) < 1) {
                    throw new IllegalArgumentException("onnx export: the symbolic size '" + e.getKey() + "' is on axis "
                            + at.axis() + " of input " + at.input() + ", which the example inputs (" + shapes(examples)
                            + ") do not have with a size >= 1" + (e.getKey().equals(options.batchName())
                            ? "; use ExportOptions.dynamicBatch(false) for inputs without a batch axis" : ""));
                }
                int n = examples.get(at.input()).size(at.axis());
                if (size >= 0 && n != size) {
                    throw new IllegalArgumentException("onnx export: the axes named '" + e.getKey() + "' have"
                            + " different sizes in the example inputs (" + shapes(examples) + ")");
                }
                size = n;
            }
            dims.add(new SymbolicDim(e.getKey(), List.copyOf(e.getValue()), size));
        }
        return dims;
    }

    private static String shapes(List<Tensor> examples) {
        return examples.stream().map(t -> java.util.Arrays.toString(t.shape())).toList().toString();
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
        Map<Tensor, String> state = new IdentityHashMap<>();
        model.namedBuffers().forEach((name, t) -> state.put(t, name));
        model.namedParameters().forEach((name, t) -> state.put(t, name));
        List<String> names = new TraceWalker(g, named, state).write(outputs);
        return new Trace(g, inputs, outputs, names);
    }

    /** The examples with every axis of {@code d} one longer (its first slice repeated at the end). */
    private static List<Tensor> oneMore(List<Tensor> examples, SymbolicDim d) {
        List<Tensor> out = new ArrayList<>(examples);
        try (var scope = GradMode.noGrad()) {
            for (SymbolicDim.InputAxis at : d.axes()) {
                Tensor x = out.get(at.input());
                out.set(at.input(), Tensor.cat(at.axis(), x, x.narrow(at.axis(), 0, 1)));
            }
        }
        return out;
    }

    private static ModelProto assemble(Trace a, List<SymbolicDim> dims, List<Trace> grown, ExportOptions options) {
        GraphWriter g = a.graph;
        List<NodeProto> nodes = new ArrayList<>(g.nodes);
        List<ValueInfoProto> outputs = new ArrayList<>();
        for (int i = 0; i < a.outputs.size(); i++) {
            String name = options.outputName(i, a.outputs.size());
            nodes.add(new NodeProto("Output_" + i, "Identity", "", List.of(a.outputNames.get(i)), List.of(name),
                    List.of()));
            int k = i;
            outputs.add(info(name, a.outputs.get(i), grown.stream().map(t -> t.outputs.get(k)).toList(), dims));
        }
        List<ValueInfoProto> inputs = new ArrayList<>();
        for (int i = 0; i < a.inputs.size(); i++) {
            int k = i;
            inputs.add(info(options.inputName(i, a.inputs.size()), a.inputs.get(i),
                    grown.stream().map(t -> t.inputs.get(k)).toList(), dims));
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

    /** A value's type: a size that changes with the symbolic dimensions is named after them. */
    private static ValueInfoProto info(String name, Tensor a, List<Tensor> grown, List<SymbolicDim> dims) {
        List<ValueInfoProto.Dim> out = new ArrayList<>();
        for (int d = 0; d < a.dim(); d++) {
            long[] g = new long[grown.size()];
            for (int k = 0; k < g.length; k++) {
                if (grown.get(k).dim() != a.dim()) {
                    throw new OnnxException("onnx export: '" + name + "' changes rank with the size '"
                            + dims.get(k).name() + "'");
                }
                g[k] = grown.get(k).size(d);
            }
            SizeExpression e = SizeExpression.of(a.size(d), g, dims);
            if (e == null) {
                throw new OnnxException("onnx export: size " + d + " of '" + name + "' (" + a.size(d) + ") is not a"
                        + " product of the symbolic dimensions; export with fixed sizes");
            }
            out.add(e.isConstant() ? ValueInfoProto.Dim.of(a.size(d)) : ValueInfoProto.Dim.named(e.param()));
        }
        return new ValueInfoProto(name, TensorProtos.dataType(a.dtype()), out);
    }
}
