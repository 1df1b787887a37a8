package dev.deneb.tensor;

/**
 * Sorting along an axis: argsort is the backend's stable permutation; sort and topk gather the values at it, so
 * they are recorded as a gather and need no rule of their own. NaN sorts as the largest value, as in PyTorch.
 */
final class Sorting {
    private Sorting() {}

    static Tensor argsort(Tensor x, int axis, boolean descending) {
        return permutation("argsort", x, axis, descending);
    }

    static ValuesIndices sort(Tensor x, int axis, boolean descending) {
        Tensor in = x.dim() == 0 ? x.reshape(1) : x;
        int a = Shapes.axis("sort", axis, in.dim());
        Tensor idx = permutation("sort", in, a, descending);
        return result(x, in, a, idx);
    }

    /** The k largest (or smallest) along the axis, in order; ties keep their order, as a stable sort does. */
    static ValuesIndices topk(Tensor x, int k, int axis, boolean largest) {
        Tensor in = x.dim() == 0 ? x.reshape(1) : x;
        int a = Shapes.axis("topk", axis, in.dim());
        int n = in.shape()[a];
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("topk: k = " + k + " is out of range for axis " + a + " of size " + n
                    + " (shape " + Shapes.str(x.shape()) + "); expected 0 .. " + n);
        }
        Tensor idx = permutation("topk", in, a, largest).narrow(a, 0, k);
        return result(x, in, a, idx);
    }

    /** The stable sorting permutation (I64, never recorded); 0-D counts as one element. */
    private static Tensor permutation(String op, Tensor x, int axis, boolean descending) {
        Tensor in = x.detach();
        if (in.dim() == 0) {
            Shapes.axis(op, axis, 1);
            return in.backend().argsort(in.reshape(1), 0, descending).reshape();
        }
        int a = Shapes.axis(op, axis, in.dim());
        return in.backend().argsort(in, a, descending);
    }

    /** The values at the (valid) indices, recorded as a gather so that they are differentiable. */
    private static ValuesIndices result(Tensor x, Tensor in, int axis, Tensor idx) {
        Tensor values = Tape.run(new Primitive.Gather(axis, idx), () -> in.backend().gather(in, axis, idx), in);
        // A 0-D input gives 0-D results (topk with k = 0 leaves them empty and 1-D).
        return x.dim() == 0 && idx.numel() == 1 ? new ValuesIndices(values.reshape(), idx.reshape())
                : new ValuesIndices(values, idx);
    }
}
