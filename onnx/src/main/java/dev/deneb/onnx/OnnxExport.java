package dev.deneb.onnx;

import dev.deneb.nn.Layer;
import dev.deneb.onnx.export.Exporter;
import dev.deneb.onnx.proto.ModelProto;
import dev.deneb.onnx.proto.OnnxFormat;
import dev.deneb.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Writes a Deneb model as an ONNX file (opset 17) by tracing one forward pass with example inputs, as
 * {@code torch.onnx.export} does: every op the pass runs is recorded and written as ONNX nodes, parameters and
 * buffers become initializers under their state-dict names, and ops on constants alone are folded. The model runs
 * in eval mode during the trace (dropout off, running statistics used) and returns to its mode after.
 *
 * <pre>{@code
 * OnnxExport.export(model, Path.of("mnist.onnx"), Tensor.randn(1, 1, 28, 28));
 * // several inputs or outputs:
 * OnnxExport.export(model, in -> List.of(model.forward(in.get(0), in.get(1))), List.of(x, mask),
 *         Path.of("m.onnx"), ExportOptions.defaults().inputNames("x", "mask"));
 * }</pre>
 *
 * <p>As with any tracer, the graph is the path this example took: Java control flow is not recorded, and a
 * value read out of a tensor into Java (a size, an item) becomes a constant. Axis 0 of every input is a symbolic
 * {@code batch} by default, and {@link ExportOptions#dynamicAxis} adds more: the model is traced once more per
 * symbolic size, with that size one larger, and the sizes that change become symbolic in the graph (see the README);
 * an op without an ONNX form raises an {@link OnnxException} naming it.
 */
public final class OnnxExport {
    /** The ONNX operator set written. */
    public static final int OPSET = 17;

    private OnnxExport() {}

    /** The ONNX model of {@code model.forward(example)}. */
    public static ModelProto toModel(Layer model, Tensor example) {
        return toModel(model, in -> List.of(model.forward(in.get(0))), List.of(example), ExportOptions.defaults());
    }

    /** The ONNX model of {@code forward} (which calls {@code model}) on the example inputs. */
    public static ModelProto toModel(Layer model, Function<List<Tensor>, List<Tensor>> forward, List<Tensor> examples,
                                     ExportOptions options) {
        return Exporter.export(model, forward, examples, options);
    }

    /** Writes {@code model.forward(example)} as an ONNX file. */
    public static void export(Layer model, Path file, Tensor example) {
        OnnxFormat.write(toModel(model, example), file);
    }

    /** Writes {@code forward} (which calls {@code model}) on the example inputs as an ONNX file. */
    public static void export(Layer model, Function<List<Tensor>, List<Tensor>> forward, List<Tensor> examples,
                              Path file, ExportOptions options) {
        OnnxFormat.write(toModel(model, forward, examples, options), file);
    }
}
