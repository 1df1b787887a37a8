package dev.deneb.onnx.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.onnx.OnnxException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Tensors whose values come in typed fields become raw little-endian bytes; tensors Deneb cannot hold fail. */
class TensorDataTest {
    /** A TensorProto message: name, dims, data type, and whatever {@code data} writes. */
    private static TensorProto decode(String name, int dataType, long[] dims, java.util.function.Consumer<WireWriter>
            data) {
        WireWriter w = new WireWriter(16);
        for (long d : dims) {
            w.int64Field(1, d); // unpacked dims, as onnx's proto2 writer does
        }
        w.int32Field(2, dataType);
        data.accept(w);
        w.stringField(8, name);
        return TensorDecoder.tensor(new WireReader(w.toByteArray(), "tensor"));
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void floatDataBecomesFourBytesEach() {
        TensorProto t = decode("f", DataType.FLOAT, new long[] {2}, w -> {
            w.floatField(4, 1f);
            w.floatField(4, -2f);
        });
        assertEquals("0000803f000000c0", hex(t.raw()));
        TensorProto packed = decode("f", DataType.FLOAT, new long[] {2}, w -> w.packedFloats(4, new float[] {1, -2}));
        assertArrayEquals(t.raw(), packed.raw());
    }

    @Test
    void int64AndDoubleDataBecomeEightBytesEach() {
        TensorProto t = decode("i", DataType.INT64, new long[] {1, 2}, w -> w.packedVarints(7, new long[] {-1, 300}));
        assertEquals("ffffffffffffffff" + "2c01000000000000", hex(t.raw()));
        assertArrayEquals(new long[] {1, 2}, t.dims());
        TensorProto d = decode("d", DataType.DOUBLE, new long[] {1}, w -> {
            w.tag(10, WireReader.FIXED64);
            w.fixed64(Double.doubleToRawLongBits(1.0));
        });
        assertEquals("000000000000f03f", hex(d.raw()));
        TensorProto u = decode("u", DataType.UINT32, new long[] {1}, w -> w.int64Field(11, 0xFFFFFFFEL));
        assertEquals("feffffff", hex(u.raw()));
        TensorProto u64 = decode("u", DataType.UINT64, new long[] {1}, w -> w.int64Field(11, -1));
        assertEquals("ffffffffffffffff", hex(u64.raw()));
    }

    @Test
    void int32DataIsNarrowedToTheElementSize() {
        TensorProto i8 = decode("b", DataType.INT8, new long[] {3}, w -> w.packedVarints(5, new long[] {-1, 127,
            -128}));
        assertEquals("ff7f80", hex(i8.raw()));
        TensorProto bool = decode("m", DataType.BOOL, new long[] {2}, w -> {
            w.int32Field(5, 1);
            w.int32Field(5, 0);
        });
        assertEquals("0100", hex(bool.raw()));
        TensorProto half = decode("h", DataType.FLOAT16, new long[] {1}, w -> w.int32Field(5, 0x3C00)); // 1.0
        assertEquals("003c", hex(half.raw()));
        TensorProto i32 = decode("i", DataType.INT32, new long[0], w -> w.int32Field(5, -2));
        assertEquals("feffffff", hex(i32.raw()));
        TensorProto u16 = decode("u", DataType.UINT16, new long[] {1}, w -> w.int32Field(5, 65535));
        assertEquals("ffff", hex(u16.raw()));
    }

    @Test
    void externalDataIsRefusedWithTheLocation() {
        OnnxException e = assertThrows(OnnxException.class, () -> decode("big", DataType.FLOAT, new long[] {4},
                w -> {
                    w.message(13, "weights.bin", (ww, loc) -> {
                        ww.stringField(1, "location");
                        ww.stringField(2, loc);
                    });
                    w.int64Field(14, 1);
                }));
        assertTrue(e.getMessage().contains("tensor 'big' stores its data in an external file (location"
                + " 'weights.bin'); external data is not supported"), e.getMessage());
        OnnxException onlyLocation = assertThrows(OnnxException.class, () -> decode("w", DataType.FLOAT,
                new long[] {4}, w -> w.int64Field(14, 1)));
        assertTrue(onlyLocation.getMessage().contains("re-save the model with all tensors inside the file"));
    }

    @Test
    void tensorsDenebCannotHoldAreRefused() {
        assertRefused("STRING tensors are not supported",
                () -> decode("s", DataType.STRING, new long[] {1}, w -> w.bytesField(6, new byte[] {'a'})));
        assertRefused("segments", () -> decode("s", DataType.FLOAT, new long[] {0},
                w -> w.message(3, 0, (ww, x) -> ww.int64Field(1, 0))));
        assertRefused("element type 17 is not supported",
                () -> decode("e", 17, new long[] {1}, w -> w.bytesField(9, new byte[] {1})));
        assertRefused("dimension 1 is negative", () -> decode("n", DataType.FLOAT, new long[] {2, -1}, w -> { }));
        assertRefused("more than 2^63 elements", () -> decode("o", DataType.FLOAT,
                new long[] {1L << 32, 1L << 32}, w -> { }));
        assertRefused("need 24 bytes of data, raw_data holds 20", () -> decode("r", DataType.FLOAT,
                new long[] {2, 3}, w -> w.bytesField(9, new byte[20])));
        assertRefused("hold 2 elements, float_data holds 3", () -> decode("c", DataType.FLOAT, new long[] {2},
                w -> w.packedFloats(4, new float[3])));
        assertRefused("holds int64_data, but ONNX keeps FLOAT values in float_data", () -> decode("x",
                DataType.FLOAT, new long[] {1}, w -> w.int64Field(7, 1)));
        assertRefused("both float_data and raw_data", () -> decode("x", DataType.FLOAT, new long[] {1}, w -> {
            w.floatField(4, 1);
            w.bytesField(9, new byte[4]);
        }));
        assertRefused("packed run of 3 bytes", () -> decode("x", DataType.FLOAT, new long[] {1},
                w -> w.bytesField(4, new byte[3])));
    }

    @Test
    void sparseInitializersAreRefused() {
        WireWriter w = new WireWriter(0);
        w.stringField(2, "g");
        w.bytesField(15, new byte[0]);
        OnnxException e = assertThrows(OnnxException.class,
                () -> ProtoDecoder.graph(new WireReader(w.toByteArray(), "graph")));
        assertTrue(e.getMessage().contains("sparse initializers are not supported"), e.getMessage());
    }

    private static void assertRefused(String expected, org.junit.jupiter.api.function.Executable decode) {
        OnnxException e = assertThrows(OnnxException.class, decode);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
