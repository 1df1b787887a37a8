// Elementwise kernels: fill, copy with conversion, unary and binary ops, comparisons and where.
// Op codes are listed in dev.deneb.cuda.OpCodes and must stay in step with the switches below.
#include "common.cuh"

// ---- fill --------------------------------------------------------------------------------------------------------

template <typename T> __device__ void fillView(View dst, T* p, T value, long long n) {
    GRID_STRIDE_LOOP(i, n) { p[viewAt(dst, i)] = value; }
}

#define DEFINE_FILL(SUF, T) \
    extern "C" __global__ void deneb_fill_##SUF(View dst, T* p, double value, long long n) { \
        fillView<T>(dst, p, fromDouble<T>(value), n); }
DEFINE_FILL(b8, b8)
DEFINE_FILL(i32, int)
DEFINE_FILL(i64, long long)
DEFINE_FILL(f32, float)
DEFINE_FILL(f64, double)

// ---- copy: any view to any view, converting the element type --------------------------------------------------------

template <typename S, typename D> __device__ void copyView(View src, const S* s, View dst, D* d, long long n) {
    GRID_STRIDE_LOOP(i, n) { d[viewAt(dst, i)] = convert<S, D>(s[viewAt(src, i)]); }
}

#define DEFINE_COPY(SS, S, DS, D) \
    extern "C" __global__ void deneb_copy_##SS##_##DS(View src, const S* s, View dst, D* d, long long n) { \
        copyView<S, D>(src, s, dst, d, n); }
#define DEFINE_COPY_FROM(SS, S) \
    DEFINE_COPY(SS, S, b8, b8) DEFINE_COPY(SS, S, i32, int) DEFINE_COPY(SS, S, i64, long long) \
    DEFINE_COPY(SS, S, f32, float) DEFINE_COPY(SS, S, f64, double)
DEFINE_COPY_FROM(b8, b8)
DEFINE_COPY_FROM(i32, int)
DEFINE_COPY_FROM(i64, long long)
DEFINE_COPY_FROM(f32, float)
DEFINE_COPY_FROM(f64, double)

// ---- unary ---------------------------------------------------------------------------------------------------------

__device__ __forceinline__ double sigmoidD(double x) {
    if (x >= 0) return 1.0 / (1.0 + exp(-x));
    double e = exp(x);
    return e / (1.0 + e);
}

__device__ __noinline__ double unaryD(int op, double x) {
    switch (op) {
        case 0: return -x;                                             // NEG
        case 1: return fabs(x);                                        // ABS
        case 2: return x > 0 ? 1.0 : x < 0 ? -1.0 : x;                 // SIGN (keeps ±0 and NaN)
        case 3: return x > 0 || x != x ? x : 0.0;                      // RELU
        case 4: return x > 0 ? 1.0 : 0.0;                              // STEP
        case 5: return exp(x);                                         // EXP
        case 6: return log(x);                                         // LOG
        case 7: return log1p(x);                                       // LOG1P
        case 8: return sqrt(x);                                        // SQRT
        case 9: return 1.0 / sqrt(x);                                  // RSQRT
        case 10: return sin(x);                                        // SIN
        case 11: return cos(x);                                        // COS
        case 12: return tanh(x);                                       // TANH
        case 13: return sigmoidD(x);                                   // SIGMOID
        case 14: return erf(x);                                        // ERF
        case 15: return 0.5 * x * (1.0 + erf(x / sqrt(2.0)));          // GELU (exact)
        case 16: return x * sigmoidD(x);                               // SILU
        case 17: return x > 20 ? x : log1p(exp(x));                    // SOFTPLUS
        case 18: return 1.0 / x;                                       // RECIPROCAL
        default: return __longlong_as_double(0x7ff8dead00000000LL);   // unknown op: NaN
    }
}

__device__ long long unaryL(int op, long long x) {
    unsigned long long u = (unsigned long long) x;
    switch (op) {
        case 0: return (long long) (0ULL - u);                         // NEG (wraps like Java)
        case 1: return x < 0 ? (long long) (0ULL - u) : x;             // ABS (Long.MIN_VALUE stays)
        case 2: return x > 0 ? 1 : x < 0 ? -1 : 0;                     // SIGN
        case 3: return x > 0 ? x : 0;                                  // RELU
        case 4: return x > 0 ? 1 : 0;                                  // STEP
        default: return 0;
    }
}

#define DEFINE_UNARY_FLOAT(SUF, T) \
    extern "C" __global__ void deneb_unary_##SUF(int op, View x, const T* xp, T* out, long long n) { \
        GRID_STRIDE_LOOP(i, n) { out[i] = (T) unaryD(op, (double) xp[viewAt(x, i)]); } }
#define DEFINE_UNARY_INT(SUF, T) \
    extern "C" __global__ void deneb_unary_##SUF(int op, View x, const T* xp, T* out, long long n) { \
        GRID_STRIDE_LOOP(i, n) { out[i] = fromLong<T>(unaryL(op, (long long) xp[viewAt(x, i)])); } }
