package dev.deneb.tensor;

/**
 * A sparse matrix in compressed-row form: a {@link CsrPattern} and one value per stored entry ({@code [nnz]}, f32 or
 * f64, possibly requiring grad). Its one operation is the product with a dense matrix ({@link #matmul}), which is
 * differentiable in the values and in the dense operand; graph layers use it for normalised adjacency matrices.
 */
public record CsrMatrix(CsrPattern pattern, Tensor values) {
    public CsrMatrix {
        if (pattern == null || values == null) {
            throw new IllegalArgumentException("CsrMatrix: pattern and values must not be null");
        }
        if (values.dim() != 1 || values.numel() != pattern.nnz()) {
            throw new IllegalArgumentException("CsrMatrix: values must be 1-D with one entry per non-zero ("
                    + pattern.nnz() + "), got shape " + Shapes.str(values.shape()));
        }
        Shapes.requireFloating("CsrMatrix", values);
    }

    /**
     * The {@code rows × cols} matrix with {@code values[i]} at {@code (rowIndex[i], colIndex[i])}; repeated
     * positions add up. The values are reordered by a (differentiable) index select.
     */
    public static CsrMatrix fromCoo(Tensor rowIndex, Tensor colIndex, Tensor values, int rows, int cols) {
        CsrPattern.Sorted s = CsrPattern.fromCoo(rows, cols, rowIndex, colIndex);
        if (values == null || values.dim() != 1 || values.numel() != rowIndex.numel()) {
            throw new IllegalArgumentException("CsrMatrix.fromCoo: values must be 1-D with one entry per coordinate ("
                    + rowIndex.numel() + "), got " + (values == null ? "null" : "shape " + Shapes.str(values.shape())));
        }
        return new CsrMatrix(s.pattern(), values.indexSelect(0, s.order().to(values.backend())));
    }

    public int rows() {
        return pattern.rows();
    }

    public int cols() {
        return pattern.cols();
    }

    /** {@code this · dense} for dense {@code [cols, N]}: {@code [rows, N]}. */
    public Tensor matmul(Tensor dense) {
        return SparseMatmul.apply(pattern, values, dense);
    }

    /** The transpose, sharing the values (reordered by a differentiable index select). */
    public CsrMatrix transpose() {
        return new CsrMatrix(pattern.transpose(), values.indexSelect(0, pattern.transposeOrder().to(values.backend())));
    }

    /** The dense {@code [rows, cols]} matrix (repeated positions added up). */
    public Tensor toDense() {
        Tensor eye = Tensor.eye(pattern.cols()).to(values.dtype()).to(values.backend());
        return matmul(eye);
    }
}
