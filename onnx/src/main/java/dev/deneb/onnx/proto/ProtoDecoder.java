package dev.deneb.onnx.proto;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes ONNX messages (onnx.proto field numbers) into Deneb's records. Fields the records do not hold are
 * skipped; tensors are decoded by {@link TensorDecoder}. Empty values share constants, so that a run of empty
 * messages in a hostile file costs no more than the records themselves.
 */
final class ProtoDecoder {
    private static final byte[] NO_BYTES = {};
    private static final float[] NO_FLOATS = {};
    private static final long[] NO_LONGS = {};

    private ProtoDecoder() {}

    /** ModelProto; a message without a graph is not an ONNX model. */
    static ModelProto model(WireReader r) {
        long irVersion = 0;
        String producer = "";
        String producerVersion = "";
        GraphProto graph = null;
        List<OperatorSetId> opsets = null;
        while (r.more()) {
            int tag = r.tag();
            switch (WireReader.field(tag)) {
                case 1 -> irVersion = r.int64(tag, "ir_version");
                case 2 -> producer = r.string(tag, "producer_name");
                case 3 -> producerVersion = r.string(tag, "producer_version");
                case 7 -> graph = r.message(tag, "graph", ProtoDecoder::graph);
                case 8 -> opsets = add(opsets, r.message(tag, "opset_import", ProtoDecoder::opset));
                default -> r.skip(tag); // domain, model_version, doc_string, metadata, training_info, functions
            }
        }
        if (graph == null) {
            throw r.error("not an ONNX model: no graph (ModelProto field 7)");
        }
        return new ModelProto(irVersion, list(opsets), producer, producerVersion, graph);
    }

    static OperatorSetId opset(WireReader r) {
        String domain = "";
        long version = 0;
        while (r.more()) {
            int tag = r.tag();
            switch (WireReader.field(tag)) {
                case 1 -> domain = r.string(tag, "domain");
                case 2 -> version = r.int64(tag, "version");
                default -> r.skip(tag);
            }
        }
        return new OperatorSetId(domain, version);
    }

    static GraphProto graph(WireReader r) {
        String name = "";
        List<NodeProto> nodes = null;
        List<TensorProto> initializers = null;
        List<ValueInfoProto> inputs = null;
        List<ValueInfoProto> outputs = null;
        while (r.more()) {
            int tag = r.tag();
            switch (WireReader.field(tag)) {
                case 1 -> nodes = add(nodes, r.message(tag, "node", ProtoDecoder::node));
                case 2 -> name = r.string(tag, "name");
                case 5 -> initializers = add(initializers, r.message(tag, "initializer", TensorDecoder::tensor));
                case 11 -> inputs = add(inputs, r.message(tag, "input", ProtoDecoder::valueInfo));
                case 12 -> outputs = add(outputs, r.message(tag, "output", ProtoDecoder::valueInfo));
                case 15 -> throw r.error("sparse initializers are not supported (graph '" + name
                        + "' has a sparse_initializer)");
                default -> r.skip(tag); // doc_string, value_info, quantization_annotation, metadata
            }
        }
        return new GraphProto(name, list(nodes), list(initializers), list(inputs), list(outputs));
    }

    static NodeProto node(WireReader r) {
        String name = "";
        String opType = "";
        String domain = "";
        List<String> inputs = null;
        List<String> outputs = null;
        List<AttributeProto> attributes = null;
        while (r.more()) {
            int tag = r.tag();
            switch (WireReader.field(tag)) {
                case 1 -> inputs = add(inputs, r.string(tag, "input"));
                case 2 -> outputs = add(outputs, r.string(tag, "output"));
                case 3 -> name = r.string(tag, "name");
                case 4 -> opType = r.string(tag, "op_type");
                case 5 -> attributes = add(attributes, r.message(tag, "attribute", ProtoDecoder::attribute));
                case 7 -> domain = r.string(tag, "domain");
                default -> r.skip(tag); // doc_string, overload, metadata, device configurations
            }
        }
        return new NodeProto(name, opType, domain, list(inputs), list(outputs), list(attributes));
    }

