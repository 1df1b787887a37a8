package dev.deneb.onnx.export;

import static dev.deneb.onnx.proto.AttributeProto.ofInt;

import dev.deneb.onnx.OnnxException;
import dev.deneb.onnx.proto.AttributeProto;
import dev.deneb.onnx.proto.NodeProto;
import dev.deneb.onnx.proto.TensorProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes sizes symbolic by comparing traces of one model: the example, and for each symbolic dimension a trace where
 * that dimension is one larger. The graphs must match node for node; a size that changes is a product of the
 * dimensions that changed it ({@link SizeExpression}). A Reshape target takes such sizes from its input where it can
 * (ONNX's 0 for "as the input", -1 for the one size left to infer) and otherwise computes them at run time from the
 * graph inputs' shapes (Shape, Gather, Mul, Concat); an Expand writes 1 (it broadcasts both ways). A constant whose
 * shape or values change depends on the inputs' sizes in a way a graph cannot hold, and is refused.
 */
final class DynamicAxes {
    private final GraphWriter base;
    private final List<SymbolicDim> dims;
    private final List<GraphWriter> grown;
    private final List<String> inputNames;
    private final List<NodeProto> prologue = new ArrayList<>();
    private final Map<String, String> shapeOfInput = new HashMap<>();
    private final Map<SizeExpression, String> sizes = new HashMap<>();
    private final Map<String, String> constants = new HashMap<>();
    private int counter;

    private DynamicAxes(GraphWriter base, List<SymbolicDim> dims, List<GraphWriter> grown, List<String> inputNames) {
        this.base = base;
        this.dims = dims;
        this.grown = grown;
        this.inputNames = inputNames;
    }

    /**
     * Rewrites {@code base} so its graph runs at any size of {@code dims}; {@code grown.get(k)} is the trace with
     * dimension k one larger. Nodes computing run-time shapes are put first in {@code base.nodes}.
     */
    static void generalise(GraphWriter base, List<SymbolicDim> dims, List<GraphWriter> grown, List<String> inputs) {
        DynamicAxes d = new DynamicAxes(base, dims, grown, inputs);
        for (int k = 0; k < dims.size(); k++) {
            d.sameGraph(grown.get(k), dims.get(k));
        }
        d.rewriteShapes();
        d.checkConstants();
        base.nodes.addAll(0, d.prologue);
    }

    private void sameGraph(GraphWriter other, SymbolicDim dim) {
        if (base.nodes.size() != other.nodes.size()) {
            throw new OnnxException("onnx export: the traced graph changes with the size '" + dim.name() + "' ("
                    + base.nodes.size() + " nodes in the example, " + other.nodes.size() + " with it one larger);"
                    + " export with fixed sizes (ExportOptions.dynamicBatch(false), no dynamicAxis)");
        }
        for (int i = 0; i < base.nodes.size(); i++) {
            NodeProto x = base.nodes.get(i);
            NodeProto y = other.nodes.get(i);
            if (!x.opType().equals(y.opType()) || !x.inputs().equals(y.inputs()) || !sameAttributes(x, y)) {
                throw new OnnxException("onnx export: the traced graph changes with the size '" + dim.name()
                        + "' at node " + i + " (" + x.opType() + " vs " + y.opType() + ", or their inputs or"
                        + " attributes differ); export with fixed sizes");
            }
        }
    }

    private void rewriteShapes() {
        List<Map<String, ShapeUse>> others = new ArrayList<>();
        for (GraphWriter g : grown) {
            Map<String, ShapeUse> m = new HashMap<>();
            g.shapeUses.forEach(s -> m.put(s.name(), s));
            others.add(m);
        }
        for (ShapeUse s : base.shapeUses) {
            List<ShapeUse> t = new ArrayList<>();
            for (Map<String, ShapeUse> m : others) {
                ShapeUse u = m.get(s.name());
                if (u == null || u.values().length != s.values().length) {
                    throw new OnnxException("onnx export: the rank of a traced shape changes with the input sizes");
                }
                t.add(u);
            }
            rewrite(s, t);
        }
    }

    private void rewrite(ShapeUse s, List<ShapeUse> t) {
        if (s.kind() == ShapeUse.Kind.SLICE_BOUND) {
            sliceBound(s, t);
            return;
        }
        int n = s.values().length;
        SizeExpression[] sizes = new SizeExpression[n];
        boolean[] copies = new boolean[n];
        int inferred = 0;
        boolean dynamic = false;
        for (int i = 0; i < n; i++) {
            long[] g = new long[t.size()];
            for (int k = 0; k < g.length; k++) {
                g[k] = t.get(k).values()[i];
            }
            sizes[i] = SizeExpression.of(s.values()[i], g, dims);
            if (sizes[i] == null) {
                throw new OnnxException("onnx export: a traced shape " + Arrays.toString(s.values()) + " has a size at"
                        + " position " + i + " that is not a product of the symbolic dimensions (e.g. n + 1);"
                        + " export with fixed sizes");
            }
            if (!sizes[i].isConstant()) {
                dynamic = true;
                copies[i] = copiesInput(s, t, i);
                inferred += copies[i] ? 0 : 1;
            }
        }
        if (!dynamic) {
            return;
        }
        long[] v = s.values().clone();
        if (s.kind() == ShapeUse.Kind.EXPAND || inferred <= 1) {
            for (int i = 0; i < n; i++) {
                if (!sizes[i].isConstant()) {
                    v[i] = s.kind() == ShapeUse.Kind.EXPAND ? 1 : copies[i] ? 0 : -1;
                }
            }
            base.initializers.put(s.name(), GraphWriter.int64(s.name(), v, new long[] {n}));
            return;
        }
        // Several sizes to infer: compute the whole target from the inputs' shapes, under the initializer's name.
        base.initializers.remove(s.name());
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            parts.add(sizes[i].isConstant() ? constant(new long[] {v[i]}) : runtimeSize(sizes[i]));
        }
        node("Concat", parts, s.name(), ofInt("axis", 0));
    }

    /**
     * A slice bound that stays put is kept; one that keeps its distance to the end of the axis is written from the
     * end (ONNX counts negative bounds from it: the last steps of a growing sequence); one that is a product of the
     * symbolic sizes (the first T steps) is computed at run time. Anything else is refused.
     */
    private void sliceBound(ShapeUse s, List<ShapeUse> t) {
        long v = s.values()[0];
        long fromEnd = v - s.inputDims()[0];
        boolean fixed = true;
        boolean anchored = true;
        long[] g = new long[t.size()];
        for (int k = 0; k < g.length; k++) {
            g[k] = t.get(k).values()[0];
            fixed &= g[k] == v;
            anchored &= g[k] - t.get(k).inputDims()[0] == fromEnd;
        }
        if (fixed) {
            return;
        }
        if (anchored) {
            long bound = fromEnd == 0 ? Long.MAX_VALUE : fromEnd;
            base.initializers.put(s.name(), GraphWriter.int64(s.name(), new long[] {bound}, new long[] {1}));
            return;
        }
        SizeExpression e = SizeExpression.of(v, g, dims);
        if (e == null) {
            throw new OnnxException("onnx export: a slice bound " + v + usedBy(s.name()) + " follows the input sizes"
                    + " neither as a product of them nor at a fixed distance from the end; export with fixed sizes");
        }
        base.initializers.remove(s.name());
        node("Identity", List.of(runtimeSize(e)), s.name());
    }

    /** True when position i of the target equals the input's size at i in every trace (ONNX's 0). */
    private static boolean copiesInput(ShapeUse s, List<ShapeUse> t, int i) {
        if (i >= s.inputDims().length || s.inputDims()[i] != s.values()[i]) {
            return false;
        }
        for (ShapeUse u : t) {
            if (i >= u.inputDims().length || u.inputDims()[i] != u.values()[i]) {
                return false;
            }
        }
        return true;
    }

    /** A [1] INT64 value computing {@code e} from the graph inputs' shapes. */
    private String runtimeSize(SizeExpression e) {
        String known = sizes.get(e);
        if (known != null) {
            return known;
        }
        String acc = e.factor() == 1 ? null : constant(new long[] {e.factor()});
        for (SymbolicDim d : e.dims()) {
            SymbolicDim.InputAxis at = d.axes().get(0);
            String shape = shapeOfInput.computeIfAbsent(inputNames.get(at.input()),
                    in -> node("Shape", List.of(in), fresh("shape_of_" + in)));
            String size = node("Gather", List.of(shape, constant(new long[] {at.axis()})), fresh(d.name()),
                    ofInt("axis", 0));
            acc = acc == null ? size : node("Mul", List.of(acc, size), fresh("size"));
        }
        sizes.put(e, acc);
        return acc;
    }

    private String constant(long[] v) {
        return constants.computeIfAbsent(Arrays.toString(v), k -> {
            String name = fresh("dims");
            base.initializers.put(name, GraphWriter.int64(name, v, new long[] {v.length}));
            return name;
        });
    }

    private String fresh(String hint) {
        return "dynamic_" + hint + "_" + counter++;
    }

    private String node(String op, List<String> inputs, String output, AttributeProto... attributes) {
        prologue.add(new NodeProto("Dynamic_" + op + "_" + prologue.size(), op, "", inputs, List.of(output),
                List.of(attributes)));
        return output;
    }

    private void checkConstants() {
        java.util.Set<String> shapes = new java.util.HashSet<>();
        base.shapeUses.forEach(s -> shapes.add(s.name()));
        for (Map.Entry<String, TensorProto> e : new LinkedHashMap<>(base.initializers).entrySet()) {
            if (shapes.contains(e.getKey()) || e.getKey().startsWith("dynamic_")) {
                continue;
            }
            String what = "onnx export: a constant of shape " + Arrays.toString(e.getValue().dims())
                    + usedBy(e.getKey());
            List<String> changedBy = new ArrayList<>();
            for (int k = 0; k < grown.size(); k++) {
                TensorProto other = grown.get(k).initializers.get(e.getKey());
                if (other == null || !Arrays.equals(e.getValue().dims(), other.dims())) {
                    throw new OnnxException(what + " depends on the size '" + dims.get(k).name() + "' (shape "
                            + (other == null ? "missing" : Arrays.toString(other.dims())) + " when it is one larger):"
                            + " build it from the input with tensor ops (zerosLike and the like are not traced; use"
                            + " broadcasting scalars), or export with fixed sizes (ExportOptions.dynamicBatch(false))");
                }
                if (!Arrays.equals(e.getValue().raw(), other.raw())) {
                    changedBy.add("'" + dims.get(k).name() + "'");
                }
            }
            if (!changedBy.isEmpty() && !sizeAtRunTime(e.getValue())) {
                // Other values at the same shape: an index read off a size (x.narrow(0, n - 1, 1)), or a random
                // draw in forward; either way the file would hold this trace's value for every input.
                throw new OnnxException(what + " has other values when the size " + String.join(" or ", changedBy)
                        + " changes: it depends on that size (an index or size read from an input's shape, not a"
                        + " product of sizes) or on random numbers drawn in forward;"
                        + " compute it with tensor ops from the input, or export with fixed sizes"
                        + " (ExportOptions.dynamicBatch(false))");
            }
        }
    }

    /**
     * A one-element constant that is a product of symbolic sizes (the count a mean divides by, the end of a slice
     * to a sequence's length) is computed from the inputs' shapes instead, under its own name; false when it is not
     * such a product.
     */
    private boolean sizeAtRunTime(TensorProto t) {
        if (t.numel() != 1 || t.dims().length > 1) {
            return false;
        }
        double v0 = scalar(t);
        long[] g = new long[grown.size()];
        for (int k = 0; k < g.length; k++) {
            double v = scalar(grown.get(k).initializers.get(t.name()));
            if (v != Math.rint(v)) {
                return false;
            }
            g[k] = (long) v;
        }
        SizeExpression e = v0 == Math.rint(v0) ? SizeExpression.of((long) v0, g, dims) : null;
        if (e == null || e.isConstant()) {
            return false;
        }
        base.initializers.remove(t.name());
        String size = runtimeSize(e);
        if (t.dataType() != dev.deneb.onnx.proto.DataType.INT64) {
            size = node("Cast", List.of(size), fresh("cast"), ofInt("to", t.dataType()));
        }
        if (t.dims().length == 0) {
            node("Squeeze", List.of(size, constant(new long[] {0})), t.name());
        } else {
            node("Identity", List.of(size), t.name());
        }
        return true;
    }

    /** The one value of a FLOAT, DOUBLE, INT32 or INT64 tensor; NaN for other types. */
    private static double scalar(TensorProto t) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(t.raw()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        return switch (t.dataType()) {
            case dev.deneb.onnx.proto.DataType.FLOAT -> b.getFloat(0);
            case dev.deneb.onnx.proto.DataType.DOUBLE -> b.getDouble(0);
            case dev.deneb.onnx.proto.DataType.INT32 -> b.getInt(0);
            case dev.deneb.onnx.proto.DataType.INT64 -> b.getLong(0);
            default -> Double.NaN;
        };
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

    private String usedBy(String name) {
        for (NodeProto n : base.nodes) {
            if (n.inputs().contains(name)) {
                return " (read by " + n.name() + ")";
            }
        }
        return "";
    }
}
