package dev.deneb.tensor;

/**
 * Every op the autograd tape records: the primitives. Named and composite ops ({@code mean}, {@code var},
 * {@code clamp}, {@code stack}, {@code linear}…) are written once in terms of these and are recorded piece by piece,
 * so only primitives need a derivative rule. The rules (autograd's {@code Derivatives}) switch over this sealed
 * family and over the op enums inside it, so the compiler lists every place a new primitive needs.
 *
 * <p>A node's inputs are the tensors it was computed from, in the order each record documents; attributes a rule
 * needs (axes, shapes, the indices of a gather) are the record's components.
 */
public sealed interface Primitive {
    /** The op's name in messages, e.g. {@code "matmul"}. */
    String name();

    // ---- elementwise (inputs of one broadcast shape and one dtype) ------------------------------------------------

    /** {@code op(x)}. */
    record Unary(UnaryOp op) implements Primitive {
        public String name() { return op.opName(); }
    }

    /** {@code op(a, b)}. */
    record Binary(BinaryOp op) implements Primitive {
        public String name() { return op.opName(); }
    }

    /** {@code cond ? a : b}; inputs cond, a, b. */
    record Where() implements Primitive {
        public String name() { return "where"; }
    }

    /** A dtype conversion from {@code from}. */
    record Cast(DType from) implements Primitive {
        public String name() { return "to"; }
    }

    /** A copy from another backend. */
    record Transfer(Backend from) implements Primitive {
        public String name() { return "to"; }
    }

    // ---- reductions and scans --------------------------------------------------------------------------------------