DEFINE_UNARY_FLOAT(f32, float)
DEFINE_UNARY_FLOAT(f64, double)
DEFINE_UNARY_INT(i32, int)
DEFINE_UNARY_INT(i64, long long)

// ---- binary --------------------------------------------------------------------------------------------------------

// C99 pow, with Java-reference exceptions: 1^y = 1 and (-1)^±inf = 1 (CUDA's pow already gives these).
__device__ __forceinline__ double powD(double a, double b) {
    if (a == 1.0 || (a == -1.0 && isinf(b))) return 1.0;
    return pow(a, b);
}

__device__ __noinline__ double binaryD(int op, double a, double b) {
    switch (op) {
        case 0: return a + b;            // ADD
        case 1: return a - b;            // SUB
        case 2: return a * b;            // MUL
        case 3: return a / b;            // DIV
        case 4: return powD(a, b);       // POW
        case 5: return javaMax(a, b);    // MAXIMUM
        case 6: return javaMin(a, b);    // MINIMUM
        default: return __longlong_as_double(0x7ff8dead00000000LL);
    }
}

// Integer pow by squaring; the exponent was checked to be >= 0 on the host. Wraps like Java's long arithmetic.
__device__ __forceinline__ long long powL(long long a, long long b) {
    unsigned long long r = 1, base = (unsigned long long) a;
    unsigned long long e = (unsigned long long) b;
    while (e) {
        if (e & 1) r *= base;
        base *= base;
        e >>= 1;
    }
    return (long long) r;
}

__device__ long long binaryL(int op, long long a, long long b) {
    unsigned long long ua = (unsigned long long) a, ub = (unsigned long long) b;
    switch (op) {
        case 0: return (long long) (ua + ub);
        case 1: return (long long) (ua - ub);
        case 2: return (long long) (ua * ub);
        case 4: return powL(a, b);
        case 5: return a > b ? a : b;
        case 6: return a < b ? a : b;
        default: return 0;
    }
}

// f32 add/sub/mul/div are correctly rounded in single precision, which equals computing in double and rounding.
__device__ __forceinline__ float binaryF(int op, float a, float b) {
    switch (op) {
        case 0: return a + b;
        case 1: return a - b;
        case 2: return a * b;
        case 3: return a / b;
        default: return (float) binaryD(op, (double) a, (double) b);
    }
}

extern "C" __global__ void deneb_binary_f32(int op, View a, const float* ap, View b, const float* bp, float* out,
                                            long long n) {
    GRID_STRIDE_LOOP(i, n) { out[i] = binaryF(op, ap[viewAt(a, i)], bp[viewAt(b, i)]); }
}
extern "C" __global__ void deneb_binary_f64(int op, View a, const double* ap, View b, const double* bp, double* out,
                                            long long n) {
    GRID_STRIDE_LOOP(i, n) { out[i] = binaryD(op, ap[viewAt(a, i)], bp[viewAt(b, i)]); }
}
#define DEFINE_BINARY_INT(SUF, T) \
    extern "C" __global__ void deneb_binary_##SUF(int op, View a, const T* ap, View b, const T* bp, T* out, \
                                                  long long n) { \
        GRID_STRIDE_LOOP(i, n) { \
            out[i] = fromLong<T>(binaryL(op, (long long) ap[viewAt(a, i)], (long long) bp[viewAt(b, i)])); } }
DEFINE_BINARY_INT(i32, int)
DEFINE_BINARY_INT(i64, long long)

// ---- comparisons: bool results --------------------------------------------------------------------------------------

template <typename T> __device__ __forceinline__ b8 compare(int op, T a, T b) {
    switch (op) {
        case 0: return a == b;   // EQ
        case 1: return a != b;   // NE
        case 2: return a < b;    // LT
        case 3: return a <= b;   // LE
        case 4: return a > b;    // GT
        case 5: return a >= b;   // GE
        default: return 0;
    }
}

#define DEFINE_COMPARE(SUF, T) \
    extern "C" __global__ void deneb_compare_##SUF(int op, View a, const T* ap, View b, const T* bp, b8* out, \
                                                   long long n) { \
        GRID_STRIDE_LOOP(i, n) { out[i] = compare<T>(op, ap[viewAt(a, i)], bp[viewAt(b, i)]); } }
DEFINE_COMPARE(i32, int)
DEFINE_COMPARE(i64, long long)
DEFINE_COMPARE(f32, float)
DEFINE_COMPARE(f64, double)

// ---- where: selects bit patterns, so one kernel per element size ---------------------------------------------------

#define DEFINE_WHERE(SUF, T) \
    extern "C" __global__ void deneb_where_##SUF(View c, const b8* cp, View a, const T* ap, View b, const T* bp, \
                                                 T* out, long long n) { \
        GRID_STRIDE_LOOP(i, n) { out[i] = cp[viewAt(c, i)] ? ap[viewAt(a, i)] : bp[viewAt(b, i)]; } }
DEFINE_WHERE(x1, unsigned char)
DEFINE_WHERE(x4, unsigned int)
DEFINE_WHERE(x8, unsigned long long)
