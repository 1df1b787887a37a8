// Row reductions. The host permutes the input so that the reduced axes come last; element (row r, position i) is
// then the (r * len + i)-th element of the view in row-major order. One block per row; blockDim.x is a power of two
// between 32 and 256. Floating-point rows accumulate in double, integer rows in 64-bit integers.
#include "common.cuh"

#define BLOCK 256

// Op codes as in OpCodes.reduce; each case names its ReduceOp constant (checked by OpCodesSourceTest).
__device__ __forceinline__ double combineD(int op, double acc, double x) {
    switch (op) {
        case 0: /* SUM */ return acc + x;
        case 1: /* PROD */ return acc * x;
        case 2: /* MAX */ return javaMax(acc, x);
        case 3: /* MIN */ return javaMin(acc, x);
        default: DENEB_UNKNOWN_OP();
    }
}

__device__ __forceinline__ long long combineL(int op, long long acc, long long x) {
    switch (op) {
        case 0: /* SUM */ return (long long) ((unsigned long long) acc + (unsigned long long) x);
        case 1: /* PROD */ return (long long) ((unsigned long long) acc * (unsigned long long) x);
        case 2: /* MAX */ return acc > x ? acc : x;
        case 3: /* MIN */ return acc < x ? acc : x;
        default: DENEB_UNKNOWN_OP();
    }
}

__device__ __forceinline__ double identityD(int op) {
    switch (op) {
        case 0: /* SUM */ return 0.0;
        case 1: /* PROD */ return 1.0;
        case 2: /* MAX */ return -__longlong_as_double(0x7ff0000000000000LL);
        case 3: /* MIN */ return __longlong_as_double(0x7ff0000000000000LL);
        default: DENEB_UNKNOWN_OP();
    }
}

__device__ __forceinline__ long long identityL(int op) {
    switch (op) {
        case 0: /* SUM */ return 0;
        case 1: /* PROD */ return 1;
        case 2: /* MAX */ return (long long) 0x8000000000000000ULL;
        case 3: /* MIN */ return 0x7fffffffffffffffLL;
        default: DENEB_UNKNOWN_OP();
    }
}

// Tree reduction of one value per thread in shared memory; thread 0 gets the result.
template <typename A, typename F> __device__ A blockReduce(A* shared, A v, F combine) {
    shared[threadIdx.x] = v;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) shared[threadIdx.x] = combine(shared[threadIdx.x], shared[threadIdx.x + s]);
        __syncthreads();
    }
    A r = shared[0];
    __syncthreads();
    return r;
}

template <typename T, typename O>
__device__ void reduceRowsD(int op, View x, const T* xp, O* out, long long rows, int len) {
    __shared__ double shared[BLOCK];
    for (long long r = blockIdx.x; r < rows; r += gridDim.x) {
        double acc = identityD(op);
        for (int i = threadIdx.x; i < len; i += blockDim.x) acc = combineD(op, acc, (double) xp[viewAt(x, r * len + i)]);
        double total = blockReduce(shared, acc, [op](double a, double b) { return combineD(op, a, b); });
        if (threadIdx.x == 0) out[r] = (O) total;
    }
}

template <typename T, typename O>
__device__ void reduceRowsL(int op, View x, const T* xp, O* out, long long rows, int len) {
    __shared__ long long shared[BLOCK];
    for (long long r = blockIdx.x; r < rows; r += gridDim.x) {
        long long acc = identityL(op);
        for (int i = threadIdx.x; i < len; i += blockDim.x) acc = combineL(op, acc, (long long) xp[viewAt(x, r * len + i)]);
        long long total = blockReduce(shared, acc, [op](long long a, long long b) { return combineL(op, a, b); });
        if (threadIdx.x == 0) out[r] = fromLong<O>(total);
    }
}

// Float inputs keep their type; integer inputs give i64 for SUM/PROD (deneb_reduce_i32_i64) and keep i32 for MAX/MIN.
extern "C" __global__ void deneb_reduce_f32(int op, View x, const float* xp, float* out, long long rows, int len) {
    reduceRowsD<float, float>(op, x, xp, out, rows, len);
}
extern "C" __global__ void deneb_reduce_f64(int op, View x, const double* xp, double* out, long long rows, int len) {
    reduceRowsD<double, double>(op, x, xp, out, rows, len);
}
extern "C" __global__ void deneb_reduce_i32(int op, View x, const int* xp, int* out, long long rows, int len) {
    reduceRowsL<int, int>(op, x, xp, out, rows, len);
}
extern "C" __global__ void deneb_reduce_i32_i64(int op, View x, const int* xp, long long* out, long long rows, int len) {
    reduceRowsL<int, long long>(op, x, xp, out, rows, len);
}
extern "C" __global__ void deneb_reduce_i64(int op, View x, const long long* xp, long long* out, long long rows, int len) {
    reduceRowsL<long long, long long>(op, x, xp, out, rows, len);
}

