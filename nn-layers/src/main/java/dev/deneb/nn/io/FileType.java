package dev.deneb.nn.io;

import dev.deneb.tensor.DType;

/** The element types of the safetensors format that Deneb knows, with their sizes and the Deneb type they load as. */
enum FileType {
    F64(8, DType.F64), F32(4, DType.F32), F16(2, DType.F32), BF16(2, DType.F32),
    I64(8, DType.I64), U32(4, DType.I64), I32(4, DType.I32), I16(2, DType.I32), U16(2, DType.I32),
    I8(1, DType.I32), U8(1, DType.I32), BOOL(1, DType.BOOL);

    final int size;
    final DType loadsAs;

    FileType(int size, DType loadsAs) {
        this.size = size;
        this.loadsAs = loadsAs;
    }

    /** The type Deneb writes for a tensor of {@code t}. */
    static FileType of(DType t) {
        return switch (t) {
            case F32 -> F32;
            case F64 -> F64;
            case I32 -> I32;
            case I64 -> I64;
            case BOOL -> BOOL;
        };
    }

    /** The type named {@code name} in a header, or null when Deneb does not know it. */
    static FileType parse(String name) {
        for (FileType f : values()) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }
}
