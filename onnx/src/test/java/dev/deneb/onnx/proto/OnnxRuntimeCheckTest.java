package dev.deneb.onnx.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX Runtime, the reference implementation, loads what the encoder writes and computes what Java computes. */
class OnnxRuntimeCheckTest {
    private static final float[][] W = {{1, -2, 0.5f, 3}, {0, 1, -1, 2}, {-1, 0.25f, 2, -3}};

    @Test
    void runtimeRunsAMatMulReluModel() throws OrtException {
        ModelProto model = matMulRelu();
        float[][] x = {{1, 2, 3}, {-1, 0.5f, 4}};
        float[][] got = run(OnnxFormat.encode(model), x);
        float[][] want = new float[2][4];
        for (int b = 0; b < 2; b++) {
            for (int j = 0; j < 4; j++) {
                float s = 0;
                for (int k = 0; k < 3; k++) {
                    s += x[b][k] * W[k][j];
                }
                want[b][j] = Math.max(0, s);
            }
        }
        for (int b = 0; b < 2; b++) {
            assertArrayEquals(want[b], got[b], 1e-5f, "row " + b);
        }
    }

    @Test
    void runtimeReadsAttributesAndConstantsFromAWrittenFile(@TempDir Path dir) throws OrtException {
        // Y = Gemm(X, W2, B, alpha = 0.5, transB = 1), B from a Constant node (a TENSOR attribute)
        float[] w2 = {1, 2, 3, -1, 0, 1}; // [2, 3]
        float[] bias = {10, -10};
        ModelProto model = new ModelProto(8, List.of(new OperatorSetId("", 17)), "deneb-test", "0", new GraphProto(
                "gemm", List.of(
                        new NodeProto("const", "Constant", "", List.of(), List.of("B"),
                                List.of(AttributeProto.ofTensor("value", floats("", bias, 2)))),
                        new NodeProto("gemm", "Gemm", "", List.of("X", "W2", "B"), List.of("Y"),
                                List.of(AttributeProto.ofFloat("alpha", 0.5f), AttributeProto.ofInt("transB", 1)))),
                List.of(floats("W2", w2, 2, 3)),
                List.of(new ValueInfoProto("X", DataType.FLOAT, List.of(ValueInfoProto.Dim.named("batch"),
                        ValueInfoProto.Dim.of(3)))),
                List.of(new ValueInfoProto("Y", DataType.FLOAT, List.of(ValueInfoProto.Dim.named("batch"),
                        ValueInfoProto.Dim.of(2))))));
        Path file = dir.resolve("gemm.onnx");
        OnnxFormat.write(model, file);
        float[][] x = {{1, 1, 1}, {2, 0, -1}};
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(flat(x)), new long[] {2, 3});
             OrtSession.Result result = session.run(Map.of("X", t))) {
            float[][] got = (float[][]) result.get(0).getValue();
            for (int b = 0; b < 2; b++) {
                for (int j = 0; j < 2; j++) {
                    float s = 0;
                    for (int k = 0; k < 3; k++) {
                        s += x[b][k] * w2[j * 3 + k];
                    }
                    assertEquals(0.5f * s + bias[j], got[b][j], 1e-5f, "Y[" + b + "][" + j + "]");
                }
            }
        }
    }

    /** X [batch, 3] FLOAT → MatMul with the initializer W [3, 4] → Relu → Y [batch, 4]; opset 17, IR version 8. */
    static ModelProto matMulRelu() {
        float[] w = flat(W);
        GraphProto g = new GraphProto("matmul_relu",
                List.of(new NodeProto("mm", "MatMul", "", List.of("X", "W"), List.of("H"), List.of()),
                        new NodeProto("relu", "Relu", "", List.of("H"), List.of("Y"), List.of())),
                List.of(floats("W", w, 3, 4)),
                List.of(new ValueInfoProto("X", DataType.FLOAT, List.of(ValueInfoProto.Dim.named("batch"),
                        ValueInfoProto.Dim.of(3)))),
                List.of(new ValueInfoProto("Y", DataType.FLOAT, List.of(ValueInfoProto.Dim.named("batch"),
                        ValueInfoProto.Dim.of(4)))));
        return new ModelProto(8, List.of(new OperatorSetId("", 17)), "deneb-test", "0", g);
    }

    private static float[][] run(byte[] model, float[][] x) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(flat(x)), new long[] {x.length,
                 x[0].length});
             OrtSession.Result result = session.run(Map.of("X", t))) {
            return (float[][]) result.get(0).getValue();
        }
    }

    private static TensorProto floats(String name, float[] v, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return new TensorProto(name, DataType.FLOAT, dims, b.array());
    }

    private static float[] flat(float[][] m) {
        float[] out = new float[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, out, i * m[0].length, m[0].length);
        }
        return out;
    }
}
