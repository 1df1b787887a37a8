package dev.deneb.tensor;

/**
 * Everything a device must provide. {@link Tensor} does the bookkeeping (argument checks, broadcasting, type
 * promotion, views, composite ops) and hands each backend method inputs that are already valid: the same shape where
 * stated, the same dtype, axes normalised, indices in range. A backend returns new tensors of its own storage;
 * results are contiguous unless stated. A new device implements this interface and nothing else.
 */
public interface Backend {
    /** A short name, e.g. {@code "cpu-reference"}. */
    String name();

    // ---- storage ----------------------------------------------------------------------------------------------

    /** A zero-filled storage of {@code size} elements. */
    Storage allocate(DType dtype, int size);

    /** A storage holding a copy of a Java array: {@code float[]}, {@code double[]}, {@code int[]}, {@code long[]}
     *  or {@code boolean[]}. */
    Storage upload(Object javaArray);

    /** A copy of the tensor's elements in row-major order, as a Java array of its dtype (see {@link #upload}). */
    Object download(Tensor t);

    /** Copies {@code src} into {@code dst} (same shape; any strides; converts dtype). */
    void copy(Tensor src, Tensor dst);

    /** Sets every element of {@code dst} (any strides) to {@code value}, converted to its dtype. */
    void fill(Tensor dst, double value);

    // ---- elementwise ------------------------------------------------------------------------------------------

    /** {@code op(x)}, same dtype as {@code x} (an integer dtype only when {@link UnaryOp#acceptsIntegers()}). */
    Tensor unary(UnaryOp op, Tensor x);

    /** {@code op(a, b)}; a and b have the same shape (possibly broadcast views with zero strides) and dtype. */
    Tensor binary(BinaryOp op, Tensor a, Tensor b);

    /** {@code cond ? a : b}; all three the same shape, cond BOOL, a and b the same dtype. */
    Tensor where(Tensor cond, Tensor a, Tensor b);

    /**
     * {@code target = op(target, other)}, written into target's own elements: other has target's shape (possibly a
     * broadcast view) and dtype, a floating one, and shares no storage with target unless it is the very same view;
     * op is arithmetic, not a comparison. Optional: the default computes {@link #binary} and copies it back; a
     * backend overrides it to skip that temporary. The values are those of {@link #binary}, bit for bit.
     */
    default void binaryInPlace(BinaryOp op, Tensor target, Tensor other) {
        copy(binary(op, target, other), target);
    }

    // ---- reductions -------------------------------------------------------------------------------------------

    /** Reduces over {@code axes} (sorted, distinct, non-empty); the result dtype is {@link ReduceOp#resultType}. */
    Tensor reduce(ReduceOp op, Tensor x, int[] axes, boolean keepdim);

    /** MAX or MIN along one axis: {@code {values, indices (I64)}}; ties pick the first index, NaN counts as extreme. */
    Tensor[] argReduce(ReduceOp op, Tensor x, int axis, boolean keepdim);

    /** Softmax (or log-softmax) along {@code axis}, numerically stable; x is floating point. */
    Tensor softmax(Tensor x, int axis, boolean log);

    /** Its backward step from the output {@code y}; inputs checked by {@link SoftmaxGrad#backward}. */
    default Tensor softmaxBackward(Tensor grad, Tensor y, int axis, boolean log) {
        return SoftmaxGrad.composed(grad, y, axis, log);
    }

    // ---- sorting and scans ------------------------------------------------------------------------------------

    /** The permutation (I64, x's shape) that sorts each line of {@code x} (rank >= 1, any dtype) along
     *  {@code axis}: stable, so equal values keep their order either way; NaN is the largest value and -0.0
     *  equals 0.0. */
    Tensor argsort(Tensor x, int axis, boolean descending);

    /** The running SUM or PROD (the reference also does MAX and MIN) of {@code x} (rank >= 1) along {@code axis};
     *  the result dtype is {@link ReduceOp#resultType}. */
    Tensor cumulative(ReduceOp op, Tensor x, int axis);

    // ---- linear algebra ---------------------------------------------------------------------------------------

    /**
     * Batched product {@code [B, M, K] · [B, K, N] -> [B, M, N]}; any strides (zero batch stride = broadcast). A
     * backend that answers true to {@link #matmulTakesBatchAxes} also gets several batch axes.
     */
    Tensor matmul(Tensor a, Tensor b);

