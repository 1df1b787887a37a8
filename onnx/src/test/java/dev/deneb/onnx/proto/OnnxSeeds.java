package dev.deneb.onnx.proto;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Valid and hostile encoded models for the fuzz and malformed-input tests. */
final class OnnxSeeds {
    private OnnxSeeds() {}

    /** A model whose tensors keep their values in typed fields, unpacked and packed, as onnx's own writer does. */
    static byte[] typedData() {
        WireWriter w = new WireWriter(64);
        w.int64Field(1, 8);
        w.message(7, null, (g, x) -> {
            g.message(1, null, (n, y) -> {
                n.stringField(1, "X");
                n.stringField(1, "");
                n.stringField(2, "Y");
                n.stringField(4, "Op");
                n.message(5, null, (a, z) -> {
                    a.stringField(1, "value");
                    a.message(5, null, (t, u) -> {
                        t.int64Field(1, 2);
                        t.int32Field(2, DataType.INT8);
                        t.int32Field(5, -3);
                        t.int32Field(5, 7);
                    });
                    a.int64Field(20, AttributeProto.Type.TENSOR.code);
                });
            });
            g.message(5, null, (t, y) -> {
                t.packedVarints(1, new long[] {3});
                t.int32Field(2, DataType.FLOAT);
                t.packedFloats(4, new float[] {1, 2, 3});
                t.stringField(8, "f");
            });
            g.message(5, null, (t, y) -> {
                t.int64Field(1, 2);
                t.int32Field(2, DataType.INT64);
                t.int64Field(7, -1);
                t.int64Field(7, 1L << 40);
                t.stringField(8, "i");
            });
            g.message(5, null, (t, y) -> {
                t.int64Field(1, 1);
                t.int32Field(2, DataType.DOUBLE);
                t.tag(10, WireReader.FIXED64);
                t.fixed64(Double.doubleToRawLongBits(0.5));
                t.stringField(8, "d");
            });
            g.message(11, null, (v, y) -> {
                v.stringField(1, "X");
                v.message(2, null, (tp, z) -> tp.message(1, null, (tt, u) -> {
                    tt.int32Field(1, DataType.FLOAT);
                    tt.message(2, null, (s, q) -> {
                        s.message(1, null, (d, r) -> d.stringField(2, "batch"));
                        s.message(1, null, (d, r) -> d.int64Field(1, 3));
                    });
                }));
            });
        });
        w.message(8, null, (o, x) -> o.int64Field(2, 17));
        return w.toByteArray();
    }

    /** A model whose graph holds {@code levels} graphs nested in GRAPH attributes. */
    static ModelProto nested(int levels) {
        GraphProto g = new GraphProto("leaf", List.of(new NodeProto("n", "Identity", "", List.of("a"), List.of("b"),
                List.of(AttributeProto.ofInts("k", 1, 2)))), List.of(), List.of(), List.of());
        for (int i = 0; i < levels; i++) {
            AttributeProto body = new AttributeProto("body", AttributeProto.Type.GRAPH, 0, 0, null, null, g, null,
                    null, null);
            g = new GraphProto("g" + i, List.of(new NodeProto("if" + i, "If", "", List.of("c"), List.of("d"),
                    List.of(body))), List.of(), List.of(), List.of());
        }
        return new ModelProto(8, List.of(new OperatorSetId("", 17)), "", "", g);
    }

    /** Raw bytes of {@code levels} graphs nested through node and attribute messages, three messages a level. */
    static byte[] deeplyNested(int levels) {
        byte[] cur = new byte[0];
        for (int i = 0; i < levels; i++) {
            cur = wrap(1, wrap(5, wrap(6, cur))); // graph.node { attribute { g { … } } }
        }
        return wrap(7, cur);
    }

    /** A model whose graph has {@code n} empty nodes: two bytes of input per record. */
    static byte[] manyEmptyNodes(int n) {
        byte[] nodes = new byte[2 * n];
        for (int i = 0; i < n; i++) {
            nodes[2 * i] = 0x0a;
        }
        return wrap(7, nodes);
    }

    /** A model with one initializer whose raw_data declares {@code declared} bytes but holds 8. */
    static byte[] hugeRawData(long declared) {
        WireWriter t = new WireWriter(16);
        t.tag(9, WireReader.LEN);
        t.varint(declared);
        t.raw(new byte[8]);
        return wrap(7, wrap(5, t.toByteArray()));
    }

    /** The message field {@code field} holding {@code payload}. */
    static byte[] wrap(int field, byte[] payload) {
        WireWriter w = new WireWriter(payload.length + 6);
        w.bytesField(field, payload);
        return w.toByteArray();
    }

    /** Every seed model, named. */
    static List<Object[]> all() {
        List<Object[]> out = new ArrayList<>();
        out.add(new Object[] {"matmul-relu", OnnxFormat.encode(OnnxRuntimeCheckTest.matMulRelu())});
        out.add(new Object[] {"typed-data", typedData()});
        out.add(new Object[] {"nested-4", OnnxFormat.encode(nested(4))});
        out.add(new Object[] {"random-1", OnnxFormat.encode(new RandomModels(1, 3).model())});
        out.add(new Object[] {"random-2", OnnxFormat.encode(new RandomModels(2, 5).model())});
        return out;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
