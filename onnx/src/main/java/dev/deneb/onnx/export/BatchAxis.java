package dev.deneb.onnx.export;

import dev.deneb.onnx.OnnxException;
import dev.deneb.onnx.proto.AttributeProto;
import dev.deneb.onnx.proto.NodeProto;
import dev.deneb.onnx.proto.TensorProto;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Makes the batch size symbolic by comparing two traces of one model: one with the example batch and one with an
 * example more. The graphs must match node for node; sizes that differ between them follow the batch, and are
 * rewritten where ONNX can take them from the input at run time (a Reshape's 0 or -1, an Expand's 1). A constant
 * whose shape differs depends on the batch size in a way a graph cannot express, and is refused with its shape.
 */
final class BatchAxis {
    private BatchAxis() {}

    /** Rewrites {@code a}'s shape initializers so its graph runs at any batch size; {@code b} is the second trace. */
    static void generalise(GraphWriter a, GraphWriter b) {
        if (a.nodes.size() != b.nodes.size()) {
            throw new OnnxException("onnx export: the traced graph changes with the batch size (" + a.nodes.size()
                    + " nodes for the example batch, " + b.nodes.size() + " with one more example); export with"
                    + " a fixed batch (ExportOptions.dynamicBatch(false))");
        }
        for (int i = 0; i < a.nodes.size(); i++) {
            NodeProto x = a.nodes.get(i);
            NodeProto y = b.nodes.get(i);
            if (!x.opType().equals(y.opType()) || !x.inputs().equals(y.inputs()) || !sameAttributes(x, y)) {
                throw new OnnxException("onnx export: the traced graph changes with the batch size at node " + i
                        + " (" + x.opType() + " vs " + y.opType() + ", or their inputs or attributes differ); export"
                        + " with a fixed batch"
                        + " (ExportOptions.dynamicBatch(false))");
            }
        }
        Map<String, ShapeUse> shapesB = new HashMap<>();
        for (ShapeUse s : b.shapeUses) {
            shapesB.put(s.name(), s);
        }
        for (ShapeUse s : a.shapeUses) {
            ShapeUse t = shapesB.get(s.name());
            if (t == null || t.values().length != s.values().length) {
                throw new OnnxException("onnx export: the rank of a traced shape changes with the batch size");
            }
            long[] v = rewrite(s, t);
            a.initializers.put(s.name(), GraphWriter.int64(s.name(), v, new long[] {v.length}));
        }
        for (Map.Entry<String, TensorProto> e : a.initializers.entrySet()) {
            if (shapesB.containsKey(e.getKey())) {
                continue;
            }
            TensorProto other = b.initializers.get(e.getKey());
            if (other != null && Arrays.equals(e.getValue().dims(), other.dims())
                    && !Arrays.equals(e.getValue().raw(), other.raw())) {
                // Same shape, other values: a size or index read off the batch (x.narrow(0, n - 1, 1)), or a random
                // draw in forward; either way the file would hold this trace's value for every input.
                throw new OnnxException("onnx export: a constant of shape " + Arrays.toString(e.getValue().dims())
                        + usedBy(a, e.getKey()) + " has other values when the model is traced with one more example:"
                        + " it depends on the batch size (an index or size read from the input's shape) or on random"
                        + " numbers drawn in forward; compute it with tensor ops from the input, or export with a fixed"
                        + " batch (ExportOptions.dynamicBatch(false))");
            }
            if (other == null || !Arrays.equals(e.getValue().dims(), other.dims())) {
                throw new OnnxException("onnx export: a constant of shape " + Arrays.toString(e.getValue().dims())
                        + usedBy(a, e.getKey()) + " depends on the batch size (shape " + (other == null ? "missing"
                        : Arrays.toString(other.dims())) + " with one more example): build it from the input with"
                        + " tensor ops (e.g. zerosLike on a traced value is not traced; use x.mul(0)), or export with"
                        + " a fixed batch (ExportOptions.dynamicBatch(false))");
            }
        }
    }

    /** Attribute by attribute, arrays by value (records compare arrays by identity). */
    private static boolean sameAttributes(NodeProto x, NodeProto y) {
        if (x.attributes().size() != y.attributes().size()) {
            return false;
        }
        for (int i = 0; i < x.attributes().size(); i++) {
            AttributeProto a = x.attributes().get(i);
            AttributeProto b = y.attributes().get(i);
            boolean same = a.name().equals(b.name()) && a.type() == b.type() && Float.compare(a.f(), b.f()) == 0
                    && a.i() == b.i() && Arrays.equals(a.s(), b.s()) && Arrays.equals(a.ints(), b.ints())
                    && Arrays.equals(a.floats(), b.floats()) && a.strings().size() == b.strings().size()
                    && (a.t() == null) == (b.t() == null)
                    && (a.t() == null || Arrays.equals(a.t().raw(), b.t().raw()));
            if (!same) {
                return false;
            }
        }
        return true;
    }

    private static String usedBy(GraphWriter g, String name) {
        for (NodeProto n : g.nodes) {
            if (n.inputs().contains(name)) {
                return " (read by " + n.name() + ")";
            }
        }
        return "";
    }

    private static long[] rewrite(ShapeUse s, ShapeUse t) {
        long[] v = s.values().clone();
        int inferred = 0;
        for (int i = 0; i < v.length; i++) {
            if (s.values()[i] == t.values()[i]) {
                continue;
            }
            switch (s.kind()) {
                case EXPAND -> v[i] = 1;
                case RESHAPE -> {
                    boolean copies = i < s.inputDims().length && s.inputDims()[i] == s.values()[i]
                            && t.inputDims()[i] == t.values()[i];
                    if (copies) {
                        v[i] = 0;
                    } else {
                        v[i] = -1;
                        inferred++;
                    }
                }
            }
        }
        if (inferred > 1) {
            throw new OnnxException("onnx export: a reshape to " + Arrays.toString(s.values()) + " has " + inferred
                    + " sizes that follow the batch size; ONNX can infer only one. Export with a fixed batch"
                    + " (ExportOptions.dynamicBatch(false))");
        }
        return v;
    }
}
