// Index-based kernels: gather (also used for indexSelect through a broadcast index view) and scatter.
// Indices are i64 and were checked to be in range on the host. Values are moved as bit patterns, so the
// gather and scatter-write kernels exist once per element size (x1, x4, x8).
#include "common.cuh"

// For the i-th element of the index view (row-major), the storage positions of: the index value itself, and the
// element of `target` it addresses along `axis` (the other coordinates are the index element's own).
__device__ __forceinline__ void indexedPositions(const View& idx, const long long* ip, const View& target, int axis,
                                                 long long i, long long* idxPos, long long* targetPos) {
    unsigned int rest = (unsigned int) i;
    long long ipos = idx.offset;
    long long tpos = target.offset;
#pragma unroll 1
    for (int d = idx.rank - 1; d >= 0; --d) {
        unsigned int s = (unsigned int) idx.shape[d];
        unsigned int c = rest % s;
        rest /= s;
        ipos += (long long) c * idx.stride[d];
        if (d != axis) tpos += (long long) c * target.stride[d];
    }
    tpos += ip[ipos] * (long long) target.stride[axis];
    *idxPos = ipos;
    *targetPos = tpos;
}

// out[i] = x[...index[i]...]: out has the index view's shape and is contiguous.
#define DEFINE_GATHER(SUF, T) \
    extern "C" __global__ void deneb_gather_##SUF(View idx, const long long* ip, View x, const T* xp, int axis, \
                                                  T* out, long long n) { \
        GRID_STRIDE_LOOP(i, n) { \
            long long ipos, xpos; \
            indexedPositions(idx, ip, x, axis, i, &ipos, &xpos); \
            out[i] = xp[xpos]; } }
DEFINE_GATHER(x1, unsigned char)
DEFINE_GATHER(x4, unsigned int)
DEFINE_GATHER(x8, unsigned long long)

// Position in the src view of the i-th index element (src has the index's shape, any strides).
__device__ __forceinline__ long long srcPosition(const View& src, long long i) { return viewAt(src, i); }

// Scatter without accumulation, deterministic: the last index element (in row-major order) that targets a position
// wins, as in the reference. Pass 1 records the winner of every target position (winner[] starts at -1).
extern "C" __global__ void deneb_scatter_winner(View idx, const long long* ip, View out, int axis, int* winner,
                                                long long n) {
    GRID_STRIDE_LOOP(i, n) {
        long long ipos, tpos;
        indexedPositions(idx, ip, out, axis, i, &ipos, &tpos);
        atomicMax(&winner[tpos], (int) i);
    }
}

// Pass 2: each winner writes its value.
#define DEFINE_SCATTER_WRITE(SUF, T) \
    extern "C" __global__ void deneb_scatter_write_##SUF(View idx, const long long* ip, View src, const T* sp, \
                                                         View out, int axis, T* op, const int* winner, long long n) { \
        GRID_STRIDE_LOOP(i, n) { \
            long long ipos, tpos; \
            indexedPositions(idx, ip, out, axis, i, &ipos, &tpos); \
            if (winner[tpos] == (int) i) op[tpos] = sp[srcPosition(src, i)]; } }
DEFINE_SCATTER_WRITE(x1, unsigned char)
DEFINE_SCATTER_WRITE(x4, unsigned int)
DEFINE_SCATTER_WRITE(x8, unsigned long long)

// Scatter-add into an accumulator of the reference's precision: double for floating types, 64-bit integers for the
// rest (the host converts in and out). Float sums in double are exact for values of similar magnitude, so the
// result does not depend on the order the atomics land in; f64 sums may differ from the reference in the last bits.
extern "C" __global__ void deneb_scatter_add_f64(View idx, const long long* ip, View src, const double* sp, View out,
                                                 int axis, double* acc, long long n) {
    GRID_STRIDE_LOOP(i, n) {
        long long ipos, tpos;
        indexedPositions(idx, ip, out, axis, i, &ipos, &tpos);
        atomicAdd(&acc[tpos], sp[srcPosition(src, i)]);
    }
}

extern "C" __global__ void deneb_scatter_add_i64(View idx, const long long* ip, View src, const long long* sp,
                                                 View out, int axis, long long* acc, long long n) {
    GRID_STRIDE_LOOP(i, n) {
        long long ipos, tpos;
        indexedPositions(idx, ip, out, axis, i, &ipos, &tpos);
        atomicAdd((unsigned long long*) &acc[tpos], (unsigned long long) sp[srcPosition(src, i)]);
    }
}
