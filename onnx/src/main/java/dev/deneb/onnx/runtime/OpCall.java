package dev.deneb.onnx.runtime;

import dev.deneb.onnx.OnnxException;
import dev.deneb.onnx.TensorProtos;
import dev.deneb.onnx.proto.AttributeProto;
import dev.deneb.onnx.proto.NodeProto;
import dev.deneb.onnx.proto.TensorProto;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * One evaluation of a node: its input values (null where an optional input is left out), the model's opset and
 * helpers that read attributes with defaults and produce errors naming the node.
 */
public final class OpCall {
    private final NodeProto node;
    private final List<Tensor> inputs;
    private final long opset;

    /**
     * @param node   the node being evaluated
     * @param inputs its input values, null for left-out optional inputs
     * @param opset  the model's opset of the default domain
     */
    public OpCall(NodeProto node, List<Tensor> inputs, long opset) {
        this.node = node;
        this.inputs = inputs;
        this.opset = opset;
    }

    /** The node. */
    public NodeProto node() {
        return node;
    }

    /** The model's opset of the default domain. */
    public long opset() {
        return opset;
    }

    /** The number of inputs the node lists (left-out optional ones included). */
    public int inputCount() {
        return inputs.size();
    }

    /** The number of outputs the node lists. */
    public int outputCount() {
        return node.outputs().size();
    }

    /** Whether output {@code i} is listed under a non-empty name (some ops compute extra outputs only then). */
    public boolean wantsOutput(int i) {
        return i < node.outputs().size() && !node.outputs().get(i).isEmpty();
    }

    /** Input {@code i}, which must be given. */
    public Tensor input(int i) {
        Tensor t = optionalInput(i);
        if (t == null) {
            throw error("input " + i + " is required but missing");
        }
        return t;
    }

    /** Input {@code i}, or null when the node leaves it out. */
    public Tensor optionalInput(int i) {
        return i < inputs.size() ? inputs.get(i) : null;
    }

    /** Every input (null where left out). */
    public List<Tensor> inputs() {
        return inputs;
    }

    // ---- attributes ----

    /** The attribute called {@code name}, or null. */
    public AttributeProto attribute(String name) {
        return node.attribute(name);
    }

    /** Whether the node has an attribute called {@code name}. */
    public boolean hasAttribute(String name) {
        return node.attribute(name) != null;
    }

    /** An INT attribute, or {@code def} when absent. */
    public long intAttr(String name, long def) {
        AttributeProto a = typed(name, AttributeProto.Type.INT);
        return a == null ? def : a.i();
    }

    /** An INT attribute as an int (range-checked), or {@code def} when absent. */
    public int intAttrAsInt(String name, int def) {
        long v = intAttr(name, def);
        if (v != (int) v) {
            throw error("attribute '" + name + "' is " + v + ", beyond the int range");
        }
        return (int) v;
    }

    /** An INTS attribute, or {@code def} (which may be null) when absent. */
    public long[] intsAttr(String name, long[] def) {
        AttributeProto a = typed(name, AttributeProto.Type.INTS);
        return a == null ? def : a.ints();
    }

    /** An INTS attribute converted to ints (range-checked), or {@code def} when absent. */
    public int[] intsAttrAsInts(String name, int[] def) {
        long[] v = intsAttr(name, null);
        return v == null ? def : toInts(v, "attribute '" + name + "'");
    }

    /** A FLOAT attribute, or {@code def} when absent. */
    public double floatAttr(String name, double def) {
        AttributeProto a = typed(name, AttributeProto.Type.FLOAT);
        return a == null ? def : a.f();
    }

    /** A FLOATS attribute, or {@code def} when absent. */
    public float[] floatsAttr(String name, float[] def) {
        AttributeProto a = typed(name, AttributeProto.Type.FLOATS);
        return a == null ? def : a.floats();
    }

    /** A STRING attribute, or {@code def} when absent. */
    public String stringAttr(String name, String def) {
        AttributeProto a = typed(name, AttributeProto.Type.STRING);
        return a == null ? def : a.string();
    }

    /** A TENSOR attribute as a Deneb tensor, or null when absent. */
    public Tensor tensorAttr(String name) {
        AttributeProto a = typed(name, AttributeProto.Type.TENSOR);
        if (a == null) {
            return null;
        }
        TensorProto t = a.t();
        try {
            return TensorProtos.toTensor(t);
        } catch (OnnxException e) {
            throw error("attribute '" + name + "': " + e.getMessage());
        }
    }

    private AttributeProto typed(String name, AttributeProto.Type type) {
        AttributeProto a = node.attribute(name);
        if (a != null && a.type() != type) {
            throw error("attribute '" + name + "' should be of type " + type + ", the node has " + a.type());
        }
        return a;
    }

    // ---- values ----

    /** The values of an integer input (I32 or I64) as longs; a clear error for other types. */
    public long[] longs(int input) {
        Tensor t = input(input);
        if (!t.dtype().isInteger()) {
            throw error("input " + i(input) + " should be an integer tensor (INT64), got " + t.dtype() + " "
                    + Arrays.toString(t.shape()));
        }
        return t.toLongArray();
    }

    /** The values of an integer input as ints (range-checked). */
    public int[] ints(int input) {
        return toInts(longs(input), "input " + i(input));
    }

    /** The single value of a scalar (or one-element) input, as a double. */
    public double scalar(int input) {
        Tensor t = input(input);
        if (t.numel() != 1) {
            throw error("input " + i(input) + " should hold one value, got shape " + Arrays.toString(t.shape()));
        }
        return t.toDoubleArray()[0];
    }

    /** {@code axis} made non-negative for a tensor of rank {@code rank}; an error naming the node when outside. */
    public int axis(long axis, int rank) {
        if (axis < -rank || axis >= rank) {
            throw error("axis " + axis + " is outside [" + -rank + ", " + (rank - 1) + "] for an input of rank "
                    + rank);
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }

    /** Every axis of {@code axes} made non-negative (see {@link #axis}); duplicates are refused. */
    public int[] axes(long[] axes, int rank) {
        int[] out = new int[axes.length];
        boolean[] seen = new boolean[rank];
        for (int k = 0; k < axes.length; k++) {
            out[k] = axis(axes[k], rank);
            if (seen[out[k]]) {
                throw error("axis " + axes[k] + " is listed twice in " + Arrays.toString(axes));
            }
            seen[out[k]] = true;
        }
        return out;
    }

    private String i(int input) {
        String name = input < node.inputs().size() ? node.inputs().get(input) : "";
        return input + (name.isEmpty() ? "" : " ('" + name + "')");
    }

    int[] toInts(long[] v, String what) {
        int[] out = new int[v.length];
        for (int k = 0; k < v.length; k++) {
            if (v[k] != (int) v[k]) {
                throw error(what + " holds " + v[k] + ", beyond the int range");
            }
            out[k] = (int) v[k];
        }
        return out;
    }

    // ---- errors ----

    /** An exception whose message names this node (name and op type) and then says {@code message}. */
    public OnnxException error(String message) {
        return new OnnxException(describe(node) + ": " + message);
    }

    /**
     * {@code node 'name' (OpType)}, or for a node without a name {@code node (OpType) -> 'firstOutput'}, for
     * messages.
     */
    public static String describe(NodeProto node) {
        if (node.name() != null && !node.name().isEmpty()) {
            return "node '" + node.name() + "' (" + node.opType() + ")";
        }
        return "node (" + node.opType() + ")" + (node.outputs().isEmpty() ? "" : " -> '" + node.outputs().get(0) + "'");
    }
}
