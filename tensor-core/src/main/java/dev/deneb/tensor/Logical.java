package dev.deneb.tensor;

/**
 * Truth tests over elements: {@code any} (some element is non-zero) and {@code all} (every element is non-zero),
 * with bool results; NaN counts as non-zero, as in PyTorch. Written as a comparison and an integer sum, so an empty
 * reduction gives {@code any = false} and {@code all = true}.
 */
final class Logical {
    private Logical() {}

    /** {@code axes} empty: over all elements. */
    static Tensor any(Tensor x, int[] axes, boolean keepdim) {
        Tensor nonZero = x.detach().ne(0);
        return Reductions.reduce("any", ReduceOp.SUM, nonZero, axes, keepdim).gt(0);
    }

    static Tensor all(Tensor x, int[] axes, boolean keepdim) {
        Tensor zero = x.detach().eq(0);
        return Reductions.reduce("all", ReduceOp.SUM, zero, axes, keepdim).eq(0);
    }
}
