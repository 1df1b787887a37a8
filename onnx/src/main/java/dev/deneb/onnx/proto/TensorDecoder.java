package dev.deneb.onnx.proto;

import java.util.Arrays;

/**
 * Decodes an ONNX {@code TensorProto} into Deneb's record, whose values are always raw little-endian bytes:
 * values stored in a typed field ({@code float_data}, {@code int32_data}…) are converted, and the data's size is
 * checked against the dims. Tensors Deneb cannot hold (external data, segments, strings, unknown element types)
 * are refused with a message naming the tensor. The checks run once the whole message is read, because protobuf
 * fields (the name, the type) may come in any order.
 */
final class TensorDecoder {
    private static final int EXTERNAL = 1;
    private static final byte[] NO_BYTES = {};

    private String name = "";
    private int dataType;
    private final LongList dims = new LongList();
    private byte[] raw;
    private LongList floatData;
    private LongList int32Data;
    private LongList int64Data;
    private LongList doubleData;
    private LongList uint64Data;
    private boolean strings;
    private boolean segmented;
    private boolean external;
    private String location = "location not given";

    private TensorDecoder() {}

    static TensorProto tensor(WireReader r) {
        TensorDecoder d = new TensorDecoder();
        d.read(r);
        return d.build(r);
    }

    private void read(WireReader r) {
        while (r.more()) {
            int tag = r.tag();
            switch (WireReader.field(tag)) {
                case 1 -> r.varints(tag, "dims", dims);
                case 2 -> dataType = r.int32(tag, "data_type");
                case 3 -> {
                    segmented = true;
                    r.skip(tag);
                }
                case 4 -> r.fixed32s(tag, "float_data", floatData = floatData == null ? new LongList() : floatData);
                case 5 -> r.varints(tag, "int32_data", int32Data = int32Data == null ? new LongList() : int32Data);
                case 6 -> {
                    strings = true;
                    r.skip(tag);
                }
                case 7 -> r.varints(tag, "int64_data", int64Data = int64Data == null ? new LongList() : int64Data);
                case 8 -> name = r.string(tag, "name");
                case 9 -> raw = r.bytes(tag, "raw_data");
                case 10 -> r.fixed64s(tag, "double_data",
                        doubleData = doubleData == null ? new LongList() : doubleData);
                case 11 -> r.varints(tag, "uint64_data", uint64Data = uint64Data == null ? new LongList() : uint64Data);
                case 13 -> {
                    external = true;
                    String where = r.message(tag, "external_data", TensorDecoder::externalLocation);
                    if (where != null) {
                        location = where;
                    }
                }
                case 14 -> external |= r.int64(tag, "data_location") == EXTERNAL;
                default -> r.skip(tag); // doc_string, metadata
            }
        }
    }

    /** The value of an external_data entry whose key is "location", else null. */
    private static String externalLocation(WireReader r) {
        String key = "";
        String value = "";
        while (r.more()) {
            int tag = r.tag();
            switch (WireReader.field(tag)) {
                case 1 -> key = r.string(tag, "key");
                case 2 -> value = r.string(tag, "value");
                default -> r.skip(tag);
            }
        }
        return key.equals("location") ? "location '" + value + "'" : null;
    }