// ---- max/min with the index of the first extreme (NaN counts as the extreme; the first NaN wins) ------------------

// True when candidate (value c at index ci) beats the current best (b at bi).
template <typename T> __device__ __forceinline__ bool beats(T c, int ci, T b, int bi, bool isMax) {
    if (bi < 0) return ci >= 0;
    if (ci < 0) return false;
    bool cn = c != c, bn = b != b;
    if (cn || bn) return cn && (!bn || ci < bi);
    if (c == b) return ci < bi;
    return isMax ? c > b : c < b;
}

template <typename T> __device__ void argReduceRows(int isMax, View x, const T* xp, T* values, long long* indices,
                                                   long long rows, int len) {
    __shared__ T sv[BLOCK];
    __shared__ int si[BLOCK];
    for (long long r = blockIdx.x; r < rows; r += gridDim.x) {
        T best = 0;
        int bestIdx = -1;
        for (int i = threadIdx.x; i < len; i += blockDim.x) {
            T v = xp[viewAt(x, r * len + i)];
            if (beats<T>(v, i, best, bestIdx, isMax)) { best = v; bestIdx = i; }
        }
        sv[threadIdx.x] = best;
        si[threadIdx.x] = bestIdx;
        __syncthreads();
        for (int s = blockDim.x / 2; s > 0; s >>= 1) {
            if (threadIdx.x < s && beats<T>(sv[threadIdx.x + s], si[threadIdx.x + s], sv[threadIdx.x], si[threadIdx.x], isMax)) {
                sv[threadIdx.x] = sv[threadIdx.x + s];
                si[threadIdx.x] = si[threadIdx.x + s];
            }
            __syncthreads();
        }
        if (threadIdx.x == 0) { values[r] = sv[0]; indices[r] = si[0]; }
        __syncthreads();
    }
}

#define DEFINE_ARG_REDUCE(SUF, T) \
    extern "C" __global__ void deneb_argreduce_##SUF(int isMax, View x, const T* xp, T* values, long long* indices, \
                                                     long long rows, int len) { \
        argReduceRows<T>(isMax, x, xp, values, indices, rows, len); }
DEFINE_ARG_REDUCE(i32, int)
DEFINE_ARG_REDUCE(i64, long long)
DEFINE_ARG_REDUCE(f32, float)
DEFINE_ARG_REDUCE(f64, double)

// ---- softmax and log-softmax along the last axis of the row view; output rows are contiguous --------------------------

template <typename T> __device__ void softmaxRows(View x, const T* xp, T* out, long long rows, int len, int logMode) {
    __shared__ double shared[BLOCK];
    for (long long r = blockIdx.x; r < rows; r += gridDim.x) {
        double m = -__longlong_as_double(0x7ff0000000000000LL);
        for (int i = threadIdx.x; i < len; i += blockDim.x) m = fmax(m, (double) xp[viewAt(x, r * len + i)]);
        // Math.max semantics: one NaN makes the row NaN.
        int hasNan = 0;
        for (int i = threadIdx.x; i < len; i += blockDim.x) { double v = xp[viewAt(x, r * len + i)]; hasNan |= v != v; }
        m = blockReduce(shared, hasNan ? __longlong_as_double(0x7ff8000000000000LL) : m,
                        [](double a, double b) { return javaMax(a, b); });
        double s = 0;
        for (int i = threadIdx.x; i < len; i += blockDim.x) s += exp((double) xp[viewAt(x, r * len + i)] - m);
        s = blockReduce(shared, s, [](double a, double b) { return a + b; });
        double logSum = log(s);
        for (int i = threadIdx.x; i < len; i += blockDim.x) {
            double v = (double) xp[viewAt(x, r * len + i)];
            out[r * len + i] = (T) (logMode ? v - m - logSum : exp(v - m) / s);
        }
    }
}

extern "C" __global__ void deneb_softmax_f32(View x, const float* xp, float* out, long long rows, int len, int logMode) {
    softmaxRows<float>(x, xp, out, rows, len, logMode);
}
extern "C" __global__ void deneb_softmax_f64(View x, const double* xp, double* out, long long rows, int len, int logMode) {
    softmaxRows<double>(x, xp, out, rows, len, logMode);
}
