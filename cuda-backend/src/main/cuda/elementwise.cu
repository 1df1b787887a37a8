// Elementwise kernels: fill, copy with conversion, unary and binary ops, comparisons and where.
// Op codes are listed in dev.deneb.cuda.OpCodes and must stay in step with the switches below: each case carries its
// enum constant's name (`case 5: /* EXP */`), and OpCodesSourceTest checks both against OpCodes without a GPU.
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
        case 0: /* NEG */ return -x;
        case 1: /* ABS */ return fabs(x);
        case 2: /* SIGN */ return x > 0 ? 1.0 : x < 0 ? -1.0 : x;          // keeps ±0 and NaN
        case 3: /* RELU */ return x > 0 || x != x ? x : 0.0;
        case 4: /* STEP */ return x > 0 ? 1.0 : 0.0;
        case 5: /* EXP */ return exp(x);
        case 6: /* LOG */ return log(x);
        case 7: /* LOG1P */ return log1p(x);
        case 8: /* SQRT */ return sqrt(x);
        case 9: /* RSQRT */ return 1.0 / sqrt(x);
        case 10: /* SIN */ return sin(x);
        case 11: /* COS */ return cos(x);
        case 12: /* TANH */ return tanh(x);
        case 13: /* SIGMOID */ return sigmoidD(x);
        case 14: /* ERF */ return erf(x);
        case 15: /* GELU */ return 0.5 * x * (1.0 + erf(x / sqrt(2.0)));   // the exact form
        case 16: /* SILU */ return x * sigmoidD(x);
        case 17: /* SOFTPLUS */ return x > 20 ? x : log1p(exp(x));
        case 18: /* RECIPROCAL */ return 1.0 / x;
        case 19: /* FLOOR */ return floor(x);
        case 20: /* CEIL */ return ceil(x);
        case 21: /* ROUND */ return rint(x);                                // halves to even, as Math.rint
        case 22: /* TRUNC */ return trunc(x);
        case 23: /* HARDSWISH */ return x * fmin(fmax(x + 3.0, 0.0), 6.0) / 6.0;
        default: DENEB_UNKNOWN_OP();
    }
}

// The ops that keep integer dtypes (UnaryOp.acceptsIntegers); the others never see integers (the host converts).
__device__ long long unaryL(int op, long long x) {
    unsigned long long u = (unsigned long long) x;
    switch (op) {
        case 0: /* NEG */ return (long long) (0ULL - u);                   // wraps like Java
        case 1: /* ABS */ return x < 0 ? (long long) (0ULL - u) : x;       // Long.MIN_VALUE stays
        case 2: /* SIGN */ return x > 0 ? 1 : x < 0 ? -1 : 0;
        case 3: /* RELU */ return x > 0 ? x : 0;
        case 4: /* STEP */ return x > 0 ? 1 : 0;
        case 19: /* FLOOR */ return x;                                      // integers are already whole
        case 20: /* CEIL */ return x;
        case 21: /* ROUND */ return x;
        case 22: /* TRUNC */ return x;
        default: DENEB_UNKNOWN_OP();
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

// Python's modulo as PyTorch computes it: the exact fmod, moved by one divisor when the signs differ.
__device__ __forceinline__ double remainderD(double a, double b) {
    double m = fmod(a, b);
    return m != 0 && ((m < 0) != (b < 0)) ? m + b : m;
}

// The arithmetic BinaryOps (codes 0-63); comparisons have their own kernel and codes (64 and up).
__device__ __noinline__ double binaryD(int op, double a, double b) {
    switch (op) {
        case 0: /* ADD */ return a + b;
        case 1: /* SUB */ return a - b;
        case 2: /* MUL */ return a * b;
        case 3: /* DIV */ return a / b;
        case 4: /* POW */ return powD(a, b);
        case 5: /* MAXIMUM */ return javaMax(a, b);
        case 6: /* MINIMUM */ return javaMin(a, b);
        case 7: /* REMAINDER */ return remainderD(a, b);
        case 8: /* FMOD */ return fmod(a, b);                               // exact, sign of a
        default: DENEB_UNKNOWN_OP();
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

// Integer remainder and fmod: the host refuses zero divisors (Elementwise.checkDivisor), so b == 0 cannot come here;
// b == -1 gives 0 without the C overflow of LLONG_MIN % -1 (Java's % gives 0 too).
__device__ __forceinline__ long long fmodL(long long a, long long b) {
    if (b == 0) __trap();
    return b == -1 ? 0 : a % b;
}

// The arithmetic BinaryOps on integers; DIV is not among them (the host divides integers in floating point).
__device__ long long binaryL(int op, long long a, long long b) {
    unsigned long long ua = (unsigned long long) a, ub = (unsigned long long) b;
    switch (op) {
        case 0: /* ADD */ return (long long) (ua + ub);
        case 1: /* SUB */ return (long long) (ua - ub);
        case 2: /* MUL */ return (long long) (ua * ub);
        case 4: /* POW */ return powL(a, b);
        case 5: /* MAXIMUM */ return a > b ? a : b;
        case 6: /* MINIMUM */ return a < b ? a : b;
        case 7: /* REMAINDER */ {
            long long m = fmodL(a, b);
            return m != 0 && ((m < 0) != (b < 0)) ? m + b : m;             // |m| < |b|: no overflow
        }
        case 8: /* FMOD */ return fmodL(a, b);
        default: DENEB_UNKNOWN_OP();
    }
}

// f32 add/sub/mul/div are correctly rounded in single precision, which equals computing in double and rounding. A
// shortcut, not a table: every other code goes to binaryD, which knows them all.
__device__ __forceinline__ float binaryF(int op, float a, float b) {
    switch (op) {
        case 0: /* ADD */ return a + b;
        case 1: /* SUB */ return a - b;
        case 2: /* MUL */ return a * b;
        case 3: /* DIV */ return a / b;
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

// The comparison BinaryOps, codes 64 and up (one code table for every BinaryOp: see OpCodes.binary).
template <typename T> __device__ __forceinline__ b8 compare(int op, T a, T b) {
    switch (op) {
        case 64: /* EQ */ return a == b;
        case 65: /* NE */ return a != b;
        case 66: /* LT */ return a < b;
        case 67: /* LE */ return a <= b;
        case 68: /* GT */ return a > b;
        case 69: /* GE */ return a >= b;
        default: DENEB_UNKNOWN_OP();
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
