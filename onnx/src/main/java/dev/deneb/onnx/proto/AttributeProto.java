package dev.deneb.onnx.proto;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * ONNX's {@code AttributeProto}: a named constant argument of a node. Exactly the field its {@link #type()} names
 * is meaningful; the others hold their empty values.
 */
public record AttributeProto(String name, Type type, float f, long i, byte[] s, TensorProto t, GraphProto g,
                             float[] floats, long[] ints, List<byte[]> strings) {
    /** ONNX's {@code AttributeProto.AttributeType}, with its wire numbers. */
    public enum Type {
        UNDEFINED(0), FLOAT(1), INT(2), STRING(3), TENSOR(4), GRAPH(5), FLOATS(6), INTS(7), STRINGS(8), TENSORS(9),
        GRAPHS(10), SPARSE_TENSOR(11), SPARSE_TENSORS(12), TYPE_PROTO(13), TYPE_PROTOS(14);

        public final int code;

        Type(int code) {
            this.code = code;
        }

        /** The type with wire number {@code code}, or UNDEFINED for numbers this version does not know. */
        public static Type of(long code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            return UNDEFINED;
        }
    }

    public AttributeProto {
        s = s == null ? new byte[0] : s;
        floats = floats == null ? new float[0] : floats;
        ints = ints == null ? new long[0] : ints;
        strings = strings == null ? List.of() : List.copyOf(strings);
    }

    public static AttributeProto ofFloat(String name, float v) {
        return new AttributeProto(name, Type.FLOAT, v, 0, null, null, null, null, null, null);
    }

    public static AttributeProto ofInt(String name, long v) {
        return new AttributeProto(name, Type.INT, 0, v, null, null, null, null, null, null);
    }

    public static AttributeProto ofString(String name, String v) {
        return new AttributeProto(name, Type.STRING, 0, 0, v.getBytes(StandardCharsets.UTF_8), null, null, null, null,
                null);
    }

    public static AttributeProto ofTensor(String name, TensorProto v) {
        return new AttributeProto(name, Type.TENSOR, 0, 0, null, v, null, null, null, null);
    }

    public static AttributeProto ofFloats(String name, float... v) {
        return new AttributeProto(name, Type.FLOATS, 0, 0, null, null, null, v.clone(), null, null);
    }

    public static AttributeProto ofInts(String name, long... v) {
        return new AttributeProto(name, Type.INTS, 0, 0, null, null, null, null, v.clone(), null);
    }

    public static AttributeProto ofInts(String name, int... v) {
        long[] l = new long[v.length];
        for (int k = 0; k < v.length; k++) {
            l[k] = v[k];
        }
        return new AttributeProto(name, Type.INTS, 0, 0, null, null, null, null, l, null);
    }

    public static AttributeProto ofStrings(String name, String... v) {
        List<byte[]> l = new java.util.ArrayList<>();
        for (String x : v) {
            l.add(x.getBytes(StandardCharsets.UTF_8));
        }
        return new AttributeProto(name, Type.STRINGS, 0, 0, null, null, null, null, null, l);
    }

    /** The STRING value as UTF-8 text. */
    public String string() {
        return new String(s, StandardCharsets.UTF_8);
    }
}
