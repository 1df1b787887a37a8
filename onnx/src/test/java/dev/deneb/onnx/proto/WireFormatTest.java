package dev.deneb.onnx.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.onnx.OnnxException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wire format byte for byte: hand-computed encodings, and the reader's checks. */
class WireFormatTest {
    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void varintsAreSevenBitsAByteLowFirst() {
        WireWriter w = new WireWriter(1);
        w.varint(300);
        w.varint(0);
        w.varint(127);
        w.varint(128);
        assertEquals("ac02" + "00" + "7f" + "8001", hex(w.toByteArray()));
        WireWriter neg = new WireWriter(0);
        neg.int32Field(2, -1); // int32 -1 is sign-extended: ten bytes
        assertEquals("10" + "ffffffffffffffffff01", hex(neg.toByteArray()));
        WireReader r = new WireReader(hex("08 ac02"), "m");
        int tag = r.tag();
        assertEquals(1, WireReader.field(tag));
        assertEquals(300, r.int64(tag, "x"));
        assertFalse(r.more());
    }

    @Test
    void smallModelHasTheBytesProtocWrites() {
        // ir_version 8, graph {name "g"}, opset_import {version 17}
        ModelProto m = new ModelProto(8, List.of(new OperatorSetId("", 17)), "", "",
                new GraphProto("g", List.of(), List.of(), List.of(), List.of()));
        assertEquals("0808" + "3a03" + "120167" + "4202" + "1011", hex(OnnxFormat.encode(m)));
    }

    @Test
    void tensorIsDimsTypeNameAndRawData() {
        TensorProto t = new TensorProto("w", DataType.FLOAT, new long[] {2}, hex("0000803f 00000040"));
        WireWriter w = new WireWriter(0);
        ProtoEncoder.tensor(w, t);
        assertEquals("0a0102" + "1001" + "420177" + "4a08" + "0000803f00000040", hex(w.toByteArray()));
    }

    @Test
    void repeatedIntsArePackedOrNot() {
        byte[] packed = hex("0a 05 6e616d6573" + "a001 07" + "42 04 01 ac02 7f");
        byte[] unpacked = hex("0a 05 6e616d6573" + "a001 07" + "40 01" + "40 ac02" + "40 7f");
        byte[] mixed = hex("0a 05 6e616d6573" + "a001 07" + "40 01" + "42 02 ac02" + "40 7f");
        for (byte[] b : List.of(packed, unpacked, mixed)) {
            AttributeProto a = ProtoDecoder.attribute(new WireReader(b, "attribute"));
            assertEquals("names", a.name());
            assertEquals(AttributeProto.Type.INTS, a.type());
            assertArrayEquals(new long[] {1, 300, 127}, a.ints());
        }
        byte[] floatsPacked = hex("a001 06" + "3a 08 0000803f 000000c0");
        byte[] floatsUnpacked = hex("a001 06" + "3d 0000803f" + "3d 000000c0");
        for (byte[] b : List.of(floatsPacked, floatsUnpacked)) {
            assertArrayEquals(new float[] {1, -2}, ProtoDecoder.attribute(new WireReader(b, "a")).floats());
        }
    }

    @Test
    void attributeWithoutTypeFieldGetsTheTypeOfItsValue() {
        AttributeProto a = ProtoDecoder.attribute(new WireReader(hex("0a0161" + "1803"), "a"));
        assertEquals(AttributeProto.Type.INT, a.type());
        assertEquals(3, a.i());
    }

    @Test
    void unknownFieldsOfEveryWireTypeAreSkipped() {
        // opset {domain "" version 9} with unknown fields 3 (varint), 4 (fixed64), 5 (fixed32), 6 (bytes)
        byte[] b = hex("18 ff01" + "21 0102030405060708" + "2d 01020304" + "32 03 616263" + "10 09");
        OperatorSetId id = ProtoDecoder.opset(new WireReader(b, "opset"));
        assertEquals(new OperatorSetId("", 9), id);
    }

    @Test
    void malformedWireDataFailsWithTheFieldPath() {
        assertFails("08 ffffffffffffffffffff01", "malformed varint"); // 11 bytes
        assertFails("08 ffffffffffffffffff7f", "malformed varint"); // over 64 bits
        assertFails("08 ff", "truncated varint");
        assertFails("3a 05 1201", "declared length 5 exceeds the 2 bytes left");
        assertFails("3a ffffffff07", "declared length 2147483647");
        assertFails("3a ffffffffffffffffff01", "declared length 18446744073709551615");
        assertFails("0b 0c", "group");
        assertFails("0e", "invalid wire type 6");
        assertFails("00", "invalid field number 0");
        assertFails("49 01020304", "needs 8 bytes, 4 left"); // an unknown fixed64 field, cut short
        assertFails("3a 02 0a 05", "model.graph (byte 3): node: declared length 5");
        assertFails("3a 04 0a 02 0a 05", "model.graph.node (byte 5): input: declared length 5");
        assertFails("", "no graph");
    }

    private static void assertFails(String hexBytes, String expected) {
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxFormat.decode(hex(hexBytes)), hexBytes);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void aWrongWireTypeForAKnownFieldIsNamed() {
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxFormat.decode(hex("38 01")));
        assertTrue(e.getMessage().contains("graph (field 7) has wire type 0, expected 2"), e.getMessage());
    }

    @Test
    void utf8LengthMatchesGetBytes() {
        for (String s : List.of("", "abc", "é", "层", "😀", "a\ud800b", "\udc00", "x\ud83d")) {
            assertEquals(s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, WireWriter.utf8Length(s), s);
        }
    }
}
