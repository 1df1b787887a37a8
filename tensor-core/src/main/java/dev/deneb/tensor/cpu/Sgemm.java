package dev.deneb.tensor.cpu;

/**
 * Single-precision general matrix multiply on Java arrays: {@code C = A·B} or {@code C += A·B}.
 *
 * <p>Operands are addressed by strides so transposed and sliced views need no copy: element {@code (i, p)} of A is
 * {@code a[aOff + i*aRowStride + p*aColStride]}, element {@code (p, j)} of B is
 * {@code b[bOff + p*bRowStride + j*bColStride]}, and element {@code (i, j)} of C is {@code c[cOff + i*ldc + j]}.
 */
public final class Sgemm {
    private Sgemm() {}

    public static void gemm(int m, int n, int k,
                            float[] a, int aOff, int aRowStride, int aColStride,
                            float[] b, int bOff, int bRowStride, int bColStride,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        // Placeholder: plain triple loop (to be replaced by the packed, register-tiled kernel).
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = accumulate ? c[cOff + i * ldc + j] : 0f;
                for (int p = 0; p < k; p++) {
                    s += a[aOff + i * aRowStride + p * aColStride] * b[bOff + p * bRowStride + j * bColStride];
                }
                c[cOff + i * ldc + j] = s;
            }
        }
    }
}
