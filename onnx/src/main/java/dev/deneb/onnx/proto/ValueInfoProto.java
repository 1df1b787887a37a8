package dev.deneb.onnx.proto;

import java.util.List;

/**
 * ONNX's {@code ValueInfoProto} for a tensor value: its name, element type and shape. Each dimension is a
 * {@link Dim}: a fixed size, or a symbolic name such as {@code "batch"}.
 */
public record ValueInfoProto(String name, int elemType, List<Dim> shape) {
    public ValueInfoProto {
        shape = shape == null ? null : List.copyOf(shape);
    }

    /**
     * One dimension: {@code value} when {@code param} is null, else the symbolic name (value -1). A dimension the
     * file leaves unknown (neither a value nor a name) is value -1 with a null param.
     */
    public record Dim(long value, String param) {
        public static Dim of(long value) {
            return new Dim(value, null);
        }

        public static Dim named(String param) {
            return new Dim(-1, param);
        }

        @Override
        public String toString() {
            return param != null ? param : Long.toString(value);
        }
    }
}
