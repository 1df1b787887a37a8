package dev.deneb.tensor.cpu;

import dev.deneb.tensor.Backend;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Storage;

/** Storage in one Java array: {@code float[]}, {@code double[]}, {@code int[]}, {@code long[]} or {@code boolean[]}. */
public final class CpuStorage extends Storage {
    private final Backend backend;
    private final DType dtype;
    private final Object array;
    private final int size;

    /** Wraps {@code array} without copying. */
    CpuStorage(Backend backend, Object array) {
        this.backend = backend;
        this.array = array;
        this.dtype = dtypeOf(array);
        this.size = java.lang.reflect.Array.getLength(array);
    }

    CpuStorage(Backend backend, DType dtype, int size) {
        this(backend, newArray(dtype, size));
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    /** The backing array itself (not a copy). */
    public Object array() {
        return array;
    }

    public float[] floats() {
        return (float[]) array;
    }

    public double[] doubles() {
        return (double[]) array;
    }

    static Object newArray(DType dtype, int size) {
        return switch (dtype) {
            case F32 -> new float[size];
            case F64 -> new double[size];
            case I32 -> new int[size];
            case I64 -> new long[size];
            case BOOL -> new boolean[size];
        };
    }

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
}
