package dev.deneb.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.deneb.onnx.proto.ModelProto;
import dev.deneb.onnx.proto.OnnxFormat;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** ONNX Runtime (test scope only) as the reference for exported models: runs a model on Deneb tensors. */
public final class OrtOracle {
    private OrtOracle() {}

    /** The model's outputs, in graph order, for inputs given in graph-input order. */
    public static List<Tensor> run(ModelProto model, List<Tensor> inputs) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(OnnxFormat.encode(model), so)) {
                Map<String, OnnxTensor> feed = new LinkedHashMap<>();
                try {
                    for (int i = 0; i < inputs.size(); i++) {
                        feed.put(model.graph().inputs().get(i).name(), toOrt(env, inputs.get(i)));
                    }
                    try (OrtSession.Result r = s.run(feed)) {
                        List<Tensor> out = new ArrayList<>();
                        for (int i = 0; i < r.size(); i++) {
                            Tensor t = fromOrt((OnnxTensor) r.get(i));
                            // Tensor.of makes a 1-D tensor when given no shape: keep ONNX scalars rank 0.
                            out.add(((OnnxTensor) r.get(i)).getInfo().getShape().length == 0 ? t.reshape() : t);
                        }
                        return out;
                    }
                } finally {
                    feed.values().forEach(OnnxTensor::close);
                }
            }
        } catch (OrtException e) {
            throw new AssertionError("ONNX Runtime refused the model: " + e.getMessage(), e);
        }
    }

    private static OnnxTensor toOrt(OrtEnvironment env, Tensor t) throws OrtException {
        long[] shape = java.util.Arrays.stream(t.shape()).asLongStream().toArray();
        Tensor c = t.contiguous();
        return switch (c.dtype()) {
            case F32 -> OnnxTensor.createTensor(env, FloatBuffer.wrap(c.toFloatArray()), shape);
            case F64 -> OnnxTensor.createTensor(env, DoubleBuffer.wrap(c.toDoubleArray()), shape);
            case I32 -> OnnxTensor.createTensor(env, IntBuffer.wrap(c.toIntArray()), shape);
            case I64 -> OnnxTensor.createTensor(env, LongBuffer.wrap(c.toLongArray()), shape);
            case BOOL -> {
                boolean[] v = c.toBooleanArray();
                ByteBuffer b = ByteBuffer.allocateDirect(v.length).order(ByteOrder.nativeOrder());
                for (boolean x : v) {
                    b.put((byte) (x ? 1 : 0));
                }
                b.rewind();
                yield OnnxTensor.createTensor(env, b, shape, OnnxJavaType.BOOL);
            }
        };
    }

    private static Tensor fromOrt(OnnxTensor t) {
        int[] shape = java.util.Arrays.stream(t.getInfo().getShape()).mapToInt(Math::toIntExact).toArray();
        return switch (t.getInfo().type) {
            case FLOAT -> {
                FloatBuffer b = t.getFloatBuffer();
                float[] v = new float[b.remaining()];
                b.get(v);
                yield Tensor.of(v, shape);
            }
            case DOUBLE -> {
                DoubleBuffer b = t.getDoubleBuffer();
                double[] v = new double[b.remaining()];
                b.get(v);
                yield Tensor.of(v, shape);
            }
            case INT64 -> {
                LongBuffer b = t.getLongBuffer();
                long[] v = new long[b.remaining()];
                b.get(v);
                yield Tensor.of(v, shape);
            }
            case INT32 -> {
                IntBuffer b = t.getIntBuffer();
                int[] v = new int[b.remaining()];
                b.get(v);
                yield Tensor.of(v, shape);
            }
            case BOOL -> {
                ByteBuffer b = t.getByteBuffer();
                boolean[] v = new boolean[b.remaining()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = b.get() != 0;
                }
                yield Tensor.of(v, shape);
            }
            default -> throw new AssertionError("unexpected ONNX Runtime output type " + t.getInfo().type);
        };
    }

    /** Asserts {@code actual} equals {@code expected} within {@code tol} relative to the expected values' scale. */
    public static void assertClose(String what, Tensor expected, Tensor actual, double tol) {
        if (!java.util.Arrays.equals(expected.shape(), actual.shape())) {
            throw new AssertionError(what + ": shape " + java.util.Arrays.toString(actual.shape()) + ", expected "
                    + java.util.Arrays.toString(expected.shape()));
        }
        double[] e = expected.to(DType.F64).contiguous().toDoubleArray();
        double[] a = actual.to(DType.F64).contiguous().toDoubleArray();
        double scale = 1;
        for (double v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        int at = -1;
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs(e[i] - a[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        if (!(worst <= tol * scale)) {
            throw new AssertionError(what + ": max |difference| " + worst + " at element " + at + " (expected "
                    + e[at] + ", got " + a[at] + "), allowed " + tol + " × scale " + scale);
        }
    }
}
