// Shared definitions for Deneb's CUDA kernels.
//
// Every kernel reads its inputs through a View (shape, strides and offset in elements, as a Tensor has them), so
// transposed, sliced and broadcast (stride 0) inputs need no copy first. Outputs are contiguous unless stated.
// Element types: b8 (bool, one byte 0/1), i32, i64, f32, f64. Arithmetic follows the Java reference backend
// (dev.deneb.tensor.cpu.ReferenceBackend): floating-point work in double precision, rounded once to the result type;
// integer work in 64-bit two's complement.
#pragma once

#define DENEB_MAX_DIMS 8

// Must match dev.deneb.cuda.KernelView (4 + 4 + 8*4 + 8*4 = 72 bytes, 4-byte aligned).
struct View {
    int rank;
    int offset;
    int shape[DENEB_MAX_DIMS];
    int stride[DENEB_MAX_DIMS];
};

typedef unsigned char b8;

// Storage position of the i-th element (row-major order) of a view. Element counts fit in 31 bits (storages are
// indexed by Java ints), so the coordinates use 32-bit division, which is far cheaper than 64-bit on GPUs.
__device__ __forceinline__ long long viewAt(const View& v, long long index) {
    unsigned int i = (unsigned int) index;
    long long off = v.offset;
#pragma unroll 1
    for (int d = v.rank - 1; d >= 0; --d) {
        unsigned int s = (unsigned int) v.shape[d];
        unsigned int c = i % s;
        i /= s;
        off += (long long) c * v.stride[d];
    }
    return off;
}

#define GRID_STRIDE_LOOP(i, n) \
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < (n); \
         i += (long long) blockDim.x * gridDim.x)

// ---- conversions with Java's rules ----------------------------------------------------------------------------

// Java's (long) d: NaN -> 0, saturating at the ends of the range.
__device__ __forceinline__ long long javaD2L(double d) {
    if (d != d) return 0;
    if (d >= 9.223372036854775807e18) return 0x7fffffffffffffffLL;
    if (d <= -9.223372036854775808e18) return (long long) 0x8000000000000000ULL;
    return (long long) d;
}

// Java's (int) d: NaN -> 0, saturating at the ends of the int range (as (long) d does for long).
__device__ __forceinline__ int javaD2I(double d) {
    if (d != d) return 0;
    if (d >= 2147483647.0) return 2147483647;
    if (d <= -2147483648.0) return (int) 0x80000000U;
    return (int) d;
}

// Loading any element type as the reference reads it: floats as double, the rest as long.
template <typename T> __device__ __forceinline__ double asDouble(T v) { return (double) v; }
template <typename T> __device__ __forceinline__ long long asLong(T v) { return (long long) v; }
template <> __device__ __forceinline__ long long asLong<float>(float v) { return javaD2L((double) v); }
template <> __device__ __forceinline__ long long asLong<double>(double v) { return javaD2L(v); }

// Storing a double the way Elements.writeDoubles does.
template <typename T> __device__ __forceinline__ T fromDouble(double v);
template <> __device__ __forceinline__ float fromDouble<float>(double v) { return (float) v; }
template <> __device__ __forceinline__ double fromDouble<double>(double v) { return v; }
template <> __device__ __forceinline__ int fromDouble<int>(double v) { return javaD2I(v); }
template <> __device__ __forceinline__ long long fromDouble<long long>(double v) { return javaD2L(v); }
template <> __device__ __forceinline__ b8 fromDouble<b8>(double v) { return v != 0 ? 1 : 0; }

// Storing a long the way Elements.writeLongs does.
template <typename T> __device__ __forceinline__ T fromLong(long long v);
template <> __device__ __forceinline__ float fromLong<float>(long long v) { return (float) v; }
template <> __device__ __forceinline__ double fromLong<double>(long long v) { return (double) v; }
template <> __device__ __forceinline__ int fromLong<int>(long long v) { return (int) (unsigned int) (unsigned long long) v; }
template <> __device__ __forceinline__ long long fromLong<long long>(long long v) { return v; }
template <> __device__ __forceinline__ b8 fromLong<b8>(long long v) { return v != 0 ? 1 : 0; }

template <typename T> struct IsFloat { static const bool value = false; };
template <> struct IsFloat<float> { static const bool value = true; };
template <> struct IsFloat<double> { static const bool value = true; };

// Converts one element between types exactly as ReferenceBackend.copy does.
template <typename S, typename D> __device__ __forceinline__ D convert(S v) {
    if (IsFloat<S>::value) return fromDouble<D>(asDouble<S>(v));
    return fromLong<D>(asLong<S>(v));
}

// ---- Java's Math.max / Math.min on doubles: NaN wins, +0.0 > -0.0 --------------------------------------------------

__device__ __forceinline__ double javaMax(double a, double b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0.0 && b == 0.0) return signbit(a) ? b : a;
    return a >= b ? a : b;
}

__device__ __forceinline__ double javaMin(double a, double b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0.0 && b == 0.0) return signbit(a) ? a : b;
    return a <= b ? a : b;
}

// ---- op codes ---------------------------------------------------------------------------------------------------

// The default of every switch over an op code (elementwise.cu, reduce.cu). An op code no case knows means the host
// and the kernels disagree (dev.deneb.cuda.OpCodes against the cases here): the kernel stops with a trap, so the
// launch fails with an error the host reports, instead of writing a made-up value. Each case names its op as
// `case 5: /* EXP */`, and OpCodesSourceTest checks the names and codes against OpCodes for every enum constant.
#define DENEB_UNKNOWN_OP() do { __trap(); __builtin_unreachable(); } while (0)
