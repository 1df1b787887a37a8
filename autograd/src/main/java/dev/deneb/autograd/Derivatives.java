package dev.deneb.autograd;

import dev.deneb.tensor.BinaryOp;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Node;
import dev.deneb.tensor.Primitive;
import dev.deneb.tensor.RowNorm;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.UnaryOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every derivative rule, one short rule per primitive, side by side: exhaustive switches over {@link Primitive} and
 * the op enums inside it, so a new primitive does not compile until it has its rule here. A rule maps the gradient
 * {@code g} of an op's output to the gradients of its inputs, written with tensor ops, so that backward with
 * {@code createGraph} records them and second derivatives work. Values are read through {@link Node#input} and
 * {@link Node#output}, which check that they were not changed in place since the op ran.
 *
 * <p>Non-differentiable points follow PyTorch: relu'(0) = 0, abs'(0) = 0, sign' = 0, floor/ceil/round/trunc have
 * derivative 0, remainder/fmod take the one-sided slopes (1, -floor/trunc(a/b)) at their jumps, clamp passes the
 * gradient at its bounds, ties in max/min over several axes share the gradient equally, max/min along one axis send
 * it to the returned index, maximum/minimum split it in half between equal inputs, and norms have gradient 0 at 0.
 */
final class Derivatives {
    private Derivatives() {}

    /** The gradients of the inputs of {@code n} (null where an input needs none) from the gradient of its output. */
    static Tensor[] backward(Node n, Tensor g) {
        return switch (n.op()) {
            case Primitive.Unary u -> grads(unary(u.op(), n, g));
            case Primitive.Binary b -> binary(b.op(), n, g);
            case Primitive.Where w -> {
                Tensor cond = n.input(0);
                Tensor zero = Tensor.zerosLike(g);
                yield grads(null, Tensor.where(cond, g, zero), Tensor.where(cond, zero, g));
            }
            case Primitive.Cast c -> grads(g.to(c.from()));
            case Primitive.Transfer t -> grads(g.to(t.from()));
            case Primitive.Reduce r -> grads(reduce(r, n, g));
            case Primitive.Softmax s -> {
                Tensor y = n.output();
                yield grads(s.log()
                        ? g.sub(y.exp().mul(g.sum(new int[] {s.axis()}, true)))
                        : y.mul(g.sub(g.mul(y).sum(new int[] {s.axis()}, true))));
            }
            case Primitive.Norm nm -> grads(norm(nm, n, g));
            case Primitive.Reshape r -> grads(g.reshape(r.from()));
            case Primitive.Permute p -> grads(g.permute(inverse(p.order())));
            case Primitive.Expand e -> grads(sumTo(g, e.from()));
            case Primitive.Copy c -> grads(g);
            case Primitive.Slice s -> grads(scatterInto(s, zeros(n, 0, g), g));
            case Primitive.Diagonal d -> grads(scatterInto(d, zeros(n, 0, g), g));
            case Primitive.RegionScatter rs -> grads(
                    n.needsGrad(0) ? scatterInto(rs.region(), g, zeros(n, 1, g)) : null,
                    n.needsGrad(1) ? rs.region().of(g) : null);
            case Primitive.Cat c -> {
                Tensor[] gs = new Tensor[n.arity()];
                int at = 0;
                for (int i = 0; i < gs.length; i++) {
                    int size = n.inputShape(i)[c.axis()];
                    gs[i] = g.narrow(c.axis(), at, size);
                    at += size;
                }
                yield gs;
            }
            case Primitive.IndexSelect s -> {
                int[] shape = new int[g.dim()];
                Arrays.fill(shape, 1);
                shape[s.axis()] = s.index().numel();
                Tensor spread = s.index().reshape(shape).expand(g.shape());
                yield grads(zeros(n, 0, g).scatterAdd(s.axis(), spread, g));
            }
            case Primitive.Gather ga -> grads(zeros(n, 0, g).scatterAdd(ga.axis(), ga.index(), g));
            case Primitive.Scatter s -> grads(
                    s.accumulate() ? g : g.scatter(s.axis(), s.index(), zeros(n, 1, g)),
                    n.needsGrad(1) ? g.gather(s.axis(), s.index()) : null);
            case Primitive.Matmul m -> grads(
                    n.needsGrad(0) ? g.matmul(n.input(1).mT()) : null,
                    n.needsGrad(1) ? n.input(0).mT().matmul(g) : null);
            case Primitive.Conv2d c -> grads(
                    n.needsGrad(0) ? Tensor.conv2dInputGrad(g, n.input(1), n.inputShape(0), c.options()) : null,
                    n.needsGrad(1) ? Tensor.conv2dWeightGrad(n.input(0), g, n.inputShape(1), c.options()) : null);
            // conv2dInputGrad(g0, w) is linear in each argument; its adjoints are conv2d and conv2dWeightGrad.
            case Primitive.Conv2dInputGrad c -> grads(
                    n.needsGrad(0) ? Tensor.conv2d(g, n.input(1), null, c.options()) : null,
                    n.needsGrad(1) ? Tensor.conv2dWeightGrad(g, n.input(0), n.inputShape(1), c.options()) : null);
            case Primitive.Conv2dWeightGrad c -> grads(
                    n.needsGrad(0) ? Tensor.conv2dInputGrad(n.input(1), g, n.inputShape(0), c.options()) : null,
                    n.needsGrad(1) ? Tensor.conv2d(n.input(0), g, null, c.options()) : null);
            case Primitive.MaxPool2d p -> grads(Tensor.maxPool2dBackward(g, p.indices(), n.inputShape(0),
                    p.options()));
            case Primitive.MaxPool2dBackward p -> {
                int[] s = p.inputShape();
                Tensor idx = p.indices().reshape(s[0], s[1], -1);
                yield grads(g.reshape(s[0], s[1], -1).gather(2, idx).reshape(n.inputShape(0)));
            }
            case Primitive.AvgPool2d p -> grads(Tensor.avgPool2dBackward(g, n.inputShape(0), p.options()));
            case Primitive.AvgPool2dBackward p -> grads(g.avgPool2d(p.options()));
            // The fused kernel when only first derivatives are wanted, the composed formula (recorded) otherwise.
            case Primitive.RowNormalize r -> grads(GradMode.isEnabled()
                    ? rowNormalizeGrad(g, n.input(0), r.eps())
                    : RowNorm.backward(g, n.output(), r.rstd()));
            case Primitive.Custom c -> {
                n.checkAll();
                yield c.rule().backward(g);
            }
        };
    }

    // =========================================================================================================
    // Elementwise
    // =========================================================================================================

    private static Tensor unary(UnaryOp op, Node n, Tensor g) {
        return switch (op) {
            case NEG -> g.neg();
            case ABS -> g.mul(n.input(0).detach().sign());
            // Piecewise constant: 0 everywhere (PyTorch also gives 0 at the jumps).
            case SIGN, STEP, FLOOR, CEIL, ROUND, TRUNC -> Tensor.zerosLike(g);
            case RELU -> g.mul(n.input(0).detach().step());
            case EXP -> g.mul(n.output());
            case LOG -> g.div(n.input(0));
            case LOG1P -> g.div(n.input(0).add(1));
            case SQRT -> g.div(n.output().mul(2));
            case RSQRT -> g.mul(n.output().pow(3)).mul(-0.5);
            case SIN -> g.mul(n.input(0).cos());
            case COS -> g.mul(n.input(0).sin()).neg();
            case TANH -> {
                Tensor y = n.output();
                yield g.mul(y.mul(y).neg().add(1));
            }
            case SIGMOID -> {
                Tensor y = n.output();
                yield g.mul(y.mul(y.neg().add(1)));
            }
            // erf'(x) = 2/sqrt(pi) exp(-x^2)
            case ERF -> {
                Tensor x = n.input(0);
                yield g.mul(x.mul(x).neg().exp().mul(2 / Math.sqrt(Math.PI)));
            }
            // gelu(x) = x Phi(x), so gelu'(x) = Phi(x) + x phi(x)
            case GELU -> {
                Tensor x = n.input(0);
                Tensor cdf = x.mul(1 / Math.sqrt(2)).erf().add(1).mul(0.5);
                Tensor pdf = x.mul(x).mul(-0.5).exp().mul(1 / Math.sqrt(2 * Math.PI));
                yield g.mul(cdf.add(x.mul(pdf)));
            }
            // silu(x) = x s(x), silu'(x) = s(x) (1 + x (1 - s(x)))
            case SILU -> {
                Tensor x = n.input(0);
                Tensor s = x.sigmoid();
                yield g.mul(s.mul(x.mul(s.neg().add(1)).add(1)));
            }
            // softplus'(x) = sigmoid(x), exactly 1 above the linear threshold 20
            case SOFTPLUS -> {
                Tensor x = n.input(0);
                yield g.mul(Tensor.where(x.detach().gt(20), Tensor.onesLike(x), x.sigmoid()));
            }
            case RECIPROCAL -> {
                Tensor y = n.output();
                yield g.mul(y.mul(y)).neg();
            }
        };
    }

    private static Tensor[] binary(BinaryOp op, Node n, Tensor g) {
        boolean da = n.needsGrad(0);
        boolean db = n.needsGrad(1);
        return switch (op) {
            case ADD -> grads(g, g);
            case SUB -> grads(g, db ? g.neg() : null);
            case MUL -> grads(da ? g.mul(n.input(1)) : null, db ? g.mul(n.input(0)) : null);
            case DIV -> {
                Tensor b = n.input(1);
                yield grads(da ? g.div(b) : null, db ? g.mul(n.input(0)).div(b.mul(b)).neg() : null);
            }
            case POW -> pow(n, g, da, db);
            case MAXIMUM -> splitByComparison(n, g, true);
            case MINIMUM -> splitByComparison(n, g, false);
            // a - q(a/b)·b with q = floor (remainder) or trunc (fmod), piecewise constant: d/da = 1, d/db = -q.
            case REMAINDER -> grads(g, db ? g.mul(quotient(n, UnaryOp.FLOOR)).neg() : null);
            case FMOD -> grads(g, db ? g.mul(quotient(n, UnaryOp.TRUNC)).neg() : null);
            case EQ, NE, LT, LE, GT, GE -> throw new IllegalStateException(op.opName() + " has a bool result and is"
                    + " never recorded");
        };
    }

    /** d/da a^b = b a^(b-1); d/db a^b = a^b log a, taken as 0 where a = 0 and b >= 0 (as PyTorch). */
    private static Tensor[] pow(Node n, Tensor g, boolean da, boolean db) {
        Tensor a = n.input(0);
        Tensor b = n.input(1);
        Tensor gradA = null;
        Tensor gradB = null;
        if (da) {
            // b·a^(b-1) is 0·inf at a = 0, b = 0; PyTorch takes it as 0.
            gradA = g.mul(Tensor.where(b.detach().eq(0), Tensor.zerosLike(g), b.mul(a.pow(b.sub(1)))));
        }
        if (db) {
            Tensor aZero = a.detach().eq(0);
            Tensor zeroBase = Tensor.where(aZero, b.detach().ge(0), aZero);
            Tensor logA = Tensor.where(zeroBase, Tensor.zerosLike(g), a.log());
            gradB = g.mul(n.output()).mul(logA);
        }
        return grads(gradA, gradB);
    }

    /** {@code rounding(a / b)} of the node's inputs, a constant (its own derivative is 0). */
    private static Tensor quotient(Node n, UnaryOp rounding) {
        return n.input(0).detach().div(n.input(1).detach()).map(rounding);
    }

    /** The winner gets the gradient; equal inputs get half each. */
    private static Tensor[] splitByComparison(Node n, Tensor g, boolean max) {
        Tensor a = n.input(0).detach();
        Tensor b = n.input(1).detach();
        DType t = g.dtype();
        Tensor half = a.eq(b).to(t).mul(0.5);
        Tensor aWins = (max ? a.gt(b) : a.lt(b)).to(t).add(half);
        Tensor bWins = (max ? a.lt(b) : a.gt(b)).to(t).add(half);
        return grads(n.needsGrad(0) ? g.mul(aWins) : null, n.needsGrad(1) ? g.mul(bWins) : null);
    }

    // =========================================================================================================
    // Reductions
    // =========================================================================================================

    private static Tensor reduce(Primitive.Reduce r, Node n, Tensor g) {
        int[] xShape = n.inputShape(0);
        int[] ax = r.axes();
        Tensor spread = expandBack(g, xShape, ax, r.keepdim());
        return switch (r.op()) {
            case SUM -> spread;
            // d prod / dx_i = the product of the others: prod / x_i where x_i != 0; where x_i = 0 it is the product
            // of the non-zero others if x_i is the only zero of its slice, else 0.
            case PROD -> {
                Tensor x = n.input(0);
                Tensor isZero = x.detach().eq(0);
                Tensor safe = Tensor.where(isZero, Tensor.onesLike(x), x);
                Tensor prodNonZero = safe.prod(ax, true).expand(xShape);
                Tensor zeros = isZero.to(DType.I64).sum(ax, true).expand(xShape);
                Tensor others = Tensor.where(isZero,
                        Tensor.where(zeros.eq(1), prodNonZero, Tensor.zerosLike(x)),
                        prodNonZero.div(safe).mul(zeros.eq(0).to(x.dtype())));
                yield spread.mul(others);
            }
            // max/min over several axes: ties share the gradient equally (as PyTorch's amax).
            case MAX, MIN -> {
                Tensor out = n.output().detach();
                Tensor outK = r.keepdim() ? out : out.reshape(keptShape(xShape, ax));
                Tensor hit = n.input(0).detach().eq(outK).to(g.dtype());
                yield spread.mul(hit.div(hit.sum(ax, true)));
            }
        };
    }

    /** d|x|_p/dx = sign(x)·|x|^(p-1) / |x|_p^(p-1), taken as 0 where the norm is 0 (as PyTorch). */
    private static Tensor norm(Primitive.Norm nm, Node n, Tensor g) {
        Tensor x = n.input(0);
        int[] xShape = x.shape();
        int[] ax = nm.axes();
        Tensor spread = expandBack(g, xShape, ax, nm.keepdim());
        Tensor sign = x.detach().sign();
        if (nm.p() == 1) {
            return spread.mul(sign);
        }
        Tensor yk = expandBack(n.output(), xShape, ax, nm.keepdim());
        if (nm.p() == Double.POSITIVE_INFINITY) {
            Tensor hit = x.detach().abs().eq(yk.detach()).to(g.dtype());
            return spread.mul(sign).mul(hit.div(hit.sum(ax, true)));
        }
        Tensor slope = x.abs().pow(nm.p() - 1).mul(sign).div(yk.pow(nm.p() - 1));
        return spread.mul(Tensor.where(yk.detach().eq(0), Tensor.zerosLike(x), slope));
    }

    /** The backward step of row normalisation written with recorded ops of x (differentiable again). */
    private static Tensor rowNormalizeGrad(Tensor g, Tensor x, double eps) {
        int[] row = {1};
        Tensor centered = x.sub(x.mean(row, true));
        Tensor rstd = centered.mul(centered).mean(row, true).add(eps).rsqrt();
        Tensor xhat = centered.mul(rstd);
        return g.sub(g.mean(row, true)).sub(xhat.mul(g.mul(xhat).mean(row, true))).mul(rstd);
    }

    // =========================================================================================================
    // Helpers
    // =========================================================================================================

    private static Tensor[] grads(Tensor... g) {
        return g;
    }

    /** Zeros shaped like input {@code i}, in the gradient's dtype and backend. */
    private static Tensor zeros(Node n, int i, Tensor like) {
        return Tensor.empty(like.backend(), like.dtype(), n.inputShape(i));
    }

    /** {@code base} with {@code src} written into the region (recorded, so it can be differentiated again). */
    private static Tensor scatterInto(Primitive.Region region, Tensor base, Tensor src) {
        return switch (region) {
            case Primitive.Slice s -> base.sliceScatter(src, s.axis(), s.start(), s.end(), s.step());
            case Primitive.Diagonal d -> base.diagonalScatter(src, d.offset(), d.axis1(), d.axis2());
        };
    }

    /** The gradient summed over broadcast axes back to {@code shape}. */
    static Tensor sumTo(Tensor g, int[] shape) {
        int[] gs = g.shape();
        if (Arrays.equals(gs, shape)) {
            return g;
        }
        int lead = gs.length - shape.length;
        List<Integer> axes = new ArrayList<>();
        for (int d = 0; d < gs.length; d++) {
            if (d < lead || (shape[d - lead] == 1 && gs[d] != 1)) {
                axes.add(d);
            }
        }
        Tensor s = axes.isEmpty() ? g : g.sum(axes.stream().mapToInt(Integer::intValue).toArray(), true);
        return s.reshape(shape);
    }

    /** A reduced gradient broadcast back over the reduced axes of x. */
    private static Tensor expandBack(Tensor g, int[] xShape, int[] axes, boolean keepdim) {
        Tensor k = keepdim ? g : g.reshape(keptShape(xShape, axes));
        return k.expand(xShape);
    }

    private static int[] keptShape(int[] shape, int[] axes) {
        int[] k = shape.clone();
        for (int a : axes) {
            k[a] = 1;
        }
        return k;
    }

    private static int[] inverse(int[] order) {
        int[] inv = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            inv[order[i]] = i;
        }
        return inv;
    }
}
