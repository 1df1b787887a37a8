package dev.deneb.onnx.proto;

import java.util.List;

/**
 * ONNX's {@code GraphProto}: nodes in topological order, the initializers (weights and constants), and the graph's
 * inputs and outputs with their types.
 */
public record GraphProto(String name, List<NodeProto> nodes, List<TensorProto> initializers,
                         List<ValueInfoProto> inputs, List<ValueInfoProto> outputs) {
    public GraphProto {
        nodes = List.copyOf(nodes);
        initializers = List.copyOf(initializers);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