    /**
     * Whether {@link #matmul} takes these operands with several batch axes as they are ({@code [..., M, K] ·
     * [..., K, N] -> [..., M, N]}, equal batch shapes, any strides). Otherwise the batch axes are folded into one
     * first, which copies an operand whose strides do not allow a view (attention's heads read from a packed
     * projection, for instance).
     */
    default boolean matmulTakesBatchAxes(Tensor a, Tensor b) {
        return false;
    }

    /**
     * {@code x·wᵀ + b} for x {@code [M, K]}, w {@code [N, K]}, b {@code [N]}, all of one floating dtype: a linear
     * layer in one step, so a backend can start the product from the bias instead of adding it in a second pass.
     * The default is the product, then the add.
     */
    default Tensor linear(Tensor x, Tensor w, Tensor b) {
        int m = x.size(0);
        int n = w.size(0);
        Tensor product = matmul(x.unsqueeze(0), w.t().unsqueeze(0)).select(0, 0);
        return binary(BinaryOp.ADD, product, b.unsqueeze(0).expand(m, n));
    }

    /**
     * {@code A·dense} for a sparse A given by its pattern and {@code values [nnz]}, dense {@code [cols, N]} of the
     * values' dtype: {@code [rows, N]}, each row summed over its entries in their stored order. The default composes
     * index select, multiply and scatter-add ({@link SparseMatmul#composed}).
     */
    default Tensor sparseMatmul(CsrPattern pattern, Tensor values, Tensor dense) {
        return SparseMatmul.composed(pattern, values, dense);
    }

    // ---- decompositions and solvers ---------------------------------------------------------------------------
    // Inputs are contiguous batches [B, m, n] of f32 or f64, computed in f64 and rounded once to the input's dtype.
    // An op that can fail reports it per matrix in an I32 "info" tensor [B] (0 = success), as LAPACK does, and
    // Tensor turns it into an error naming the batch element.

    /** {@code {inverse [B, n, n], info}}; info = i + 1 when pivot i of the matrix's LU factorisation with partial
     *  pivoting is exactly zero (the matrix is singular). */
    Tensor[] inverse(Tensor a);

    /** {@code {X [B, n, k], info}} with {@code A·X = B} for A {@code [B, n, n]}, B {@code [B, n, k]}; info as for
     *  {@link #inverse}. */
    Tensor[] solve(Tensor a, Tensor b);

    /** {@code {sign [B], log|det| [B]}} of {@code [B, n, n]} from its LU factorisation; a singular matrix has sign 0
     *  and log|det| = -inf, a 0×0 matrix sign 1 and log|det| 0. */
    Tensor[] slogdet(Tensor a);

    /** {@code {L [B, n, n], info}}: the lower factor of {@code A = L·Lᵀ}, reading only A's lower triangle; info = i
     *  when the leading minor of order i is not positive-definite (or NaN). */
    Tensor[] cholesky(Tensor a);

    /** Reduced QR of {@code [B, m, n]}: {@code {Q [B, m, k], R [B, k, n]}} with k = min(m, n), Q's columns
     *  orthonormal and R upper triangular (Householder; signs as the algorithm gives them). */
    Tensor[] qr(Tensor a);

    /** Reduced SVD of {@code [B, m, n]}: {@code {U [B, m, k], S [B, k], Vh [B, k, n], info}}, S descending and
     *  non-negative; info = 1 for a matrix with NaN or infinite values, 2 when the iteration did not converge. */
    Tensor[] svd(Tensor a);

    /** Eigendecomposition of symmetric {@code [B, n, n]} (only the lower triangle is read): {@code {eigenvalues
     *  [B, n] ascending, eigenvectors [B, n, n] as columns, info}}; info as for {@link #svd}. */
    Tensor[] eigh(Tensor a);

    // ---- indexing ---------------------------------------------------------------------------------------------

    /** Picks slices of {@code x} along {@code axis} at the 1-D integer {@code index}. */
    Tensor indexSelect(Tensor x, int axis, Tensor index);

    /** {@code out[..i..] = x[..index[..i..]..]} along {@code axis}; index has x's rank and the result's shape. */
    Tensor gather(Tensor x, int axis, Tensor index);

    /** A copy of {@code x} with {@code src} written (or added, when {@code accumulate}) at {@code index} along
     *  {@code axis}; index and src have the same shape. */
    Tensor scatter(Tensor x, int axis, Tensor index, Tensor src, boolean accumulate);

