// Fused optimizer updates on contiguous f32 tensors, in the form dev.deneb.optim.AdamUpdate writes them:
//   m = b1*m + (1-b1)*g;  v = b2*v + (1-b2)*g*g;  vmax = max(vmax, v) (amsgrad, when vmax != 0)
//   p = p*decay - stepSize * m / (sqrt(v or vmax) / bc2Sqrt + eps)
// with g already including L2 weight decay (g + l2*p), decay = 1 - lr*wd for AdamW, stepSize = lr / (1 - b1^t).
#include "common.cuh"

extern "C" __global__ void deneb_adam_f32(float* p, const float* g, float* m, float* v, float* vmax, long long n,
                                          float b1, float b2, float eps, float l2, float decay, float stepSize,
                                          float bc2Sqrt) {
    GRID_STRIDE_LOOP(i, n) {
        float pi = p[i];
        float gi = g[i] + l2 * pi;
        float mi = b1 * m[i] + (1.0f - b1) * gi;
        float vi = b2 * v[i] + (1.0f - b2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        float second = vi;
        if (vmax != 0) {
            second = fmaxf(vmax[i], vi);
            vmax[i] = second;
        }
        p[i] = pi * decay - stepSize * mi / (sqrtf(second) / bc2Sqrt + eps);
    }
}
