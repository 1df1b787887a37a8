package dev.deneb.tensor;

/** Broadcasting and type promotion in front of the backend's elementwise kernels. */
final class Elementwise {
    private Elementwise() {}

    static Tensor unary(UnaryOp op, Tensor x) {
        DType t = x.dtype();
        if (t == DType.BOOL || (t.isInteger() && !op.acceptsIntegers())) {
            // bool arithmetic goes through i64; float functions of integers give f32, as in PyTorch.
            x = x.to(op.acceptsIntegers() ? DType.I64 : t.toFloating());
        }
        Tensor in = x;
        return Tape.run(new Primitive.Unary(op), () -> in.backend().unary(op, in), in);
    }

    static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        DType t = a.dtype();
        if (t == b.dtype() && a.sameShape(b) && a.backend() == b.backend() && t != DType.BOOL
                && !(op == BinaryOp.DIV && !t.isFloating())) {
            // The common case needs no broadcasting and no conversion.
            checkDivisor(op, t, b, a.numel());
            return Tape.run(new Primitive.Binary(op), () -> a.backend().binary(op, a, b), a, b);
        }
        String name = op.opName();
        Shapes.sameBackend(name, a, b);
        DType common = DType.promote(a.dtype(), b.dtype());
        if (op == BinaryOp.DIV) {
            common = common.toFloating();
        } else if (common == DType.BOOL && !op.isComparison()) {
            common = op == BinaryOp.MAXIMUM || op == BinaryOp.MINIMUM ? DType.BOOL : DType.I64;
        }
        int[] shape = Shapes.broadcast(name, a.shape(), b.shape());
        checkDivisor(op, common, b, Shapes.numel(name, shape));
        Tensor x = a.to(common).expand(shape);
        Tensor y = b.to(common).expand(shape);
        if (common == DType.BOOL) {
            // max/min and comparisons of booleans: compute on i64 and convert back.
            Tensor r = x.backend().binary(op, x.to(DType.I64), y.to(DType.I64));
            return r.to(DType.BOOL);
        }
        return Tape.run(new Primitive.Binary(op), () -> x.backend().binary(op, x, y), x, y);
    }

    /**
     * Integer remainder and fmod by zero have no value (PyTorch raises ZeroDivisionError): refused here, before any
     * kernel runs, naming the first zero of the divisor. Costs one comparison and a sum on the divisor.
     */
    private static void checkDivisor(BinaryOp op, DType common, Tensor divisor, int outputSize) {
        if (!op.isIntegerDivision() || common.isFloating() || outputSize == 0) {
            return;
        }
        Tensor zero = Tape.untracked(() -> divisor.eq(0));
        if (zero.to(DType.I64).sum().item() == 0) {
            return;
        }
        int first = (int) zero.flatten().to(DType.I64).argmax().item();
        int[] at = new int[divisor.dim()];
        int[] s = divisor.shape();
        for (int d = s.length - 1, rest = first; d >= 0; d--) {
            at[d] = rest % s[d];
            rest /= s[d];
        }
        throw new IllegalArgumentException(op.opName() + ": integer division by zero: the divisor (" + divisor.dtype()
                + " of shape " + Shapes.str(s) + ") is 0 at " + Shapes.str(at));
    }

    /** A 0-D tensor for a Java scalar next to {@code like}: same dtype for floats, f32 for a fractional scalar
     *  next to integers. */
    static Tensor scalarFor(Tensor like, double s) {
        DType t = like.dtype();
        DType dt = t.isFloating() ? t : (s == Math.rint(s) && !Double.isInfinite(s) ? (t == DType.BOOL ? DType.I64 : t)
                : DType.F32);
        Tensor r = Tensor.empty(like.backend(), dt);
        like.backend().fill(r, s);
        return r;
    }

    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        if (cond.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("where: condition must be bool, got " + cond.dtype() + " of shape "
                    + Shapes.str(cond.shape()));
        }
        Shapes.sameBackend("where", cond, a);
        Shapes.sameBackend("where", a, b);
        int[] shape = Shapes.broadcast("where", Shapes.broadcast("where", cond.shape(), a.shape()), b.shape());
        DType common = DType.promote(a.dtype(), b.dtype());
        Tensor c = cond.expand(shape);
        Tensor x = a.to(common).expand(shape);
        Tensor y = b.to(common).expand(shape);
        return Tape.run(new Primitive.Where(), () -> x.backend().where(c, x, y), c, x, y);
    }
}