    /** A copy of {@code x} with each element of {@code src} reduced into the position {@code index} points at
     *  along {@code axis} (as {@link #scatter}); without {@code includeSelf} a position that receives any value
     *  starts from its first value instead of x's. MEAN divides by the number of values combined (floor division
     *  for integers); AMAX and AMIN propagate NaN. index and src have the same shape; src has x's dtype. */
    Tensor scatterReduce(Tensor x, int axis, Tensor index, Tensor src, ScatterReduction reduction,
                         boolean includeSelf);

    /** The least and greatest value of a non-empty I32 or I64 tensor (any strides, expanded views included), as
     *  {@code {min, max}}. The index checks call it before every index op, so a backend should find both in one
     *  pass; this default runs two reductions. */
    default long[] indexRange(Tensor index) {
        return new long[] {(long) index.min().item(), (long) index.max().item()};
    }

    // ---- convolution and pooling (contiguous NCHW, floating point) ---------------------------------------------

    Tensor conv2d(Tensor input, Tensor weight, ConvOptions o);

    /** The gradient of conv2d with respect to its input. */
    Tensor conv2dInputGrad(Tensor gradOut, Tensor weight, int[] inputShape, ConvOptions o);

    /** The gradient of conv2d with respect to its weight. */
    Tensor conv2dWeightGrad(Tensor input, Tensor gradOut, int[] weightShape, ConvOptions o);

    /** {@code {values, indices (I64, flat offsets within each H×W plane)}}. */
    Tensor[] maxPool2d(Tensor input, PoolOptions o);

    Tensor maxPool2dBackward(Tensor gradOut, Tensor indices, int[] inputShape, PoolOptions o);

    /** The values of {@link #maxPool2d} alone, when no gradient will need the indices. Optional: the default
     *  computes both and drops the indices. */
    default Tensor maxPool2dValues(Tensor input, PoolOptions o) {
        return maxPool2d(input, o)[0];
    }

    Tensor avgPool2d(Tensor input, PoolOptions o);

    Tensor avgPool2dBackward(Tensor gradOut, int[] inputShape, PoolOptions o);

    // ---- fused steps (optional: the defaults compose the ops above) ----------------------------------------------

    /** One LSTM step's pointwise part; inputs checked by {@link LstmPointwise#forward}. */
    default LstmPointwise.Step lstmCell(Tensor gates, Tensor cellPrev) {
        return LstmPointwise.composedForward(gates, cellPrev);
    }

    /** Its backward step; inputs checked by {@link LstmPointwise#backward}. */
    default LstmPointwise.Grads lstmCellBackward(Tensor activations, Tensor cellPrev, Tensor tanhCell,
                                                 Tensor gradHidden, Tensor gradCell) {
        return LstmPointwise.composedBackward(activations, cellPrev, tanhCell, gradHidden, gradCell);
    }

    /** One GRU step's pointwise part; inputs checked by {@link GruPointwise#forward}. */
    default GruPointwise.Step gruCell(Tensor inputGates, Tensor hiddenGates, Tensor hiddenPrev) {
        return GruPointwise.composedForward(inputGates, hiddenGates, hiddenPrev);
    }

    /** Its backward step; inputs checked by {@link GruPointwise#backward}. */
    default GruPointwise.Grads gruCellBackward(Tensor activations, Tensor hiddenGates, Tensor hiddenPrev,
                                               Tensor gradHidden) {
        return GruPointwise.composedBackward(activations, hiddenGates, hiddenPrev, gradHidden);
    }

    /** Each row of {@code x} {@code [R, C]} normalised; inputs checked by {@link RowNorm#forward}. */
    default RowNorm.Result normalizeRows(Tensor x, double eps) {
        return RowNorm.composedForward(x, eps);
    }

    /** Its backward step; inputs checked by {@link RowNorm#backward}. */
    default Tensor normalizeRowsBackward(Tensor grad, Tensor normalized, Tensor rstd) {
        return RowNorm.composedBackward(grad, normalized, rstd);
    }

    /** Layer normalisation {@code x̂·w + b} of each row; inputs checked by {@link RowNorm#affine}. */
    default RowNorm.AffineResult normalizeRowsAffine(Tensor x, Tensor weight, Tensor bias, double eps) {
        return RowNorm.composedAffineForward(x, weight, bias, eps);
    }

    /** Its backward step; inputs checked by {@link RowNorm#affineBackward}. */
    default RowNorm.AffineGrads normalizeRowsAffineBackward(Tensor grad, Tensor normalized, Tensor rstd,
                                                            Tensor weight) {
        return RowNorm.composedAffineBackward(grad, normalized, rstd, weight);
    }
}
