package dev.deneb.tensor;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * The decompositions and solvers of {@code torch.linalg} over batches of matrices {@code [..., m, n]}: argument
 * checks, the batch axes folded into one for the backend ({@code [B, m, n]}, contiguous), failures (a singular or
 * not positive-definite matrix) reported by batch element, and each result recorded as one primitive. QR, SVD and
 * eigh record one packed tensor and return views of it (see {@link Primitive.Qr}), so the gradients of all their
 * outputs meet in one rule. The rules are in autograd's {@code Derivatives}.
 */
final class Decompositions {
    private Decompositions() {}

    /** A checked input: its batch shape and the batch folded to a contiguous {@code [count, rows, cols]}. */
    private record Folded(int[] batch, int count, int rows, int cols, Tensor matrices, int[] inputShape) {}

    private static Folded fold(String op, Tensor a, boolean square) {
        int[] shape = a.shape();
        if (a.dim() < 2) {
            throw new IllegalArgumentException(op + ": expected a matrix or a batch of matrices [..., "
                    + (square ? "n, n" : "m, n") + "] (rank >= 2), got shape " + Shapes.str(shape));
        }
        int rows = a.size(-2);
        int cols = a.size(-1);
        if (square && rows != cols) {
            throw new IllegalArgumentException(op + ": expected square matrices [..., n, n], got shape "
                    + Shapes.str(shape) + " (" + rows + " x " + cols + ")");
        }
        Shapes.requireFloating(op, a);
        int[] batch = Arrays.copyOf(shape, shape.length - 2);
        int count = Shapes.numel(op, batch);
        return new Folded(batch, count, rows, cols, a.reshape(count, rows, cols).contiguous(), shape);
    }

    // =========================================================================================================
    // Inverse, solve, determinants
    // =========================================================================================================

    static Tensor inverse(Tensor a) {
        Folded f = fold("inverse", a, true);
        Tensor[] r = Tape.untracked(() -> f.matrices.backend().inverse(f.matrices));
        requireSuccess("inverse", r[1], f.batch, "the input of shape " + Shapes.str(f.inputShape),
                pivot -> " is singular (pivot " + (pivot - 1) + " of its LU factorization is zero), so it has no"
                        + " inverse");
        return Tape.record(new Primitive.Inverse(), r[0], f.matrices).reshape(f.inputShape);
    }

    /**
     * X with {@code A·X = B} (torch.linalg.solve): B is a batch of vectors {@code [..., n]} when it is 1-D or has
     * A's shape without its last axis, else of matrices {@code [..., n, k]}; the batch axes broadcast.
     */
    static Tensor solve(Tensor a, Tensor b) {
        Shapes.sameBackend("solve", a, b);
        if (a.dim() < 2 || a.size(-1) != a.size(-2)) {
            throw new IllegalArgumentException("solve: expected A to be a square matrix or a batch of them"
                    + " [..., n, n], got shape " + Shapes.str(a.shape()));
        }
        Shapes.requireFloating("solve", a);
        Shapes.requireFloating("solve", b);
        int n = a.size(-1);
        int[] aShape = a.shape();
        boolean vector = b.dim() == 1
                || (b.dim() == a.dim() - 1 && Arrays.equals(b.shape(), Arrays.copyOf(aShape, aShape.length - 1)));
        Tensor bm = vector ? b.unsqueeze(-1) : b;
        if (bm.dim() < 2 || bm.size(-2) != n) {
            throw new IllegalArgumentException("solve: B of shape " + Shapes.str(b.shape()) + " does not fit A of"
                    + " shape " + Shapes.str(aShape) + ": expected B of shape [..., " + n + "] or [..., " + n
                    + ", k]");
        }
        int k = bm.size(-1);
        int[] batchA = Arrays.copyOf(aShape, aShape.length - 2);
        int[] batchB = Arrays.copyOf(bm.shape(), bm.dim() - 2);
        int[] batch;
        try {
            batch = Shapes.broadcast("solve", batchA, batchB);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("solve: the batch axes of A " + Shapes.str(aShape) + " and B "
                    + Shapes.str(b.shape()) + " cannot be broadcast together (" + Shapes.str(batchA) + " vs "
                    + Shapes.str(batchB) + ")");
        }
        int count = Shapes.numel("solve", batch);
        DType dt = DType.promote(a.dtype(), b.dtype());
        Tensor a3 = a.to(dt).expand(concat(batch, n, n)).reshape(count, n, n).contiguous();
        Tensor b3 = bm.to(dt).expand(concat(batch, n, k)).reshape(count, n, k).contiguous();
        Tensor[] r = Tape.untracked(() -> a3.backend().solve(a3, b3));
        requireSuccess("solve", r[1], batch, "A (shape " + Shapes.str(aShape) + ", B of shape "
                        + Shapes.str(b.shape()) + ")",
                pivot -> " is singular (pivot " + (pivot - 1) + " of its LU factorization is zero), so A·X = B has no"
                        + " unique solution");
        Tensor x = Tape.record(new Primitive.Solve(), r[0], a3, b3).reshape(concat(batch, n, k));
        return vector ? x.squeeze(-1) : x;
    }

