package dev.deneb.onnx.proto;

/**
 * ONNX's {@code TensorProto} as Deneb holds it: whatever field the file stored the values in ({@code float_data},
 * {@code int64_data}, {@code raw_data}…), they are kept here as raw little-endian bytes, the layout
 * {@code raw_data} uses. Tensors stored outside the file (external data) are refused when decoding.
 *
 * @param dataType ONNX's {@code TensorProto.DataType} number (see {@link DataType})
 * @param dims     the shape; empty for a scalar
 * @param raw      the values, little-endian, row-major: {@code numel × DataType.size(dataType)} bytes
 */
public record TensorProto(String name, int dataType, long[] dims, byte[] raw) {
    /** The number of elements the dims describe. */
    public long numel() {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }
}
