package dev.deneb.onnx;

import dev.deneb.onnx.proto.AttributeProto;
import dev.deneb.onnx.proto.GraphProto;
import dev.deneb.onnx.proto.ModelProto;
import dev.deneb.onnx.proto.NodeProto;
import dev.deneb.onnx.proto.OperatorSetId;
import dev.deneb.onnx.proto.TensorProto;
import dev.deneb.onnx.proto.ValueInfoProto;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds small ONNX models in tests: inputs (typed like given tensors), initializers, nodes and outputs. */
public final class GraphBuilder {
    private final long opset;
    private final List<NodeProto> nodes = new ArrayList<>();
    private final List<TensorProto> initializers = new ArrayList<>();
    private final List<ValueInfoProto> inputs = new ArrayList<>();
    private final List<ValueInfoProto> outputs = new ArrayList<>();
    private String domain = "";

    public GraphBuilder(long opset) {
        this.opset = opset;
    }

    /** A graph input typed and shaped like {@code example}. */
    public GraphBuilder input(String name, Tensor example) {
        List<ValueInfoProto.Dim> dims = Arrays.stream(example.shape()).mapToObj(ValueInfoProto.Dim::of).toList();
        inputs.add(new ValueInfoProto(name, TensorProtos.dataType(example.dtype()), dims));
        return this;
    }

    /** A graph input whose first axis is the symbolic {@code batch}. */
    public GraphBuilder batchInput(String name, Tensor example) {
        List<ValueInfoProto.Dim> dims = new ArrayList<>();
        for (int d = 0; d < example.dim(); d++) {
            dims.add(d == 0 ? ValueInfoProto.Dim.named("batch") : ValueInfoProto.Dim.of(example.size(d)));
        }
        inputs.add(new ValueInfoProto(name, TensorProtos.dataType(example.dtype()), dims));
        return this;
    }

    public GraphBuilder initializer(String name, Tensor value) {
        initializers.add(TensorProtos.of(name, value));
        return this;
    }

    public GraphBuilder node(String opType, List<String> in, List<String> out, AttributeProto... attributes) {
        nodes.add(new NodeProto(opType + "_" + nodes.size(), opType, domain, in, out, List.of(attributes)));
        return this;
    }

    /** A node with one output. */
    public GraphBuilder node(String opType, List<String> in, String out, AttributeProto... attributes) {
        return node(opType, in, List.of(out), attributes);
    }

    /** Nodes added from now on belong to {@code domain}. */
    public GraphBuilder domain(String domain) {
        this.domain = domain;
        return this;
    }

    /** A graph output of unknown type and shape (ONNX Runtime infers it). */
    public GraphBuilder output(String... names) {
        for (String n : names) {
            outputs.add(new ValueInfoProto(n, 0, null));
        }
        return this;
    }

    /** A graph output with a declared element type (needed by ONNX Runtime). */
    public GraphBuilder output(String name, int elemType) {
        outputs.add(new ValueInfoProto(name, elemType, null));
        return this;
    }

    public ModelProto build() {
        return new ModelProto(8, List.of(new OperatorSetId("", opset)), "deneb-test", "0",
                new GraphProto("test", nodes, initializers, inputs, outputs));
    }
}
