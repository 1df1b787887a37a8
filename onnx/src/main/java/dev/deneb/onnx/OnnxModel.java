package dev.deneb.onnx;

import dev.deneb.nn.Layer;
import dev.deneb.onnx.proto.ModelProto;
import dev.deneb.onnx.proto.OnnxFormat;
import dev.deneb.onnx.proto.TensorProto;
import dev.deneb.onnx.proto.ValueInfoProto;
import dev.deneb.onnx.runtime.Interpreter;
import dev.deneb.onnx.runtime.OpRegistry;
import dev.deneb.tensor.Tensor;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * An ONNX model run by Deneb: each node is evaluated with Deneb tensor ops, so the model is an ordinary
 * differentiable {@link Layer}. Its floating-point initializers (the weights) are parameters, which an optimizer can
 * fine-tune; the other initializers (shapes, indices) are buffers. Dotted initializer names such as
 * {@code fc1.weight} are kept as the parameters' state-dict names.
 *
 * <pre>{@code
 * OnnxModel model = OnnxModel.load(Path.of("model.onnx"));
 * Tensor y = model.forward(x);                             // single input and output
 * Map<String, Tensor> outs = model.run(Map.of("input", x)); // any number
 * Optimizer opt = new Adam(model.parameters(), Adam.Options.defaults());
 * }</pre>
 *
 * <p>The model always computes in inference form (Dropout is the identity, BatchNormalization uses its stored
 * statistics), whether the layer is in training mode or not. Loading checks the whole graph: an opset outside
 * {@value OpRegistry#MIN_OPSET} to {@value OpRegistry#MAX_OPSET}, a node of another domain, an unsupported operator
 * or an input used before it is defined is refused with an {@link OnnxException} naming it.
 */
public final class OnnxModel extends Layer {
    private final ModelProto proto;
    private final Interpreter interpreter;
    private final Map<String, Tensor> initializers = new LinkedHashMap<>();
    private final Map<String, InitializerGroup> groups = new HashMap<>();

    private OnnxModel(ModelProto proto) {
        this.proto = proto;
        this.interpreter = new Interpreter(proto, OpRegistry.standard());
        List<TensorProto> inits = proto.graph().initializers();
        List<String[]> paths = InitializerNames.plan(inits.stream().map(TensorProto::name).toList());
        for (int k = 0; k < inits.size(); k++) {
            TensorProto t = inits.get(k);
            Tensor value = TensorProtos.toTensor(t);
            initializers.put(t.name(), place(paths.get(k), value, value.dtype().isFloating()));
        }
    }

    /**
     * The model in {@code proto}, checked and ready to run.
     *
     * @throws OnnxException when the model uses anything Deneb cannot run (the message names it)
     */
    public static OnnxModel of(ModelProto proto) {
        return new OnnxModel(proto);
    }

    /**
     * Reads and checks the {@code .onnx} file {@code file}.
     *
     * @throws OnnxException when the file is malformed or the model uses anything Deneb cannot run
     */
    public static OnnxModel load(Path file) {
        return new OnnxModel(OnnxFormat.read(file));
    }

    private Tensor place(String[] path, Tensor value, boolean trainable) {
        if (path.length == 1) {
            return trainable ? registerParameter(path[0], value) : registerBuffer(path[0], value);
        }
        InitializerGroup g = groups.computeIfAbsent(path[0], n -> registerLayer(n, new InitializerGroup()));
        return g.add(path, 1, value, trainable);
    }

    /**
     * Runs a model with one input and one output.
     *
     * @throws OnnxException when the model has several inputs or outputs (use {@link #run}) or the input does not
     *                       match the declared type or shape
     */
    @Override
    public Tensor forward(Tensor input) {
        List<String> ins = inputNames();
        List<String> outs = outputNames();
        if (ins.size() != 1 || outs.size() != 1) {
            throw new OnnxException("forward(x) runs models with one input and one output; this one has inputs "
                    + ins + " and outputs " + outs + ": use run(Map)");
        }
        return run(Map.of(ins.get(0), input)).get(outs.get(0));
    }

    /**
     * Runs the model.
     *
     * @param inputs a value for every graph input, by name (see {@link #inputNames()})
     * @return every graph output by name, in the graph's order
     */
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        return interpreter.run(inputs, initializers);
    }

    /** The names of the graph inputs a caller feeds (initializers excluded), in order. */
    public List<String> inputNames() {
        return interpreter.inputs().stream().map(ValueInfoProto::name).toList();
    }

    /** The names of the graph outputs, in order. */
    public List<String> outputNames() {
        return interpreter.outputNames();
    }

    /** The declared type and shape of each graph input a caller feeds. */
    public List<ValueInfoProto> inputs() {
        return interpreter.inputs();
    }

    /** The model's opset of the default ONNX domain. */
    public long opset() {
        return interpreter.opset();
    }

    /** Every initializer by its ONNX name: the parameter or buffer tensor itself (not a copy). */
    public Map<String, Tensor> initializers() {
        return Collections.unmodifiableMap(initializers);
    }

    /** The parameter or buffer holding the initializer called {@code onnxName}, or null when there is none. */
    public Tensor initializer(String onnxName) {
        return initializers.get(onnxName);
    }

    /** The ONNX model this layer runs (its initializers hold the values at load time). */
    public ModelProto proto() {
        return proto;
    }

    /** The operators Deneb can run, sorted. */
    public static SortedSet<String> supportedOperators() {
        return OpRegistry.standard().opTypes();
    }

    @Override
    protected String describe() {
        return "graph '" + proto.graph().name() + "', " + proto.graph().nodes().size() + " nodes, opset " + opset()
                + ", inputs " + inputNames() + ", outputs " + outputNames();
    }
}
