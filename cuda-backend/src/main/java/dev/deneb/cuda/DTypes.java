package dev.deneb.cuda;

import dev.deneb.tensor.DType;

/** How each dtype is named in kernel entry points and laid out on the device (bool is one byte, 0 or 1). */
final class DTypes {
    private DTypes() {}

    /** The suffix of typed kernels: {@code deneb_unary_f32}, {@code deneb_copy_i64_b8}… */
    static String suffix(DType t) {
        return switch (t) {
            case BOOL -> "b8";
            case I32 -> "i32";
            case I64 -> "i64";
            case F32 -> "f32";
            case F64 -> "f64";
        };
    }

    /** The suffix of kernels that only move bit patterns: {@code x1}, {@code x4}, {@code x8}. */
    static String sizeSuffix(DType t) {
        return "x" + t.bytes();
    }
}
