package dev.deneb.tensor;

import java.util.Arrays;

/** Matrix products with NumPy's rank rules, reduced to the backend's batched {@code [B,M,K]·[B,K,N]}. */
final class LinearAlgebra {
    private LinearAlgebra() {}

    static Tensor matmul(Tensor a, Tensor b) {
        Shapes.sameBackend("matmul", a, b);
        if (a.dim() == 0 || b.dim() == 0) {
            throw new IllegalArgumentException("matmul: both operands need rank >= 1, got shapes "
                    + Shapes.str(a.shape()) + " and " + Shapes.str(b.shape()) + "; use mul for scalars");
        }
        DType dt = DType.promote(a.dtype(), b.dtype());
        if (!dt.isFloating()) {
            throw new IllegalArgumentException("matmul: expected floating-point operands, got " + a.dtype()
                    + " and " + b.dtype());
        }
        boolean vecA = a.dim() == 1;
        boolean vecB = b.dim() == 1;
        Tensor x = (vecA ? a.unsqueeze(0) : a).to(dt);
        Tensor y = (vecB ? b.unsqueeze(1) : b).to(dt);
        int m = x.size(-2);
        int k = x.size(-1);
        int n = y.size(-1);
        if (y.size(-2) != k) {
            throw new IllegalArgumentException("matmul: shapes " + Shapes.str(a.shape()) + " and "
                    + Shapes.str(b.shape()) + " do not fit: the inner sizes " + k + " and " + y.size(-2) + " differ");
        }
        if (y.dim() == 2 && x.dim() > 2 && x.numel() > 0) {
            // A stack of matrices times one matrix is one tall product [batch*M, K]·[K, N]: one packing of B
            // instead of one per matrix, and one large GEMM instead of many small ones.
            Tensor r = batched(x.reshape(1, -1, k), y.unsqueeze(0))
                    .reshape(concat(Arrays.copyOf(x.shape(), x.dim() - 2), m, n));
            return vecB ? r.squeeze(-1) : r;
        }
        int[] batchA = Arrays.copyOf(x.shape(), x.dim() - 2);
        int[] batchB = Arrays.copyOf(y.shape(), y.dim() - 2);
        int[] batch;
        try {
            batch = Shapes.broadcast("matmul", batchA, batchB);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("matmul: the batch axes of " + Shapes.str(a.shape()) + " and "
                    + Shapes.str(b.shape()) + " cannot be broadcast together (" + Shapes.str(batchA) + " vs "
                    + Shapes.str(batchB) + ")");
        }
        int batchN = Shapes.numel("matmul", batch);
        Tensor xe = x.expand(concat(batch, m, k));
        Tensor ye = y.expand(concat(batch, k, n));
        Tensor r;
        if (batch.length > 1 && x.backend().matmulTakesBatchAxes(xe, ye)) {
            // As they are: folding the batch axes copies an operand whose strides do not allow a view. Taken
            // whatever the strides, so the recorded graph does not depend on the sizes (ONNX export traces twice).
            r = batched(xe, ye);
        } else {
            r = batched(xe.reshape(batchN, m, k), ye.reshape(batchN, k, n)).reshape(concat(batch, m, n));
        }
        if (vecA) {
            r = r.squeeze(-2);
        }
        if (vecB) {
            r = r.squeeze(-1);
        }
        return r;
    }

    /**
     * {@code x·wᵀ + b} over the last axis of x ({@code [..., K]}), w {@code [N, K]}, b {@code [N]} or null: one
     * recorded primitive, so the backend can start the product from the bias (no second pass over the output).
     */
    static Tensor linear(Tensor x, Tensor w, Tensor b) {
        if (b == null) {
            return matmul(x, w.t());
        }
        Shapes.sameBackend("linear", x, w);
        Shapes.sameBackend("linear", x, b);
        if (x.dim() == 0 || w.dim() != 2 || x.size(-1) != w.size(1) || b.dim() != 1 || b.size(0) != w.size(0)) {
            throw new IllegalArgumentException("linear: expected input [..., K], weight [N, K] and bias [N], got "
                    + Shapes.str(x.shape()) + ", " + Shapes.str(w.shape()) + " and " + Shapes.str(b.shape()));
        }
        if (!x.dtype().isFloating() || w.dtype() != x.dtype() || b.dtype() != x.dtype()) {
            throw new IllegalArgumentException("linear: input, weight and bias must share one floating-point dtype, got "
                    + x.dtype() + ", " + w.dtype() + " and " + b.dtype());
        }
        if (x.numel() == 0 || w.numel() == 0) {
            return matmul(x, w.t()).add(b);
        }
        int k = x.size(-1);
        int n = w.size(0);
        Tensor x2 = x.reshape(-1, k);
        Tensor y = Tape.run(new Primitive.Linear(), () -> x2.backend().linear(x2, w, b), x2, w, b);
        int[] shape = x.shape().clone();
        shape[shape.length - 1] = n;
        return y.reshape(shape);
    }

    /** The backend's {@code [B, M, K]·[B, K, N]}, recorded. */
    private static Tensor batched(Tensor x, Tensor y) {
        return Tape.run(new Primitive.Matmul(), () -> x.backend().matmul(x, y), x, y);
    }

    private static int[] concat(int[] batch, int r, int c) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = r;
        s[batch.length + 1] = c;
        return s;
    }
}
