package dev.deneb.onnx.export;

import dev.deneb.onnx.TensorProtos;
import dev.deneb.onnx.proto.AttributeProto;
import dev.deneb.onnx.proto.DataType;
import dev.deneb.onnx.proto.NodeProto;
import dev.deneb.onnx.proto.TensorProto;
import dev.deneb.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ONNX graph being written: nodes in topological order, initializers, and fresh value names. Names are numbered
 * in the order they are asked for, so two traces of one model give the same names ({@link BatchAxis} relies on it).
 */
final class GraphWriter {
    final List<NodeProto> nodes = new ArrayList<>();
    final Map<String, TensorProto> initializers = new LinkedHashMap<>();
    final List<ShapeUse> shapeUses = new ArrayList<>();
    private int counter;

    /** A new value name such as {@code matmul_12}. */
    String fresh(String base) {
        return base + "_" + counter++;
    }

    /** Adds a node with one output and returns the output's name. */
    String node(String opType, List<String> inputs, AttributeProto... attributes) {
        return nodes(opType, inputs, 1, attributes)[0];
    }

    /** Adds a node with {@code outputs} outputs and returns their names. */
    String[] nodes(String opType, List<String> inputs, int outputs, AttributeProto... attributes) {
        String base = Character.toLowerCase(opType.charAt(0)) + opType.substring(1);
        String[] out = new String[outputs];
        for (int i = 0; i < outputs; i++) {
            out[i] = fresh(base);
        }
        nodes.add(new NodeProto(opType + "_" + nodes.size(), opType, "", inputs, Arrays.asList(out),
                Arrays.asList(attributes)));
        return out;
    }

    /** An initializer holding {@code t}'s values, named {@code name} (or a fresh name when null). */
    String constant(String name, Tensor t) {
        String n = name != null ? name : fresh("const");
        initializers.put(n, TensorProtos.of(n, t));
        return n;
    }

    /** A 1-D INT64 initializer of fixed values (axes, starts…). */
    String ints(long... values) {
        String n = fresh("ints");
        initializers.put(n, int64(n, values, new long[] {values.length}));
        return n;
    }

    /** A 0-D INT64 initializer. */
    String scalarInt(long value) {
        String n = fresh("int");
        initializers.put(n, int64(n, new long[] {value}, new long[0]));
        return n;
    }

    /** A 1-D INT64 initializer of sizes read off a traced shape, noted for {@link BatchAxis}. */
    String shape(ShapeUse.Kind kind, int[] sizes, int[] inputDims) {
        long[] v = Arrays.stream(sizes).asLongStream().toArray();
        String n = fresh("shape");
        initializers.put(n, int64(n, v, new long[] {v.length}));
        shapeUses.add(new ShapeUse(n, kind, v, inputDims.clone()));
        return n;
    }

    static TensorProto int64(String name, long[] values, long[] dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return new TensorProto(name, DataType.INT64, dims, b.array());
    }
}
