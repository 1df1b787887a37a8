package dev.deneb.tensor;

/** Reductions: argument checks, and the composite ones (mean, var, logsumexp) built from primitives. */
final class Reductions {
    private Reductions() {}

    static Tensor reduce(String name, ReduceOp op, Tensor x, int[] axes, boolean keepdim) {
        int[] ax = Shapes.axes(name, axes, x.dim());
        if (x.dim() == 0) {
            Tensor r = x.to(op.resultType(x.dtype()));
            return r == x ? x.copy() : r;
        }
        boolean extreme = op == ReduceOp.MAX || op == ReduceOp.MIN;
        if (extreme) {
            for (int a : ax) {
                if (x.shape()[a] == 0) {
                    throw new IllegalArgumentException(name + ": cannot reduce over axis " + a
                            + " of size 0 (shape " + Shapes.str(x.shape()) + "): the result has no identity");
                }
            }
        }
        if (x.dtype() == DType.BOOL && extreme) {
            Tensor in = x.to(DType.I64);
            return in.backend().reduce(op, in, ax, keepdim).to(DType.BOOL);
        }
        return Tape.run(new Primitive.Reduce(op, ax, keepdim), () -> x.backend().reduce(op, x, ax, keepdim), x);
    }

    /** Values and indices along one axis; the values are recorded as the gather of x at the indices. */
    static ValuesIndices argReduce(String name, ReduceOp op, Tensor x, int axis, boolean keepdim) {
        Tensor in = x.dim() == 0 ? x.reshape(1) : x;
        int a = Shapes.axis(name, axis, in.dim());
        if (in.shape()[a] == 0) {
            throw new IllegalArgumentException(name + ": cannot take the " + op.name().toLowerCase() + " over axis " + a
                    + " of size 0 (shape " + Shapes.str(x.shape()) + ")");
        }
        Tensor src = in.dtype() == DType.BOOL ? in.to(DType.I64) : in;
        Tensor[] r = Tape.untracked(() -> src.backend().argReduce(op, src, a, true));
        Tensor values = Tape.record(new Primitive.Gather(a, r[1]), r[0], src);
        if (in.dtype() == DType.BOOL) {
            values = values.to(DType.BOOL);
        }
        Tensor indices = r[1];
        if (!keepdim) {
            values = values.squeeze(a);
            indices = indices.squeeze(a);
        }
        if (x.dim() == 0) {
            return new ValuesIndices(values.reshape(), indices.reshape());
        }
        return new ValuesIndices(values, indices);
    }

    static Tensor mean(Tensor x, int[] axes, boolean keepdim) {
        requireFloating("mean", x);
        int[] ax = Shapes.axes("mean", axes, x.dim());
        return reduce("mean", ReduceOp.SUM, x, ax, keepdim).div(count(x, ax));
    }

    static Tensor var(String name, Tensor x, int[] axes, int correction, boolean keepdim) {
        requireFloating(name, x);
        if (correction < 0) {
            throw new IllegalArgumentException(name + ": correction must be >= 0, got " + correction);
        }
        int[] ax = Shapes.axes(name, axes, x.dim());
        Tensor centered = x.sub(mean(x, ax, true));
        // n - correction <= 0 gives inf or NaN, as in PyTorch.
        return reduce(name, ReduceOp.SUM, centered.mul(centered), ax, keepdim).div(count(x, ax) - correction);
    }

    static Tensor logsumexp(Tensor x, int[] axes, boolean keepdim) {
        requireFloating("logsumexp", x);
        int[] ax = Shapes.axes("logsumexp", axes, x.dim());
        if (count(x, ax) == 0) {
            // The log of an empty sum, as PyTorch gives it.
            return Tensor.full(Double.NEGATIVE_INFINITY, x.dtype(), Shapes.reduced(x.shape(), ax, keepdim));
        }
        // The shift is a constant: the result does not depend on it, so no gradient flows through it.
        Tensor m = reduce("logsumexp", ReduceOp.MAX, x.detach(), ax, true);
        // Where the max is ±inf, shift by 0 instead so inf - inf does not make NaN.
        Tensor shift = Tensor.where(m.abs().eq(Double.POSITIVE_INFINITY), Tensor.zerosLike(m), m);
        Tensor s = reduce("logsumexp", ReduceOp.SUM, x.sub(shift).exp(), ax, true).log().add(shift);
        return keepdim ? s : s.reshape(Shapes.reduced(x.shape(), ax, false));
    }

    /** The p-norm: a primitive (its rule is 0 where the norm is 0), computed by the composite formula. */
    static Tensor norm(Tensor x, double p, int[] axes, boolean keepdim) {
        requireFloating("norm", x);
        int[] ax = Shapes.axes("norm", axes, x.dim());
        if (!(p > 0)) {
            throw new IllegalArgumentException("norm: p must be positive (or +inf), got " + p);
        }
        return Tape.run(new Primitive.Norm(p, ax, keepdim), () -> normValue(x, p, ax, keepdim), x);
    }

    private static Tensor normValue(Tensor x, double p, int[] ax, boolean keepdim) {
        if (p == Double.POSITIVE_INFINITY) {
            return reduce("norm", ReduceOp.MAX, x.abs(), ax, keepdim);
        }
        if (p == 2) {
            return reduce("norm", ReduceOp.SUM, x.mul(x), ax, keepdim).sqrt();
        }
        if (p == 1) {
            return reduce("norm", ReduceOp.SUM, x.abs(), ax, keepdim);
        }
        return reduce("norm", ReduceOp.SUM, x.abs().pow(p), ax, keepdim).pow(1.0 / p);
    }

    static Tensor softmax(Tensor x, int axis, boolean log) {
        String name = log ? "logSoftmax" : "softmax";
        requireFloating(name, x);
        if (x.dim() == 0) {
            return softmax(x.reshape(1), 0, log).reshape();
        }
        int a = Shapes.axis(name, axis, x.dim());
        return Tape.run(new Primitive.Softmax(a, log), () -> x.backend().softmax(x, a, log), x);
    }

    static int count(Tensor x, int[] axes) {
        int n = 1;
        for (int a : axes) {
            n *= x.shape()[a];
        }
        return n;
    }

    private static void requireFloating(String op, Tensor x) {
        Shapes.requireFloating(op, x);
    }
}
