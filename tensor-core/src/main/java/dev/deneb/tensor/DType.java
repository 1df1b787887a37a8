package dev.deneb.tensor;

/**
 * Element types. Promotion follows NumPy and PyTorch: {@code BOOL < I32 < I64 < F32 < F64}, so mixing an integer
 * tensor with a float one gives the float type, and mixing two types gives the larger.
 */
public enum DType {
    BOOL("bool", 1),
    I32("i32", 4),
    I64("i64", 8),
    F32("f32", 4),
    F64("f64", 8);

    private final String shortName;
    private final int bytes;

    DType(String shortName, int bytes) {
        this.shortName = shortName;
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    public boolean isFloating() {
        return this == F32 || this == F64;
    }

    /** True for I32 and I64 (bool is its own kind). */
    public boolean isInteger() {
        return this == I32 || this == I64;
    }

    /** The type both operands of a binary op are converted to. */
    public static DType promote(DType a, DType b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    /** The type a floating-point function (exp, sqrt, true division…) returns for this input type. */
    public DType toFloating() {
        return isFloating() ? this : F32;
    }

    @Override
    public String toString() {
        return shortName;
    }
}
