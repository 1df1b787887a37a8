package dev.deneb.tensor;

/**
 * The product of a sparse matrix in CSR form with a dense one, {@code out = A·B}: A {@code [rows, cols]} given by its
 * {@link CsrPattern} and its values {@code [nnz]}, B {@code [cols, N]}, out {@code [rows, N]}. Row r of out is
 * {@code Σ_k values[k] · B[columns[k]]} over r's entries in their stored order (graph propagation: PyTorch's
 * {@code torch.sparse.mm}). Differentiable in the values and in B.
 */
final class SparseMatmul {
    private SparseMatmul() {}

    static Tensor apply(CsrPattern pattern, Tensor values, Tensor dense) {
        String op = "sparseMatmul";
        if (pattern == null || values == null || dense == null) {
            throw new IllegalArgumentException(op + ": pattern, values and dense must not be null");
        }
        if (values.dim() != 1 || values.numel() != pattern.nnz()) {
            throw new IllegalArgumentException(op + ": values must be 1-D with one entry per non-zero ("
                    + pattern.nnz() + "), got shape " + Shapes.str(values.shape()));
        }
        if (dense.dim() != 2 || dense.size(0) != pattern.cols()) {
            throw new IllegalArgumentException(op + ": dense must be [cols, N] with cols = " + pattern.cols()
                    + " (the sparse matrix is " + pattern.rows() + " x " + pattern.cols() + "), got shape "
                    + Shapes.str(dense.shape()));
        }
        Shapes.requireFloating(op, values);
        Shapes.requireFloating(op, dense);
        if (values.dtype() != dense.dtype()) {
            throw new IllegalArgumentException(op + ": values and dense must have one dtype, got " + values.dtype()
                    + " and " + dense.dtype());
        }
        Shapes.sameBackend(op, values, dense);
        return Tape.run(new Primitive.SparseMatmul(pattern),
                () -> dense.backend().sparseMatmul(pattern, values, dense), values, dense);
    }

    /**
     * The product written with ordinary tensor ops (gather the rows of B, scale, scatter-add into the rows of out):
     * the definition every backend must match, and the default for backends without a kernel.
     */
    static Tensor composed(CsrPattern pattern, Tensor values, Tensor dense) {
        Backend be = dense.backend();
        int n = dense.size(1);
        Tensor out = Tensor.empty(be, dense.dtype(), pattern.rows(), n);
        if (pattern.nnz() == 0 || n == 0) {
            return out;
        }
        Tensor messages = dense.indexSelect(0, pattern.columns().to(be)).mul(values.reshape(-1, 1));
        Tensor targets = pattern.entryRows().to(be).reshape(-1, 1).expand(pattern.nnz(), n);
        return out.scatterAdd(0, targets, messages);
    }
}
