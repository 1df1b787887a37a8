package dev.deneb.tensor;

/**
 * NaN and the infinities: tests that give bool masks, and their replacement by finite values. Composites of
 * comparisons and {@code where}, so {@link #nanToNum} is differentiable (gradient 1 where x is finite, else 0).
 */
final class NonFinite {
    private NonFinite() {}

    /** True where x is NaN; all false for integer and bool tensors. */
    static Tensor isnan(Tensor x) {
        if (!x.dtype().isFloating()) {
            return constant(x, false);
        }
        Tensor v = x.detach();
        return v.ne(v);
    }

    /** True where x is +inf or -inf. */
    static Tensor isinf(Tensor x) {
        if (!x.dtype().isFloating()) {
            return constant(x, false);
        }
        return x.detach().abs().eq(Double.POSITIVE_INFINITY);
    }

    /** True where x is neither NaN nor infinite; all true for integer and bool tensors. */
    static Tensor isfinite(Tensor x) {
        if (!x.dtype().isFloating()) {
            return constant(x, true);
        }
        // NaN < inf is false, so NaN is not finite.
        return x.detach().abs().lt(Double.POSITIVE_INFINITY);
    }

    /** NaN, +inf and -inf replaced by the given values (converted to x's dtype); integer tensors are copied. */
    static Tensor nanToNum(Tensor x, double nan, double posinf, double neginf) {
        if (!x.dtype().isFloating()) {
            return x.copy();
        }
        Tensor v = x.detach();
        Tensor r = Tensor.where(v.eq(Double.POSITIVE_INFINITY), fill(x, posinf), x);
        r = Tensor.where(v.eq(Double.NEGATIVE_INFINITY), fill(x, neginf), r);
        return Tensor.where(v.ne(v), fill(x, nan), r);
    }

    /** With PyTorch's defaults: NaN to 0, the infinities to the largest and lowest finite values of x's dtype. */
    static Tensor nanToNum(Tensor x) {
        double max = x.dtype() == DType.F32 ? Float.MAX_VALUE : Double.MAX_VALUE;
        return nanToNum(x, 0, max, -max);
    }

    private static Tensor fill(Tensor like, double value) {
        Tensor r = Tensor.empty(like.backend(), like.dtype());
        like.backend().fill(r, value);
        return r;
    }

    private static Tensor constant(Tensor like, boolean value) {
        Tensor r = Tensor.empty(like.backend(), DType.BOOL, like.shape());
        if (value) {
            like.backend().fill(r, 1);
        }
        return r;
    }
}
