// Convolution helpers (im2col / col2im, used with cuBLAS GEMM) and 2-D pooling, on contiguous NCHW data.
// Pooling follows dev.deneb.tensor.cpu.PoolReference: double-precision sums, the same tap order, and backward passes
// written as gathers (each input element sums the windows that touch it, in the reference's order), so they are
// deterministic and need no atomics.
#include "common.cuh"

// Must match dev.deneb.cuda.ConvGeometry (14 ints).
struct ConvGeom {
    int n, c, h, w;        // images in this chunk, channels, input height and width
    int kh, kw;            // kernel
    int sh, sw, ph, pw, dh, dw;
    int oh, ow;            // output height and width
};

// Index arithmetic is 32-bit: the host keeps every tensor and each im2col chunk below 2^31 elements.

// col[img][(c*kh + i)*kw + j][oy*ow + ox] = x[img][c][oy*sh - ph + i*dh][ox*sw - pw + j*dw] (0 outside).
template <typename T> __device__ void im2col(ConvGeom g, const T* x, T* col) {
    long long l = (long long) g.oh * g.ow;
    long long total = (long long) g.n * g.c * g.kh * g.kw * l;
    GRID_STRIDE_LOOP(t, total) {
        unsigned int rest = (unsigned int) t;
        int ox = (int) (rest % g.ow); rest /= g.ow;
        int oy = (int) (rest % g.oh); rest /= g.oh;
        int j = (int) (rest % g.kw); rest /= g.kw;
        int i = (int) (rest % g.kh); rest /= g.kh;
        int c = (int) (rest % g.c); rest /= g.c;
        long long img = rest;
        int iy = oy * g.sh - g.ph + i * g.dh;
        int ix = ox * g.sw - g.pw + j * g.dw;
        T v = 0;
        if (iy >= 0 && iy < g.h && ix >= 0 && ix < g.w) v = x[((img * g.c + c) * g.h + iy) * g.w + ix];
        col[t] = v;
    }
}

// The adjoint of im2col: x[img][c][iy][ix] = sum of the col entries that im2col copied it to.
template <typename T> __device__ void col2im(ConvGeom g, const T* col, T* x) {
    long long l = (long long) g.oh * g.ow;
    long long total = (long long) g.n * g.c * g.h * g.w;
    GRID_STRIDE_LOOP(t, total) {
        unsigned int rest = (unsigned int) t;
        int ix = (int) (rest % g.w); rest /= g.w;
        int iy = (int) (rest % g.h); rest /= g.h;
        int c = (int) (rest % g.c); rest /= g.c;
        long long img = rest;
        double s = 0;
        for (int i = 0; i < g.kh; i++) {
            int ny = iy + g.ph - i * g.dh;
            if (ny < 0 || ny % g.sh != 0 || ny / g.sh >= g.oh) continue;
            int oy = ny / g.sh;
            for (int j = 0; j < g.kw; j++) {
                int nx = ix + g.pw - j * g.dw;
                if (nx < 0 || nx % g.sw != 0 || nx / g.sw >= g.ow) continue;
                int ox = nx / g.sw;
                s += (double) col[((img * g.c + c) * g.kh * g.kw + (long long) i * g.kw + j) * l + (long long) oy * g.ow + ox];
            }
        }
        x[t] = (T) s;
    }
}

extern "C" __global__ void deneb_im2col_f32(ConvGeom g, const float* x, float* col) { im2col<float>(g, x, col); }
extern "C" __global__ void deneb_im2col_f64(ConvGeom g, const double* x, double* col) { im2col<double>(g, x, col); }
extern "C" __global__ void deneb_col2im_f32(ConvGeom g, const float* col, float* x) { col2im<float>(g, col, x); }
extern "C" __global__ void deneb_col2im_f64(ConvGeom g, const double* col, double* x) { col2im<double>(g, col, x); }

// ---- pooling -------------------------------------------------------------------------------------------------------

// Must match dev.deneb.cuda.PoolGeometry (14 ints).
struct PoolGeom {
    int planes, h, w, oh, ow;
    int kh, kw, sh, sw, ph, pw, dh, dw;
    int countIncludePad;
};

__device__ __forceinline__ int poolDivisor(const PoolGeom& g, int oy, int ox) {
    int rows = 0, cols = 0;
    for (int k = 0; k < g.kh; k++) {
        int i = oy * g.sh - g.ph + k * g.dh;
        if (g.countIncludePad ? i < g.h + g.ph : (i >= 0 && i < g.h)) rows++;
    }
    for (int k = 0; k < g.kw; k++) {
        int j = ox * g.sw - g.pw + k * g.dw;
        if (g.countIncludePad ? j < g.w + g.pw : (j >= 0 && j < g.w)) cols++;
    }
    return rows * cols;
}

