package dev.deneb.cuda;

import dev.deneb.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Java arrays to and from native staging memory in the device's layout (bool as one byte 0/1). */
final class HostTransfer {
    private HostTransfer() {}

    static DType dtypeOf(Object array) {
        return switch (array) {
            case float[] a -> DType.F32;
            case double[] a -> DType.F64;
            case int[] a -> DType.I32;
            case long[] a -> DType.I64;
            case boolean[] a -> DType.BOOL;
            case null -> throw new IllegalArgumentException("upload: array is null");
            default -> throw new IllegalArgumentException("upload: expected float[], double[], int[], long[] or"
                    + " boolean[], got " + array.getClass().getSimpleName());
        };
    }

    static int length(Object array) {
        return java.lang.reflect.Array.getLength(array);
    }

    /** Copies the array into {@code seg} (at least length × element size bytes). */
    static void write(Object array, MemorySegment seg) {
        switch (array) {
            case float[] a -> MemorySegment.copy(a, 0, seg, ValueLayout.JAVA_FLOAT, 0, a.length);
            case double[] a -> MemorySegment.copy(a, 0, seg, ValueLayout.JAVA_DOUBLE, 0, a.length);
            case int[] a -> MemorySegment.copy(a, 0, seg, ValueLayout.JAVA_INT, 0, a.length);
            case long[] a -> MemorySegment.copy(a, 0, seg, ValueLayout.JAVA_LONG, 0, a.length);
            case boolean[] a -> {
                for (int i = 0; i < a.length; i++) {
                    seg.set(ValueLayout.JAVA_BYTE, i, a[i] ? (byte) 1 : (byte) 0);
                }
            }
            default -> throw new IllegalArgumentException("unsupported array " + array.getClass());
        }
    }

    /** A new Java array of {@code dtype} with {@code n} elements read from {@code seg}. */
    static Object read(DType dtype, MemorySegment seg, int n) {
        return switch (dtype) {
            case F32 -> seg.asSlice(0, 4L * n).toArray(ValueLayout.JAVA_FLOAT);
            case F64 -> seg.asSlice(0, 8L * n).toArray(ValueLayout.JAVA_DOUBLE);
            case I32 -> seg.asSlice(0, 4L * n).toArray(ValueLayout.JAVA_INT);
            case I64 -> seg.asSlice(0, 8L * n).toArray(ValueLayout.JAVA_LONG);
            case BOOL -> {
                boolean[] b = new boolean[n];
                for (int i = 0; i < n; i++) {
                    b[i] = seg.get(ValueLayout.JAVA_BYTE, i) != 0;
                }
                yield b;
            }
        };
    }
}
