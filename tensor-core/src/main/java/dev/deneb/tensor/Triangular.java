package dev.deneb.tensor;

/**
 * Matrix-structure ops: the lower and upper triangles of (batches of) matrices, and diag between a vector and the
 * diagonal of a matrix. Composites of where and diagonal views, so differentiable with no rule of their own.
 */
final class Triangular {
    private Triangular() {}

    /** The elements on and below the {@code diagonal}-th diagonal of the last two axes; the rest 0 (torch.tril). */
    static Tensor tril(Tensor x, int diagonal) {
        return triangle("tril", x, diagonal, true);
    }

    /** The elements on and above the {@code diagonal}-th diagonal of the last two axes; the rest 0 (torch.triu). */
    static Tensor triu(Tensor x, int diagonal) {
        return triangle("triu", x, diagonal, false);
    }

    private static Tensor triangle(String op, Tensor x, int diagonal, boolean lower) {
        if (x.dim() < 2) {
            throw new IllegalArgumentException(op + ": expected a tensor of rank >= 2 (a matrix or a batch of"
                    + " matrices), got shape " + Shapes.str(x.shape()));
        }
        if (x.numel() == 0) {
            return x.copy();
        }
        int m = x.size(-2);
        int n = x.size(-1);
        boolean[] keep = new boolean[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                long d = (long) j - i;
                keep[i * n + j] = lower ? d <= diagonal : d >= diagonal;
            }
        }
        Tensor mask = Tensor.uploaded(x.backend(), keep, m, n);
        Tensor zero = Tensor.empty(x.backend(), x.dtype());
        // where, not a product: NaN and inf outside the triangle become 0, as in PyTorch.
        return Tensor.where(mask, x, zero);
    }

    /**
     * torch.diag: a 1-D input becomes the square matrix with it on the {@code diagonal}-th diagonal (zeros elsewhere);
     * a 2-D input gives a copy of its {@code diagonal}-th diagonal, 1-D.
     */
    static Tensor diag(Tensor x, int diagonal) {
        if (x.dim() == 1) {
            long size = (long) x.size(0) + Math.abs((long) diagonal);
            if (size > Integer.MAX_VALUE || size * size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("diag: a vector of " + x.size(0) + " elements on diagonal "
                        + diagonal + " needs a " + size + "x" + size + " matrix, more than "
                        + (Integer.MAX_VALUE - 8) + " elements");
            }
            Tensor zeros = Tensor.empty(x.backend(), x.dtype(), (int) size, (int) size);
            return zeros.diagonalScatter(x, diagonal, 0, 1);
        }
        if (x.dim() == 2) {
            return x.diagonal(diagonal, 0, 1).copy();
        }
        throw new IllegalArgumentException("diag: expected a 1-D tensor (to make a matrix) or a 2-D tensor (to take"
                + " its diagonal), got shape " + Shapes.str(x.shape())
                + "; for batches use diagonal(offset, axis1, axis2)");
    }
}