    private TensorProto build(WireReader r) {
        String what = "tensor '" + name + "'";
        if (external) {
            throw r.error(what + " stores its data in an external file (" + location + "); external data is not"
                    + " supported — re-save the model with all tensors inside the file");
        }
        if (segmented) {
            throw r.error(what + " is stored in segments, which are not supported");
        }
        if (strings || dataType == DataType.STRING) {
            throw r.error(what + ": STRING tensors are not supported");
        }
        int size = DataType.size(dataType);
        if (size < 0) {
            throw r.error(what + ": element type " + dataType + " is not supported (Deneb reads FLOAT, DOUBLE, the"
                    + " integer types, BOOL, FLOAT16 and BFLOAT16)");
        }
        long[] shape = dims.toArray();
        long numel = numel(r, what, shape);
        if (numel > Long.MAX_VALUE / size) {
            throw r.error(what + ": dims " + Arrays.toString(shape) + " of " + DataType.name(dataType)
                    + " need more than 2^63 bytes");
        }
        long want = numel * size;
        if (want > Integer.MAX_VALUE - 8) {
            throw r.error(what + ": dims " + Arrays.toString(shape) + " of " + DataType.name(dataType) + " need "
                    + want + " bytes, more than a Java array holds");
        }
        LongList typed = typedField(r, what);
        byte[] data;
        if (typed == null) {
            data = raw == null ? NO_BYTES : raw;
            if (data.length != want) {
                throw r.error(what + ": dims " + Arrays.toString(shape) + " of " + DataType.name(dataType) + " need "
                        + want + " bytes of data, raw_data holds " + data.length);
            }
        } else {
            if (typed.size() != numel) {
                throw r.error(what + ": dims " + Arrays.toString(shape) + " hold " + numel + " elements, "
                        + typedName() + " holds " + typed.size());
            }
            data = narrow(typed, size); // numel values came from the input: the allocation is bounded by it
        }
        return new TensorProto(name, dataType, shape, data);
    }

    private static long numel(WireReader r, String what, long[] shape) {
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw r.error(what + ": dimension " + i + " is negative (dims " + Arrays.toString(shape) + ")");
            }
            try {
                n = Math.multiplyExact(n, shape[i]);
            } catch (ArithmeticException e) {
                throw r.error(what + ": dims " + Arrays.toString(shape) + " hold more than 2^63 elements");
            }
        }
        return n;
    }

    /**
     * The typed field that holds the values, or null when they are in raw_data (or there are none). Only the field
     * ONNX assigns to the data type may be used, and never together with raw_data.
     */
    private LongList typedField(WireReader r, String what) {
        LongList expected = switch (dataType) {
            case DataType.FLOAT -> floatData;
            case DataType.DOUBLE -> doubleData;
            case DataType.INT64 -> int64Data;
            case DataType.UINT32, DataType.UINT64 -> uint64Data;
            default -> int32Data; // INT32, INT16, INT8, UINT16, UINT8, BOOL, FLOAT16, BFLOAT16
        };
        String stray = stray(expected);
        if (stray != null) {
            throw r.error(what + " of type " + DataType.name(dataType) + " holds " + stray + ", but ONNX keeps "
                    + DataType.name(dataType) + " values in " + typedName() + " or raw_data");
        }
        if (expected != null && expected.size() > 0 && raw != null && raw.length > 0) {
            throw r.error(what + " holds values in both " + typedName() + " and raw_data");
        }
        return expected != null && expected.size() > 0 ? expected : null;
    }

    /** The name of a non-empty typed field other than {@code expected}, or null. */
    private String stray(LongList expected) {
        if (floatData != expected && floatData != null && floatData.size() > 0) {
            return "float_data";
        }
        if (doubleData != expected && doubleData != null && doubleData.size() > 0) {
            return "double_data";
        }
        if (int32Data != expected && int32Data != null && int32Data.size() > 0) {
            return "int32_data";
        }
        if (int64Data != expected && int64Data != null && int64Data.size() > 0) {
            return "int64_data";
        }
        if (uint64Data != expected && uint64Data != null && uint64Data.size() > 0) {
            return "uint64_data";
        }
        return null;
    }

    private String typedName() {
        return switch (dataType) {
            case DataType.FLOAT -> "float_data";
            case DataType.DOUBLE -> "double_data";
            case DataType.INT64 -> "int64_data";
            case DataType.UINT32, DataType.UINT64 -> "uint64_data";
            default -> "int32_data";
        };
    }

    /** The low {@code size} bytes of each value, little-endian (one element per value, as ONNX stores them). */
    private static byte[] narrow(LongList values, int size) {
        int n = values.size();
        byte[] out = new byte[n * size];
        for (int i = 0, p = 0; i < n; i++) {
            long v = values.get(i);
            for (int k = 0; k < size; k++) {
                out[p++] = (byte) (v >>> (8 * k));
            }
        }
        return out;
    }
}