template <typename T> __device__ void maxPoolForward(PoolGeom g, const T* x, T* y, long long* indices) {
    long long total = (long long) g.planes * g.oh * g.ow;
    GRID_STRIDE_LOOP(t, total) {
        unsigned int u = (unsigned int) t;
        int ox = (int) (u % g.ow);
        int oy = (int) ((u / g.ow) % g.oh);
        long long p = u / ((unsigned int) g.ow * g.oh);
        double best = -__longlong_as_double(0x7ff0000000000000LL);
        long long bestIndex = -1;
        for (int i = 0; i < g.kh; i++) {
            int iy = oy * g.sh - g.ph + i * g.dh;
            if (iy < 0 || iy >= g.h) continue;
            for (int j = 0; j < g.kw; j++) {
                int ix = ox * g.sw - g.pw + j * g.dw;
                if (ix < 0 || ix >= g.w) continue;
                double v = (double) x[(p * g.h + iy) * g.w + ix];
                if (bestIndex < 0 || v > best || (v != v && best == best)) {
                    best = v;
                    bestIndex = (long long) iy * g.w + ix;
                }
            }
        }
        y[t] = (T) best;
        indices[t] = bestIndex;
    }
}

// Gathers, for each input element, the gradients of the windows that picked it, in window raster order.
template <typename T> __device__ void maxPoolBackward(PoolGeom g, const T* gy, const long long* indices, T* gx) {
    long long total = (long long) g.planes * g.h * g.w;
    GRID_STRIDE_LOOP(t, total) {
        unsigned int u = (unsigned int) t;
        int ix = (int) (u % g.w);
        int iy = (int) ((u / g.w) % g.h);
        long long p = u / ((unsigned int) g.w * g.h);
        long long self = (long long) iy * g.w + ix;
        double s = 0;
        for (int i = g.kh - 1; i >= 0; i--) {
            int ny = iy + g.ph - i * g.dh;
            if (ny < 0 || ny % g.sh != 0 || ny / g.sh >= g.oh) continue;
            int oy = ny / g.sh;
            for (int j = g.kw - 1; j >= 0; j--) {
                int nx = ix + g.pw - j * g.dw;
                if (nx < 0 || nx % g.sw != 0 || nx / g.sw >= g.ow) continue;
                long long o = (p * g.oh + oy) * g.ow + nx / g.sw;
                if (indices[o] == self) s += (double) gy[o];
            }
        }
        gx[t] = (T) s;
    }
}

template <typename T> __device__ void avgPoolForward(PoolGeom g, const T* x, T* y) {
    long long total = (long long) g.planes * g.oh * g.ow;
    GRID_STRIDE_LOOP(t, total) {
        unsigned int u = (unsigned int) t;
        int ox = (int) (u % g.ow);
        int oy = (int) ((u / g.ow) % g.oh);
        long long p = u / ((unsigned int) g.ow * g.oh);
        double s = 0;
        for (int i = 0; i < g.kh; i++) {
            int iy = oy * g.sh - g.ph + i * g.dh;
            for (int j = 0; j < g.kw; j++) {
                int ix = ox * g.sw - g.pw + j * g.dw;
                if (iy >= 0 && iy < g.h && ix >= 0 && ix < g.w) s += (double) x[(p * g.h + iy) * g.w + ix];
            }
        }
        int d = poolDivisor(g, oy, ox);
        y[t] = (T) (d == 0 ? 0.0 : s / d);
    }
}

template <typename T> __device__ void avgPoolBackward(PoolGeom g, const T* gy, T* gx) {
    long long total = (long long) g.planes * g.h * g.w;
    GRID_STRIDE_LOOP(t, total) {
        unsigned int u = (unsigned int) t;
        int ix = (int) (u % g.w);
        int iy = (int) ((u / g.w) % g.h);
        long long p = u / ((unsigned int) g.w * g.h);
        double s = 0;
        for (int i = g.kh - 1; i >= 0; i--) {
            int ny = iy + g.ph - i * g.dh;
            if (ny < 0 || ny % g.sh != 0 || ny / g.sh >= g.oh) continue;
            int oy = ny / g.sh;
            for (int j = g.kw - 1; j >= 0; j--) {
                int nx = ix + g.pw - j * g.dw;
                if (nx < 0 || nx % g.sw != 0 || nx / g.sw >= g.ow) continue;
                int ox = nx / g.sw;
                int d = poolDivisor(g, oy, ox);
                if (d != 0) s += (double) gy[(p * g.oh + oy) * g.ow + ox] / d;
            }
        }
        gx[t] = (T) s;
    }
}

#define DEFINE_POOL(SUF, T) \
    extern "C" __global__ void deneb_maxpool_fwd_##SUF(PoolGeom g, const T* x, T* y, long long* idx) { maxPoolForward<T>(g, x, y, idx); } \
    extern "C" __global__ void deneb_maxpool_bwd_##SUF(PoolGeom g, const T* gy, const long long* idx, T* gx) { maxPoolBackward<T>(g, gy, idx, gx); } \
    extern "C" __global__ void deneb_avgpool_fwd_##SUF(PoolGeom g, const T* x, T* y) { avgPoolForward<T>(g, x, y); } \
    extern "C" __global__ void deneb_avgpool_bwd_##SUF(PoolGeom g, const T* gy, T* gx) { avgPoolBackward<T>(g, gy, gx); }
DEFINE_POOL(f32, float)
DEFINE_POOL(f64, double)
