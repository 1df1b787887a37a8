package dev.deneb.onnx.proto;

import dev.deneb.onnx.OnnxException;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes Deneb's ONNX records in the protobuf wire format, fields in field-number order as protoc writes them.
 * Tensors always go in {@code raw_data} with their dims, data type and name; repeated numbers are packed (every
 * protobuf parser reads both forms). Null strings and lists are written as empty.
 */
final class ProtoEncoder {
    private ProtoEncoder() {}

    static void model(WireWriter w, ModelProto m) {
        w.int64Field(1, m.irVersion());
        string(w, 2, m.producerName());
        string(w, 3, m.producerVersion());
        if (m.graph() != null) {
            w.message(7, m.graph(), ProtoEncoder::graph);
        }
        for (OperatorSetId id : m.opsetImport()) {
            w.message(8, id, ProtoEncoder::opset);
        }
    }

    static void opset(WireWriter w, OperatorSetId id) {
        string(w, 1, id.domain());
        w.int64Field(2, id.version());
    }

    static void graph(WireWriter w, GraphProto g) {
        for (NodeProto n : g.nodes()) {
            w.message(1, n, ProtoEncoder::node);
        }
        string(w, 2, g.name());
        for (TensorProto t : g.initializers()) {
            w.message(5, t, ProtoEncoder::tensor);
        }
        for (ValueInfoProto v : g.inputs()) {
            w.message(11, v, ProtoEncoder::valueInfo);
        }
        for (ValueInfoProto v : g.outputs()) {
            w.message(12, v, ProtoEncoder::valueInfo);
        }
    }

    static void node(WireWriter w, NodeProto n) {
        for (String s : n.inputs()) {
            w.stringField(1, s == null ? "" : s); // an empty name is an omitted optional input: keep its place
        }
        for (String s : n.outputs()) {
            w.stringField(2, s == null ? "" : s);
        }
        string(w, 3, n.name());
        string(w, 4, n.opType());
        for (AttributeProto a : n.attributes()) {
            w.message(5, a, ProtoEncoder::attribute);
        }
        string(w, 7, n.domain());
    }

    /** The name, the value field the type names (even when zero), and the type. */
    static void attribute(WireWriter w, AttributeProto a) {
        string(w, 1, a.name());
        AttributeProto.Type type = a.type() == null ? AttributeProto.Type.UNDEFINED : a.type();
        switch (type) {
            case FLOAT -> w.floatField(2, a.f());
            case INT -> w.int64Field(3, a.i());
            case STRING -> w.bytesField(4, a.s());
            case TENSOR -> {
                if (a.t() != null) {
                    w.message(5, a.t(), ProtoEncoder::tensor);
                }
            }
            case GRAPH -> {
                if (a.g() != null) {
                    w.message(6, a.g(), ProtoEncoder::graph);
                }
            }
            case FLOATS -> w.packedFloats(7, a.floats());
            case INTS -> w.packedVarints(8, a.ints());
            case STRINGS -> {
                for (byte[] s : a.strings()) {
                    w.bytesField(9, s);
                }
            }
            default -> { } // lists of tensors or graphs, sparse tensors, type protos: Deneb keeps no value
        }
        w.int64Field(20, type.code);
    }

    /** A tensor as dims, data_type, name and raw_data, after checking that the data fits the dims. */
    static void tensor(WireWriter w, TensorProto t) {
        byte[] raw = t.raw() == null ? new byte[0] : t.raw();
        long[] dims = t.dims() == null ? new long[0] : t.dims();
        int size = DataType.size(t.dataType());
        String what = "tensor '" + t.name() + "'";
        if (size < 0) {
            throw new OnnxException(what + ": element type " + DataType.name(t.dataType()) + " cannot be written");
        }
        long numel = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new OnnxException(what + ": negative dimension in " + Arrays.toString(dims));
            }
            numel = d == 0 || numel <= Long.MAX_VALUE / d ? numel * d : -1;
            if (numel < 0) {
                throw new OnnxException(what + ": dims " + Arrays.toString(dims) + " hold more than 2^63 elements");
            }
        }
        if (numel > raw.length / size || numel * size != raw.length) {
            throw new OnnxException(what + ": dims " + Arrays.toString(dims) + " of " + DataType.name(t.dataType())
                    + " need " + (numel > Long.MAX_VALUE / size ? "more than 2^63" : numel * size)
                    + " bytes of data, the record holds " + raw.length);
        }
        w.packedVarints(1, dims);
        w.int32Field(2, t.dataType());
        w.stringField(8, t.name() == null ? "" : t.name());
        w.bytesField(9, raw);
    }

    static void valueInfo(WireWriter w, ValueInfoProto v) {
        string(w, 1, v.name());
        if (v.elemType() != 0 || v.shape() != null) {
            w.message(2, v, ProtoEncoder::typeProto); // without a type: a non-tensor value, or an unknown one
        }
    }

    private static void typeProto(WireWriter w, ValueInfoProto v) {
        w.message(1, v, ProtoEncoder::tensorType);
    }

    private static void tensorType(WireWriter w, ValueInfoProto v) {
        if (v.elemType() != 0) {
            w.int32Field(1, v.elemType());
        }
        if (v.shape() != null) {
            w.message(2, v.shape(), ProtoEncoder::shape);
        }
    }

    private static void shape(WireWriter w, List<ValueInfoProto.Dim> shape) {
        for (ValueInfoProto.Dim d : shape) {
            w.message(1, d, ProtoEncoder::dim);
        }
    }

    /**
     * A symbolic name, a size, or an empty Dimension for an unknown size (value -1, no name). Other negative values
     * (only a file can hold them) are written as they came.
     */
    private static void dim(WireWriter w, ValueInfoProto.Dim d) {
        if (d.param() != null) {
            w.stringField(2, d.param());
        } else if (d.value() != -1) {
            w.int64Field(1, d.value());
        }
    }

    /** A string field, left out when empty (proto3 default). */
    private static void string(WireWriter w, int field, String s) {
        if (s != null && !s.isEmpty()) {
            w.stringField(field, s);
        }
    }
}
