package dev.deneb.onnx.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

/** Field-by-field equality of the proto records (their arrays make the records' own equals compare identity). */
final class Protos {
    private Protos() {}

    static void assertModel(ModelProto want, ModelProto got) {
        assertEquals(want.irVersion(), got.irVersion(), "ir_version");
        assertEquals(want.opsetImport(), got.opsetImport(), "opset_import");
        assertEquals(want.producerName(), got.producerName(), "producer_name");
        assertEquals(want.producerVersion(), got.producerVersion(), "producer_version");
        assertGraph(want.graph(), got.graph(), "graph");
    }

    static void assertGraph(GraphProto want, GraphProto got, String where) {
        assertEquals(want.name(), got.name(), where + ".name");
        assertEquals(want.nodes().size(), got.nodes().size(), where + " node count");
        for (int i = 0; i < want.nodes().size(); i++) {
            assertNode(want.nodes().get(i), got.nodes().get(i), where + ".node[" + i + "]");
        }
        assertTensors(want.initializers(), got.initializers(), where + ".initializer");
        assertEquals(want.inputs(), got.inputs(), where + ".input");
        assertEquals(want.outputs(), got.outputs(), where + ".output");
    }

    static void assertNode(NodeProto want, NodeProto got, String where) {
        assertEquals(want.name(), got.name(), where + ".name");
        assertEquals(want.opType(), got.opType(), where + ".op_type");
        assertEquals(want.domain(), got.domain(), where + ".domain");
        assertEquals(want.inputs(), got.inputs(), where + ".input");
        assertEquals(want.outputs(), got.outputs(), where + ".output");
        assertEquals(want.attributes().size(), got.attributes().size(), where + " attribute count");
        for (int i = 0; i < want.attributes().size(); i++) {
            assertAttribute(want.attributes().get(i), got.attributes().get(i), where + ".attribute[" + i + "]");
        }
    }

    static void assertAttribute(AttributeProto want, AttributeProto got, String where) {
        assertEquals(want.name(), got.name(), where + ".name");
        assertEquals(want.type(), got.type(), where + ".type");
        assertEquals(Float.floatToRawIntBits(want.f()), Float.floatToRawIntBits(got.f()), where + ".f");
        assertEquals(want.i(), got.i(), where + ".i");
        assertArrayEquals(want.s(), got.s(), where + ".s");
        if (want.t() == null) {
            assertNull(got.t(), where + ".t");
        } else {
            assertTensor(want.t(), got.t(), where + ".t");
        }
        if (want.g() == null) {
            assertNull(got.g(), where + ".g");
        } else {
            assertGraph(want.g(), got.g(), where + ".g");
        }
        assertArrayEquals(want.floats(), got.floats(), where + ".floats");
        assertArrayEquals(want.ints(), got.ints(), where + ".ints");
        assertEquals(want.strings().size(), got.strings().size(), where + ".strings count");
        for (int i = 0; i < want.strings().size(); i++) {
            assertArrayEquals(want.strings().get(i), got.strings().get(i), where + ".strings[" + i + "]");
        }
    }

    static void assertTensors(List<TensorProto> want, List<TensorProto> got, String where) {
        assertEquals(want.size(), got.size(), where + " count");
        for (int i = 0; i < want.size(); i++) {
            assertTensor(want.get(i), got.get(i), where + "[" + i + "]");
        }
    }

    static void assertTensor(TensorProto want, TensorProto got, String where) {
        assertEquals(want.name(), got.name(), where + ".name");
        assertEquals(want.dataType(), got.dataType(), where + ".data_type");
        assertArrayEquals(want.dims(), got.dims(), where + ".dims");
        assertArrayEquals(want.raw(), got.raw(), where + ".raw_data");
    }
}