    /** SUM, PROD, MAX or MIN over {@code axes} (normalised, sorted). */
    record Reduce(ReduceOp op, int[] axes, boolean keepdim) implements Primitive {
        public String name() { return op.name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** Softmax or log-softmax along {@code axis}. */
    record Softmax(int axis, boolean log) implements Primitive {
        public String name() { return log ? "logSoftmax" : "softmax"; }
    }

    /** Running SUM (cumsum) or PROD (cumprod) along {@code axis}. */
    record Cumulative(ReduceOp op, int axis) implements Primitive {
        public String name() { return op == ReduceOp.SUM ? "cumsum" : "cumprod"; }
    }

    /** The p-norm over {@code axes}; its own rule gives 0 where the norm is 0, as PyTorch does. */
    record Norm(double p, int[] axes, boolean keepdim) implements Primitive {
        public String name() { return "norm"; }
    }

    // ---- views and copies ------------------------------------------------------------------------------------------

    /** The same elements in another shape; {@code from} is the input's shape. */
    record Reshape(int[] from) implements Primitive {
        public String name() { return "reshape"; }
    }

    /** Axes reordered: axis i of the output is axis {@code order[i]} of the input. */
    record Permute(int[] order) implements Primitive {
        public String name() { return "permute"; }
    }

    /** A broadcast view; {@code from} is the input's shape. */
    record Expand(int[] from) implements Primitive {
        public String name() { return "expand"; }
    }

    /** A copy (clone, contiguous). */
    record Copy() implements Primitive {
        public String name() { return "copy"; }
    }

    /** A view of part of a tensor's elements, none of them twice; its adjoint writes into that part. */
    sealed interface Region extends Primitive {
        /** The view of {@code t} (recorded when {@code t} requires grad). */
        Tensor of(Tensor t);
    }

    /** Elements {@code start, start+step, …} below {@code end} along {@code axis} (bounds already clamped). */
    record Slice(int axis, int start, int end, int step) implements Region {
        public String name() { return "slice"; }
        public Tensor of(Tensor t) { return t.slice(axis, start, end, step); }
    }

    /** The diagonal at {@code offset} of the planes spanned by two axes, as a new last axis. */
    record Diagonal(int offset, int axis1, int axis2) implements Region {
        public String name() { return "diagonal"; }
        public Tensor of(Tensor t) { return t.diagonal(offset, axis1, axis2); }
    }

    /** A copy of {@code base} with {@code src} written into {@code region}; inputs base, src. */
    record RegionScatter(Region region) implements Primitive {
        public String name() { return region.name() + "Scatter"; }
    }

    /** Concatenation of the inputs (one dtype) along {@code axis}. */
    record Cat(int axis) implements Primitive {
        public String name() { return "cat"; }
    }

    // ---- indexing --------------------------------------------------------------------------------------------------

    /** Slices at the 1-D i64 {@code index} along {@code axis}. */
    record IndexSelect(int axis, Tensor index) implements Primitive {
        public String name() { return "indexSelect"; }
    }

    /** {@code out[..i..] = x[..index[..i..]..]} along {@code axis} (also the values of max/min along an axis). */
    record Gather(int axis, Tensor index) implements Primitive {
        public String name() { return "gather"; }
    }

    /** A copy of x with src written (or, {@code accumulate}, added) at {@code index}; inputs x, src (index's shape). */
    record Scatter(int axis, Tensor index, boolean accumulate) implements Primitive {
        public String name() { return accumulate ? "scatterAdd" : "scatter"; }
    }

    /** A copy of x with src reduced into it at {@code index}; inputs x, src (index's shape). */
    record ScatterReduce(int axis, Tensor index, ScatterReduction reduction, boolean includeSelf)
            implements Primitive {
        public String name() { return "scatterReduce"; }
    }

    // ---- linear algebra --------------------------------------------------------------------------------------------

    /** Batched {@code [B, M, K]·[B, K, N]}. */
    record Matmul() implements Primitive {
        public String name() { return "matmul"; }
    }

    /** A linear layer's {@code x·wᵀ + b}: inputs x {@code [M, K]}, w {@code [N, K]}, b {@code [N]}. */
    record Linear() implements Primitive {
        public String name() { return "linear"; }
    }

    /** A sparse (CSR) matrix times a dense one (see {@link CsrMatrix}): inputs values {@code [nnz]}, dense
     *  {@code [cols, N]}. */
    record SparseMatmul(CsrPattern pattern) implements Primitive {
        public String name() { return "sparseMatmul"; }
    }

    // Decompositions and solvers: inputs and outputs folded to one batch axis, [B, m, n]. A decomposition with
    // several results records one packed output; the results are views of it, so gradients reaching any of them
    // meet in one packed gradient (row i holds the i-th vector of each factor and its value).

    /** The inverse; input A {@code [B, n, n]}. */
    record Inverse() implements Primitive {
        public String name() { return "inverse"; }
    }

    /** X with {@code A·X = B}; inputs A {@code [B, n, n]}, B {@code [B, n, k]}. */
    record Solve() implements Primitive {
        public String name() { return "solve"; }
    }

    /** {@code log|det A|} {@code [B]}; the sign (of the batch shape the user sees) is not differentiable and rides
     *  along. */
    record Slogdet(Tensor sign) implements Primitive {
        public String name() { return "slogdet"; }
    }

    /** The lower Cholesky factor L of a symmetric positive-definite A = L·Lᵀ (A's lower triangle is read). */
    record Cholesky() implements Primitive {
        public String name() { return "cholesky"; }
    }

    /** Eigenvectors and eigenvalues of a symmetric A {@code [B, n, n]}, packed {@code [B, n, n + 1]}: row i is the
     *  eigenvector v_i (V's column i) followed by λ_i. */
    record Eigh() implements Primitive {
        public String name() { return "eigh"; }
    }

    /** Reduced QR of {@code [B, m, n]} (k = min(m, n)), packed {@code [B, k, m + n]}: row i is Q's column i followed
     *  by R's row i. */
    record Qr() implements Primitive {
        public String name() { return "qr"; }
    }

    /** Reduced SVD of {@code [B, m, n]}, packed {@code [B, k, m + 1 + n]}: row i is U's column i, σ_i, Vh's row i. */
    record Svd() implements Primitive {
        public String name() { return "svd"; }
    }

    // ---- convolution and pooling (NCHW) ----------------------------------------------------------------------------

    /** Inputs x, w. */
    record Conv2d(ConvOptions options) implements Primitive {
        public String name() { return "conv2d"; }
    }

    /** The adjoint of conv2d in its input; inputs gradOut, w. */
    record Conv2dInputGrad(ConvOptions options, int[] inputShape) implements Primitive {
        public String name() { return "conv2dInputGrad"; }
    }

    /** The adjoint of conv2d in its weight; inputs x, gradOut. */
    record Conv2dWeightGrad(ConvOptions options, int[] weightShape) implements Primitive {
        public String name() { return "conv2dWeightGrad"; }
    }

    /** Max pooling; {@code indices} are where each value came from within its plane. */
    record MaxPool2d(PoolOptions options, Tensor indices) implements Primitive {
        public String name() { return "maxPool2d"; }
    }

    /** The adjoint of max pooling: gradOut routed to {@code indices}. */
    record MaxPool2dBackward(PoolOptions options, Tensor indices, int[] inputShape) implements Primitive {
        public String name() { return "maxPool2dBackward"; }
    }

    record AvgPool2d(PoolOptions options) implements Primitive {
        public String name() { return "avgPool2d"; }
    }

    /** The adjoint of average pooling. */
    record AvgPool2dBackward(PoolOptions options, int[] inputShape) implements Primitive {
        public String name() { return "avgPool2dBackward"; }
    }

    // ---- fused steps -----------------------------------------------------------------------------------------------

    /** Rows normalised to zero mean and unit variance (see {@link RowNorm}); {@code rstd} is saved for backward. */
    record RowNormalize(double eps, Tensor rstd) implements Primitive {
        public String name() { return "rowNormalize"; }
    }

    /**
     * Layer normalisation of rows with a per-column weight and bias, {@code y = x̂·w + b} (see
     * {@link RowNorm#affine}); inputs x {@code [R, C]}, w and b {@code [C]}; {@code normalized} (x̂) and {@code rstd}
     * are saved for backward.
     */
    record AffineRowNormalize(double eps, Tensor normalized, Tensor rstd) implements Primitive {
        public String name() { return "layerNorm"; }
    }

    // ---- user-defined ----------------------------------------------------------------------------------------------

    /**
     * An op with its own backward rule (like PyTorch's {@code autograd.Function}). {@code form} describes the op
     * for exporters (such as ONNX's) that cannot run the rule; null when it has no other form.
     */
    record Custom(String name, BackwardRule rule, Object form) implements Primitive {
        public Custom(String name, BackwardRule rule) {
            this(name, rule, null);
        }
    }
}
