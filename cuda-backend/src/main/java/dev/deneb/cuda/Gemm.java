package dev.deneb.cuda;

import dev.deneb.cuda.ffm.CublasApi;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;

/**
 * Row-major matrix products on column-major cuBLAS. A row-major {@code R×C} matrix with row stride {@code ld} is,
 * read column-major, its own transpose ({@code C×R}, leading dimension {@code ld}). So {@code C = A·B} (row-major)
 * is computed as {@code Cᵀ = Bᵀ·Aᵀ} (column-major): the operands swap places and none is copied. A matrix stored
 * transposed (unit stride down its columns, e.g. {@code x.mT()}) is passed with {@code OP_T} instead of being
 * copied; only views with no unit stride are made contiguous first.
 */
final class Gemm {
    private Gemm() {}

    /**
     * One operand of a row-major product: logical {@code rows×cols}; {@code transposed} when it is stored as the
     * row-major {@code cols×rows} matrix; {@code ld} the row stride of the stored matrix; the batch stride.
     */
    record Operand(long pointer, boolean transposed, int ld, long batchStride) {
        int op() {
            return transposed ? CublasApi.OP_T : CublasApi.OP_N;
        }

        /** How a 3-D tensor [batch, rows, cols] can be handed to cuBLAS, or null if it must be copied first. */
        static Operand of(Tensor t) {
            int[] s = t.shape();
            int[] st = t.strides();
            int rows = s[1];
            int cols = s[2];
            long batchStride = s[0] == 1 ? 0 : st[0];
            if (batchStride < 0) {
                return null;
            }
            long p = CudaBackend.first(t);
            if ((cols == 1 || st[2] == 1) && (rows == 1 || st[1] >= Math.max(1, cols))) {
                return new Operand(p, false, rows == 1 ? Math.max(1, cols) : st[1], batchStride);
            }
            if ((rows == 1 || st[1] == 1) && (cols == 1 || st[2] >= Math.max(1, rows))) {
                return new Operand(p, true, cols == 1 ? Math.max(1, rows) : st[2], batchStride);
            }
            return null;
        }
    }

    /** {@code [B, M, K] · [B, K, N] -> [B, M, N]}, f32 or f64. */
    static Tensor matmul(CudaBackend be, Tensor a, Tensor b) {
        int batch = a.shape()[0];
        int m = a.shape()[1];
        int k = a.shape()[2];
        int n = b.shape()[2];
        DType dt = a.dtype();
        Tensor out = be.newTensor(dt, batch, m, n);
        if (out.numel() == 0) {
            return out;
        }
        if (k == 0) {
            be.fill(out, 0);
            return out;
        }
        Operand oa = Operand.of(a);
        if (oa == null) {
            oa = Operand.of(a = a.copy());
        }
        Operand ob = Operand.of(b);
        if (ob == null) {
            ob = Operand.of(b = b.copy());
        }
        // Column-major: C^T (n x m, ld n) = op(B)^T-view (n x k) * op(A)^T-view (k x m).
        be.gpu().gemm(dt == DType.F64, ob.op(), oa.op(), n, m, k, 1.0, ob.pointer(), ob.ld(), ob.batchStride(),
                oa.pointer(), oa.ld(), oa.batchStride(), 0.0, CudaBackend.first(out), n, (long) m * n, batch);
        return out;
    }

    /**
     * Row-major {@code C[i] = A[i]·B[i] (+ C[i] when accumulate)} on raw device pointers: {@code A} is logical
     * {@code m×k} (stored {@code k×m} when {@code transA}), {@code B} is {@code k×n} (stored {@code n×k} when
     * {@code transB}); ld are the stored row strides.
     */
    static void rowMajor(Gpu gpu, boolean f64, boolean transA, boolean transB, int m, int n, int k,
                         long a, int lda, long strideA, long b, int ldb, long strideB, boolean accumulate,
                         long c, int ldc, long strideC, int batch) {
        gpu.gemm(f64, transB ? CublasApi.OP_T : CublasApi.OP_N, transA ? CublasApi.OP_T : CublasApi.OP_N, n, m, k,
                1.0, b, ldb, strideB, a, lda, strideA, accumulate ? 1.0 : 0.0, c, ldc, strideC, batch);
    }
}
