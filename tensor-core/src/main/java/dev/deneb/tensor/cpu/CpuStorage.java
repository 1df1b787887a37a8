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
    /** GEMM packs of operands read from this storage ({@link SgemmPackCache}); null until one is made. */
    private volatile SgemmPackCache.Pack[] gemmPacks;

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

    /** The backing array itself (not a copy); as with {@link #floats()}, writes through it must bump the version. */
    public Object array() {
        return array;
    }

    /** The backing array itself. A write through it must be followed by {@link #bumpVersion()}: packed copies of
     *  this storage's values ({@link SgemmPackCache}) are trusted for as long as the version is unchanged. */
    public float[] floats() {
        return (float[]) array;
    }

    public double[] doubles() {
        return (double[]) array;
    }

    SgemmPackCache.Pack[] gemmPacks() {
        return gemmPacks;
    }

    void gemmPacks(SgemmPackCache.Pack[] packs) {
        gemmPacks = packs;
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