    /**
     * AttributeProto. Lists of tensors, graphs, sparse tensors and type protos are skipped, their type kept so the
     * importer can refuse them. A file without the type field (written before it existed) gets the type of the
     * value field present.
     */
    static AttributeProto attribute(WireReader r) {
        String name = "";
        long type = -1;
        float f = 0;
        long i = 0;
        byte[] s = NO_BYTES;
        TensorProto t = null;
        GraphProto g = null;
        LongList floats = null;
        LongList ints = null;
        List<byte[]> strings = null;
        AttributeProto.Type seen = AttributeProto.Type.UNDEFINED;
        while (r.more()) {
            int tag = r.tag();
            int field = WireReader.field(tag);
            switch (field) {
                case 1 -> name = r.string(tag, "name");
                case 2 -> f = r.float32(tag, "f");
                case 3 -> i = r.int64(tag, "i");
                case 4 -> s = r.bytes(tag, "s");
                case 5 -> t = r.message(tag, "t", TensorDecoder::tensor);
                case 6 -> g = r.message(tag, "g", ProtoDecoder::graph);
                case 7 -> r.fixed32s(tag, "floats", floats = floats == null ? new LongList() : floats);
                case 8 -> r.varints(tag, "ints", ints = ints == null ? new LongList() : ints);
                case 9 -> strings = add(strings, r.bytes(tag, "strings"));
                case 20 -> type = r.int64(tag, "type");
                default -> r.skip(tag);
            }
            if (type < 0) {
                seen = implied(field, seen);
            }
        }
        AttributeProto.Type kind = type >= 0 ? AttributeProto.Type.of(type) : seen;
        return new AttributeProto(name, kind, f, i, s, t, g, floats == null ? NO_FLOATS : floats.toFloatArray(),
                ints == null ? NO_LONGS : ints.toArray(), strings == null ? List.of() : strings);
    }

    /** The attribute type a value field implies, for files without the type field. */
    private static AttributeProto.Type implied(int field, AttributeProto.Type before) {
        return switch (field) {
            case 2 -> AttributeProto.Type.FLOAT;
            case 3 -> AttributeProto.Type.INT;
            case 4 -> AttributeProto.Type.STRING;
            case 5 -> AttributeProto.Type.TENSOR;
            case 6 -> AttributeProto.Type.GRAPH;
            case 7 -> AttributeProto.Type.FLOATS;
            case 8 -> AttributeProto.Type.INTS;
            case 9 -> AttributeProto.Type.STRINGS;
            case 10 -> AttributeProto.Type.TENSORS;
            case 11 -> AttributeProto.Type.GRAPHS;
            case 14 -> AttributeProto.Type.TYPE_PROTO;
            case 15 -> AttributeProto.Type.TYPE_PROTOS;
            case 22 -> AttributeProto.Type.SPARSE_TENSOR;
            case 23 -> AttributeProto.Type.SPARSE_TENSORS;
            default -> before;
        };
    }

    /**
     * ValueInfoProto. A value whose type is not a tensor (sequence, map, optional, sparse tensor) gets element type
     * 0 and a null shape; so does a tensor type without a shape field (the shape is unknown).
     */
    static ValueInfoProto valueInfo(WireReader r) {
        String name = "";
        TensorType type = TensorType.NONE;
        while (r.more()) {
            int tag = r.tag();
            switch (WireReader.field(tag)) {
                case 1 -> name = r.string(tag, "name");
                case 2 -> type = r.message(tag, "type", ProtoDecoder::typeProto);
                default -> r.skip(tag);
            }
        }
        return new ValueInfoProto(name, type.elemType, type.shape);
    }

    /** The element type and shape of a TypeProto.Tensor. */
    private record TensorType(int elemType, List<ValueInfoProto.Dim> shape) {
        static final TensorType NONE = new TensorType(0, null);
    }

    private static TensorType typeProto(WireReader r) {
        TensorType type = TensorType.NONE;
        while (r.more()) {
            int tag = r.tag();
            if (WireReader.field(tag) == 1) {
                type = r.message(tag, "tensor_type", ProtoDecoder::tensorType);
            } else {
                r.skip(tag); // sequence, map, optional and sparse tensor types, denotation
            }
        }
        return type;
    }

    private static TensorType tensorType(WireReader r) {
        int elemType = 0;
        List<ValueInfoProto.Dim> shape = null;
        while (r.more()) {
            int tag = r.tag();
            switch (WireReader.field(tag)) {
                case 1 -> elemType = r.int32(tag, "elem_type");
                case 2 -> shape = r.message(tag, "shape", ProtoDecoder::shape);
                default -> r.skip(tag);
            }
        }
        return new TensorType(elemType, shape);
    }

    private static List<ValueInfoProto.Dim> shape(WireReader r) {
        List<ValueInfoProto.Dim> dims = new ArrayList<>();
        while (r.more()) {
            int tag = r.tag();
            if (WireReader.field(tag) == 1) {
                dims.add(r.message(tag, "dim", ProtoDecoder::dim));
            } else {
                r.skip(tag);
            }
        }
        return dims;
    }

    /** A Dimension: a value, a symbolic name, or neither (an unknown size: value -1, no name). */
    private static ValueInfoProto.Dim dim(WireReader r) {
        long value = -1;
        String param = null;
        while (r.more()) {
            int tag = r.tag();
            switch (WireReader.field(tag)) {
                case 1 -> {
                    value = r.int64(tag, "dim_value");
                    param = null; // a oneof: the last field wins
                }
                case 2 -> {
                    param = r.string(tag, "dim_param");
                    value = -1;
                }
                default -> r.skip(tag);
            }
        }
        return new ValueInfoProto.Dim(value, param);
    }

    private static <T> List<T> add(List<T> list, T value) {
        List<T> l = list == null ? new ArrayList<>() : list;
        l.add(value);
        return l;
    }

    private static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : list;
    }
}