    static Linalg.Slogdet slogdet(Tensor a) {
        Folded f = fold("slogdet", a, true);
        Tensor[] r = Tape.untracked(() -> f.matrices.backend().slogdet(f.matrices));
        Tensor sign = r[0].reshape(f.batch);
        Tensor logAbsDet = Tape.record(new Primitive.Slogdet(sign), r[1], f.matrices).reshape(f.batch);
        return new Linalg.Slogdet(sign, logAbsDet);
    }

    /** {@code sign · exp(log|det|)} from {@link #slogdet}, in f64 for f32 input and rounded once. */
    static Tensor det(Tensor a) {
        fold("det", a, true);
        Tensor x = a.dtype() == DType.F32 ? a.to(DType.F64) : a;
        Linalg.Slogdet s = slogdet(x);
        return s.sign().mul(s.logAbsDet().exp()).to(a.dtype());
    }

    // =========================================================================================================
    // Cholesky, QR, SVD, eigh
    // =========================================================================================================

    static Tensor cholesky(Tensor a) {
        Folded f = fold("cholesky", a, true);
        Tensor[] r = Tape.untracked(() -> f.matrices.backend().cholesky(f.matrices));
        requireSuccess("cholesky", r[1], f.batch, "the input of shape " + Shapes.str(f.inputShape),
                order -> " is not positive-definite (its leading minor of order " + order + " is not"
                        + " positive-definite)");
        return Tape.record(new Primitive.Cholesky(), r[0], f.matrices).reshape(f.inputShape);
    }

    static Linalg.Qr qr(Tensor a) {
        Folded f = fold("qr", a, false);
        int m = f.rows;
        int n = f.cols;
        int k = Math.min(m, n);
        Tensor packed = Tape.untracked(() -> {
            Tensor[] r = f.matrices.backend().qr(f.matrices);
            return Tensor.cat(2, r[0].mT(), r[1]);
        });
        Tensor p = Tape.record(new Primitive.Qr(), packed, f.matrices).reshape(concat(f.batch, k, m + n));
        return new Linalg.Qr(p.narrow(-1, 0, m).mT(), p.narrow(-1, m, n));
    }

    static Linalg.Svd svd(Tensor a) {
        Folded f = fold("svd", a, false);
        int m = f.rows;
        int n = f.cols;
        int k = Math.min(m, n);
        Tensor[] r = Tape.untracked(() -> f.matrices.backend().svd(f.matrices));
        requireConverged("svd", r[3], f);
        Tensor packed = Tape.untracked(() -> Tensor.cat(2, r[0].mT(), r[1].unsqueeze(-1), r[2]));
        Tensor p = Tape.record(new Primitive.Svd(), packed, f.matrices).reshape(concat(f.batch, k, m + 1 + n));
        return new Linalg.Svd(p.narrow(-1, 0, m).mT(), p.select(-1, m), p.narrow(-1, m + 1, n));
    }

    static Linalg.Eigh eigh(Tensor a) {
        Folded f = fold("eigh", a, true);
        int n = f.rows;
        Tensor[] r = Tape.untracked(() -> f.matrices.backend().eigh(f.matrices));
        requireConverged("eigh", r[2], f);
        Tensor packed = Tape.untracked(() -> Tensor.cat(2, r[1].mT(), r[0].unsqueeze(-1)));
        Tensor p = Tape.record(new Primitive.Eigh(), packed, f.matrices).reshape(concat(f.batch, n, n + 1));
        return new Linalg.Eigh(p.select(-1, n), p.narrow(-1, 0, n).mT());
    }

    // =========================================================================================================
    // Helpers
    // =========================================================================================================

    /** Throws for the first batch element whose {@code info} is not 0, describing it with {@code problem(info)}. */
    private static void requireSuccess(String op, Tensor info, int[] batch, String what, IntFunction<String> problem) {
        int[] v = info.toIntArray();
        for (int b = 0; b < v.length; b++) {
            if (v[b] != 0) {
                String which = batch.length == 0 ? what
                        : "the matrix at batch index " + Arrays.toString(unravel(b, batch)) + " of " + what;
                throw new IllegalArgumentException(op + ": " + which + problem.apply(v[b]));
            }
        }
    }

    private static void requireConverged(String op, Tensor info, Folded f) {
        requireSuccess(op, info, f.batch, "the input of shape " + Shapes.str(f.inputShape), code -> code == 1
                ? " has NaN or infinite values; the decomposition is not defined"
                : " made the algorithm fail to converge (the input is too ill-conditioned)");
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }

    private static int[] concat(int[] batch, int r, int c) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = r;
        s[batch.length + 1] = c;
        return s;
    }
}
