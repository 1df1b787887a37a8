package dev.deneb.onnx;

import dev.deneb.onnx.proto.DataType;
import dev.deneb.onnx.proto.TensorProto;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Conversions between Deneb tensors and ONNX tensors (raw little-endian data). */
public final class TensorProtos {
    private TensorProtos() {}

    /** ONNX's data type number for a Deneb dtype. */
    public static int dataType(DType d) {
        return switch (d) {
            case BOOL -> DataType.BOOL;
            case I32 -> DataType.INT32;
            case I64 -> DataType.INT64;
            case F32 -> DataType.FLOAT;
            case F64 -> DataType.DOUBLE;
        };
    }

    /** The Deneb dtype of an ONNX data type number. */
    public static DType dtype(int dataType, String what) {
        return switch (dataType) {
            case DataType.BOOL -> DType.BOOL;
            case DataType.INT32 -> DType.I32;
            case DataType.INT64 -> DType.I64;
            case DataType.FLOAT -> DType.F32;
            case DataType.DOUBLE -> DType.F64;
            default -> throw new OnnxException(what + ": element type " + DataType.name(dataType)
                    + " is not supported (Deneb has FLOAT, DOUBLE, INT32, INT64 and BOOL tensors)");
        };
    }

    /** {@code t} as an ONNX tensor called {@code name}. */
    public static TensorProto of(String name, Tensor t) {
        Tensor c = t.contiguous();
        int n = c.numel();
        ByteBuffer b = ByteBuffer.allocate(n * c.dtype().bytes()).order(ByteOrder.LITTLE_ENDIAN);
        switch (c.dtype()) {
            case F32 -> b.asFloatBuffer().put(c.toFloatArray());
            case F64 -> b.asDoubleBuffer().put(c.toDoubleArray());
            case I32 -> b.asIntBuffer().put(c.toIntArray());
            case I64 -> b.asLongBuffer().put(c.toLongArray());
            case BOOL -> {
                boolean[] v = c.toBooleanArray();
                for (int i = 0; i < n; i++) {
                    b.put(i, (byte) (v[i] ? 1 : 0));
                }
            }
        }
        long[] dims = Arrays.stream(c.shape()).asLongStream().toArray();
        return new TensorProto(name, dataType(c.dtype()), dims, b.array());
    }

    /** The Deneb tensor an ONNX tensor holds; a clear error for types and sizes Deneb cannot hold. */
    public static Tensor toTensor(TensorProto p) {
        String what = "tensor '" + p.name() + "'";
        DType dt = dtype(p.dataType(), what);
        int[] shape = new int[p.dims().length];
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = p.dims()[i];
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new OnnxException(what + ": dimension " + i + " is " + d + " (shape "
                        + Arrays.toString(p.dims()) + ")");
            }
            shape[i] = (int) d;
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new OnnxException(what + ": " + Arrays.toString(p.dims()) + " holds more elements than a"
                        + " Deneb tensor can (2^31 - 1)");
            }
        }
        long want = n * dt.bytes();
        if (p.raw().length != want) {
            throw new OnnxException(what + ": shape " + Arrays.toString(p.dims()) + " of " + DataType.name(p.dataType())
                    + " needs " + want + " bytes of data, the file holds " + p.raw().length);
        }
        ByteBuffer b = ByteBuffer.wrap(p.raw()).order(ByteOrder.LITTLE_ENDIAN);
        int count = (int) n;
        Tensor t = switch (dt) {
            case F32 -> {
                float[] v = new float[count];
                b.asFloatBuffer().get(v);
                yield Tensor.of(v, shape);
            }
            case F64 -> {
                double[] v = new double[count];
                b.asDoubleBuffer().get(v);
                yield Tensor.of(v, shape);
            }
            case I32 -> {
                int[] v = new int[count];
                b.asIntBuffer().get(v);
                yield Tensor.of(v, shape);
            }
            case I64 -> {
                long[] v = new long[count];
                b.asLongBuffer().get(v);
                yield Tensor.of(v, shape);
            }
            case BOOL -> {
                boolean[] v = new boolean[count];
                for (int i = 0; i < count; i++) {
                    v[i] = p.raw()[i] != 0;
                }
                yield Tensor.of(v, shape);
            }
        };
        // Tensor.of makes a 1-D tensor when given no shape: an ONNX scalar (no dims) must stay rank 0.
        return shape.length == 0 ? t.reshape() : t;
    }
}
