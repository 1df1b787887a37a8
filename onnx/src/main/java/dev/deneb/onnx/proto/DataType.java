package dev.deneb.onnx.proto;

/** ONNX's {@code TensorProto.DataType} numbers Deneb uses, and element sizes. */
public final class DataType {
    public static final int UNDEFINED = 0;
    public static final int FLOAT = 1;
    public static final int UINT8 = 2;
    public static final int INT8 = 3;
    public static final int UINT16 = 4;
    public static final int INT16 = 5;
    public static final int INT32 = 6;
    public static final int INT64 = 7;
    public static final int STRING = 8;
    public static final int BOOL = 9;
    public static final int FLOAT16 = 10;
    public static final int DOUBLE = 11;
    public static final int UINT32 = 12;
    public static final int UINT64 = 13;
    public static final int BFLOAT16 = 16;

    private DataType() {}

    /** Bytes per element, or -1 for types without a fixed size (strings) or unknown to Deneb. */
    public static int size(int dataType) {
        return switch (dataType) {
            case FLOAT, INT32, UINT32 -> 4;
            case INT64, DOUBLE, UINT64 -> 8;
            case UINT8, INT8, BOOL -> 1;
            case UINT16, INT16, FLOAT16, BFLOAT16 -> 2;
            default -> -1;
        };
    }

    /** A readable name, e.g. {@code FLOAT} or {@code INT64}, for messages. */
    public static String name(int dataType) {
        return switch (dataType) {
            case FLOAT -> "FLOAT";
            case UINT8 -> "UINT8";
            case INT8 -> "INT8";
            case UINT16 -> "UINT16";
            case INT16 -> "INT16";
            case INT32 -> "INT32";
            case INT64 -> "INT64";
            case STRING -> "STRING";
            case BOOL -> "BOOL";
            case FLOAT16 -> "FLOAT16";
            case DOUBLE -> "DOUBLE";
            case UINT32 -> "UINT32";
            case UINT64 -> "UINT64";
            case BFLOAT16 -> "BFLOAT16";
            default -> "type " + dataType;
        };
    }
}
