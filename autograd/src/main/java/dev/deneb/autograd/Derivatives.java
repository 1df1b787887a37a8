package dev.deneb.autograd;

import dev.deneb.tensor.BinaryOp;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Node;
import dev.deneb.tensor.Primitive;
import dev.deneb.tensor.RowNorm;
import dev.deneb.tensor.SoftmaxGrad;
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
 * Decompositions follow PyTorch's formulas: cholesky and eigh (which read only the lower triangle) return the
 * symmetric gradient; eigenvector and singular-vector gradients need distinct values (and QR a full-rank input) and
 * are refused with an error, never returned wrong, where that fails exactly; log|det| is refused at a singular
 * matrix.
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
            // The fused kernel when only first derivatives are wanted, the composed formula (recorded) otherwise.
            case Primitive.Softmax s -> grads(GradMode.isEnabled()
                    ? SoftmaxGrad.composed(g, n.output(), s.axis(), s.log())
                    : SoftmaxGrad.backward(g, n.output(), s.axis(), s.log()));
            case Primitive.Norm nm -> grads(norm(nm, n, g));
            case Primitive.Cumulative c -> grads(cumulative(c, n, g));
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
            case Primitive.ScatterReduce s -> scatterReduce(s, n, g);
            case Primitive.Matmul m -> grads(
                    n.needsGrad(0) ? g.matmul(n.input(1).mT()) : null,
                    n.needsGrad(1) ? n.input(0).mT().matmul(g) : null);
            case Primitive.Linear l -> grads(
                    n.needsGrad(0) ? g.matmul(n.input(1)) : null,
                    n.needsGrad(1) ? g.mT().matmul(n.input(0)) : null,
                    n.needsGrad(2) ? g.sum(0) : null);
            // out = A·B with A sparse: dB = Aᵀ·g (Aᵀ's values are A's, reordered); dA at each stored entry (r, c) is
            // g[r]·B[c], the rows of g and B paired up entry by entry.
            case Primitive.SparseMatmul s -> {
                Tensor values = n.input(0);
                Tensor dense = n.input(1);
                yield grads(
                        n.needsGrad(0) ? g.indexSelect(0, s.pattern().entryRows().to(g.backend()))
                                .mul(dense.indexSelect(0, s.pattern().columns().to(g.backend())))
                                .sum(new int[] {1}, false) : null,
                        n.needsGrad(1) ? Tensor.sparseMatmul(s.pattern().transpose(),
                                values.indexSelect(0, s.pattern().transposeOrder().to(g.backend())), g) : null);
            }
            case Primitive.Inverse i -> {
                Tensor yT = n.output().mT();
                yield grads(yT.matmul(g).matmul(yT).neg());
            }
            case Primitive.Solve s -> {
                Tensor gB = Tensor.solve(n.input(0).mT(), g);
                yield grads(n.needsGrad(0) ? gB.matmul(n.output().mT()).neg() : null, n.needsGrad(1) ? gB : null);
            }
            case Primitive.Slogdet s -> grads(slogdetGrad(s, n, g));
            case Primitive.Cholesky c -> grads(choleskyGrad(n, g));
            case Primitive.Eigh e -> grads(eighGrad(n, g));
            case Primitive.Qr q -> grads(qrGrad(n, g));
            case Primitive.Svd s -> grads(svdGrad(n, g));
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
            case Primitive.AffineRowNormalize r -> {
                RowNorm.AffineGrads a;
                if (GradMode.isEnabled()) {
                    // Recorded, the statistics recomputed from x, so second derivatives reach x through them.
                    RowNorm.Result f = RowNorm.composedForward(n.input(0), r.eps());
                    a = RowNorm.composedAffineBackward(g, f.normalized(), f.rstd(), n.input(1));
                } else {
                    a = RowNorm.affineBackward(g, r.normalized(), r.rstd(), n.input(1).detach());
                }
                yield grads(a.input(), a.weight(), a.bias());
            }
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
            case RELU -> {
                Tensor mask = n.input(0).detach().step();
                // First derivatives only: g·mask written into the fresh mask, one activation-sized tensor, not two.
                yield GradMode.isEnabled() || mask.dtype() != g.dtype() ? g.mul(mask) : mask.mulInPlace(g);
            }
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
            // hardswish'(x) = 0 below -3, (2x + 3)/6 between, 1 above 3
            case HARDSWISH -> {
                Tensor x = n.input(0);
                Tensor mid = x.mul(2).add(3).div(6);
                yield g.mul(Tensor.where(x.lt(-3), Tensor.zerosLike(x), Tensor.where(x.gt(3), Tensor.onesLike(x), mid)));
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

    // =========================================================================================================
    // Scans
    // =========================================================================================================

    private static Tensor cumulative(Primitive.Cumulative c, Node n, Tensor g) {
        int axis = c.axis();
        return switch (c.op()) {
            // y_m = sum_{k <= m} x_k, so dx_k = sum_{m >= k} g_m: the reverse running sum.
            case SUM -> reverseCumsum(g, axis);
            case PROD -> cumprod(n.input(0), n.output(), g, axis);
            case MAX, MIN -> throw new IllegalStateException("a running " + c.op() + " is never recorded");
        };
    }

    /**
     * dx_k = sum_{m >= k} g_m prod_{j <= m, j != k} x_j. Without zeros along the axis that is
     * {@code reverseCumsum(g y)_k / x_k}, as PyTorch computes it. With zeros it is P_k R_k, where P_k = y_{k-1} is
     * the product before k and R_k = g_k + x_{k+1} R_{k+1}: products only, so it is exact at zeros and stays a
     * polynomial in x (second derivatives are right too), at the cost of one small recorded step per position.
     */
    private static Tensor cumprod(Tensor x, Tensor y, Tensor g, int axis) {
        int len = x.shape()[axis];
        if (len == 0 || x.detach().eq(0).sum().item() == 0) {
            return reverseCumsum(g.mul(y), axis).div(x);
        }
        Tensor[] r = new Tensor[len];
        r[len - 1] = g.narrow(axis, len - 1, 1);
        for (int k = len - 2; k >= 0; k--) {
            r[k] = g.narrow(axis, k, 1).add(x.narrow(axis, k + 1, 1).mul(r[k + 1]));
        }
        Tensor before = Tensor.cat(axis, Tensor.onesLike(g.narrow(axis, 0, 1)), y.narrow(axis, 0, len - 1));
        return before.mul(Tensor.cat(axis, r));
    }

    /** {@code out_k = sum_{m >= k} t_m} along the axis, written with recorded ops (flip, cumsum, flip). */
    private static Tensor reverseCumsum(Tensor t, int axis) {
        return t.flip(axis).cumsum(axis).flip(axis);
    }

    // =========================================================================================================
    // Scatter reductions (PyTorch's scatter_reduce_backward)
    // =========================================================================================================

    /**
     * sum: x keeps g, src gets g at its target. mean: both divided by the number of values each position combined.
     * amax/amin: g shared evenly among the values that equal the result (x's own only when included). Without
     * includeSelf, x's gradient is 0 wherever a value was scattered.
     */
    private static Tensor[] scatterReduce(Primitive.ScatterReduce s, Node n, Tensor g) {
        int axis = s.axis();
        Tensor index = s.index();
        boolean dsrc = n.needsGrad(1);
        Tensor[] gs = switch (s.reduction()) {
            case SUM -> grads(g, dsrc ? g.gather(axis, index) : null);
            case MEAN -> {
                Tensor self = s.includeSelf() ? Tensor.onesLike(g) : Tensor.zerosLike(g);
                Tensor count = self.scatterAdd(axis, index, filled(g, index.shape(), 1)).maximum(1);
                Tensor share = g.div(count);
                yield grads(share, dsrc ? share.gather(axis, index) : null);
            }
            case AMAX, AMIN -> {
                Tensor y = n.output().detach();
                Tensor selfHit = n.input(0).detach().eq(y).to(g.dtype());
                if (!s.includeSelf()) {
                    selfHit = selfHit.scatter(axis, index, filled(g, index.shape(), 0));
                }
                Tensor srcHit = n.input(1).detach().eq(y.gather(axis, index)).to(g.dtype());
                Tensor share = g.div(selfHit.scatterAdd(axis, index, srcHit).maximum(1));
                yield grads(share.mul(selfHit), dsrc ? share.gather(axis, index).mul(srcHit) : null);
            }
        };
        if (!n.needsGrad(0)) {
            gs[0] = null;
        } else if (!s.includeSelf()) {
            // x's own values did not take part where something was scattered (already so for amax/amin).
            gs[0] = gs[0].scatter(axis, index, filled(g, index.shape(), 0));
        }
        return gs;
    }

    /** A tensor of {@code shape} filled with {@code value}, in the gradient's dtype and backend. */
    private static Tensor filled(Tensor like, int[] shape, double value) {
        return Tensor.empty(like.backend(), like.dtype(), shape).fill(value);
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
    // Decompositions (on folded batches [B, m, n]; packed layouts in Primitive)
    // =========================================================================================================

    /** d log|det A| / dA = A^{-T}; infinite at a singular A, where it is refused. */
    private static Tensor slogdetGrad(Primitive.Slogdet s, Node n, Tensor g) {
        double[] sign = s.sign().toDoubleArray();
        int[] batch = s.sign().shape();
        for (int b = 0; b < sign.length; b++) {
            if (sign[b] == 0) {
                int[] index = new int[batch.length];
                for (int d = batch.length - 1, rest = b; d >= 0; d--) {
                    index[d] = rest % batch[d];
                    rest /= batch[d];
                }
                String which = batch.length == 0 ? "the matrix" : "the matrix at batch index "
                        + Arrays.toString(index);
                throw new IllegalStateException("slogdet backward: " + which + " is singular (log|det| = -inf), where"
                        + " the gradient of log|det| is infinite; the gradient of det at a singular matrix is not"
                        + " supported either");
            }
        }
        Tensor a = n.input(0);
        return g.reshape(n.inputShape(0)[0], 1, 1).mul(a.inverse().mT());
    }

    /**
     * Murray (2016), as PyTorch's cholesky_backward: Φ = L^T·gL with its upper triangle cleared and its diagonal
     * halved, gA = sym(L^{-T}·Φ·L^{-1}). The gradient is symmetric, that of A as a symmetric matrix (A's upper
     * triangle is not read, so this is the gradient of functions of symmetric inputs such as M·M^T).
     */
    private static Tensor choleskyGrad(Node n, Tensor g) {
        Tensor l = n.output();
        Tensor lt = l.mT();
        Tensor phi = lt.matmul(g).mul(triangle(l.size(-1), true, 0.5, g));
        Tensor ltInvPhi = Tensor.solve(lt, phi);
        Tensor ga = Tensor.solve(lt, ltInvPhi.mT()).mT();
        return ga.add(ga.mT()).mul(0.5);
    }

    /**
     * With A = V·diag(λ)·V^T: gA = V·(diag(gλ) + F ∘ skew(V^T·gV))·V^T, F_ij = 1/(λ_j − λ_i) off the diagonal
     * (symmetric, as PyTorch). Defined for distinct eigenvalues; where two are exactly equal the eigenvector
     * gradient is refused unless its term there is zero (so eigenvalue-only losses work for any symmetric A).
     */
    private static Tensor eighGrad(Node n, Tensor g) {
        Tensor p = n.output();
        int size = p.size(-2);
        Tensor v = p.narrow(-1, 0, size).mT();
        Tensor lambda = p.select(-1, size);
        Tensor gv = g.narrow(-1, 0, size).mT();
        Tensor gl = g.select(-1, size);
        Tensor x = v.mT().matmul(gv);
        Tensor skew = x.sub(x.mT()).mul(0.5);
        Tensor e = lambda.unsqueeze(-2).sub(lambda.unsqueeze(-1));
        Tensor inner = skew.mul(reciprocalOffTies("eigh", "eigenvalues", e, skew)).add(diagEmbed(gl));
        return v.matmul(inner).matmul(v.mT());
    }

    /**
     * PyTorch's linalg_qr_backward. For m >= n: with M = gR·R^T − Q^T·gQ, gA = (gQ + Q·copyltu(M))·R^{-T}, where
     * copyltu mirrors M's upper triangle (diagonal once). For m < n, A = [X | Y] with X = Q·R1 square and
     * R2 = Q^T·Y: gY = Q·gR2 and gX is the square case with gQ + Y·gR2^T. R must be invertible (A of full rank).
     */
    private static Tensor qrGrad(Node n, Tensor g) {
        Tensor p = n.output();
        int m = n.inputShape(0)[1];
        int cols = n.inputShape(0)[2];
        Tensor q = p.narrow(-1, 0, m).mT();
        Tensor r = p.narrow(-1, m, cols);
        Tensor gq = g.narrow(-1, 0, m).mT();
        Tensor gr = g.narrow(-1, m, cols);
        try {
            if (m >= cols) {
                return qrTallGrad(q, r, gq, gr);
            }
            Tensor y = n.input(0).narrow(-1, m, cols - m);
            Tensor gr2 = gr.narrow(-1, m, cols - m);
            Tensor gx = qrTallGrad(q, r.narrow(-1, 0, m), gq.add(y.matmul(gr2.mT())), gr.narrow(-1, 0, m));
            return Tensor.cat(-1, gx, q.matmul(gr2));
        } catch (IllegalArgumentException e) {
            if (!String.valueOf(e.getMessage()).contains("singular")) {
                throw e;
            }
            throw new IllegalStateException("qr backward: R has a zero on its diagonal (the input does not have full"
                    + " rank), where the QR decomposition is not differentiable", e);
        }
    }

    private static Tensor qrTallGrad(Tensor q, Tensor r, Tensor gq, Tensor gr) {
        Tensor mm = gr.matmul(r.mT()).sub(q.mT().matmul(gq));
        Tensor upper = mm.mul(triangle(r.size(-1), false, 0.5, mm));
        Tensor b = gq.add(q.matmul(upper.add(upper.mT())));
        return Tensor.solve(r, b.mT()).mT();
    }

    /**
     * PyTorch's svd_backward (reduced, real): with E_jk = σ_k² − σ_j², gA = U·[(skew(U^T·gU)·S + S·skew(V^T·gV)) / E
     * + diag(gS)]·Vh, plus (I − U·U^T)·gU·S^{-1}·Vh when m > n, or U·S^{-1}·gVh·(I − V·V^T) when m < n (skew(X) =
     * X − X^T here). Through S alone it is U·diag(gS)·Vh for any A; the U and Vh terms need distinct singular values
     * (and non-zero ones when m != n): where those fail exactly, a non-zero U or Vh gradient is refused.
     */
    private static Tensor svdGrad(Node n, Tensor g) {
        Tensor p = n.output();
        int m = n.inputShape(0)[1];
        int cols = n.inputShape(0)[2];
        Tensor u = p.narrow(-1, 0, m).mT();
        Tensor s = p.select(-1, m);
        Tensor vh = p.narrow(-1, m + 1, cols);
        Tensor gu = g.narrow(-1, 0, m).mT();
        Tensor gs = g.select(-1, m);
        Tensor gvh = g.narrow(-1, m + 1, cols);
        Tensor uhgu = u.mT().matmul(gu);
        Tensor vhgv = vh.matmul(gvh.mT());
        Tensor s2 = s.mul(s);
        Tensor e = s2.unsqueeze(-2).sub(s2.unsqueeze(-1));
        Tensor num = uhgu.sub(uhgu.mT()).mul(s.unsqueeze(-2)).add(s.unsqueeze(-1).mul(vhgv.sub(vhgv.mT())));
        Tensor inner = num.mul(reciprocalOffTies("svd", "singular values", e, num)).add(diagEmbed(gs));
        if (m > cols) {
            Tensor projected = gu.sub(u.matmul(u.mT().matmul(gu)));
            Tensor scaled = projected.mul(reciprocalOffTies("svd", "singular values (zero)", s.unsqueeze(-2),
                    projected));
            return u.matmul(inner).add(scaled).matmul(vh);
        }
        if (m < cols) {
            Tensor projected = gvh.sub(gvh.matmul(vh.mT()).matmul(vh));
            Tensor scaled = projected.mul(reciprocalOffTies("svd", "singular values (zero)", s.unsqueeze(-1),
                    projected));
            return u.matmul(inner.matmul(vh).add(scaled));
        }
        return u.matmul(inner).matmul(vh);
    }

    /**
     * 1/d where d != 0 and 0 where d is exactly 0 (the diagonal of a difference matrix, or a tie), differentiable
     * in d. At a zero of d the term it multiplies, {@code num} (broadcast with d), must be zero too; otherwise the
     * gradient is undefined there and is refused rather than returned wrong.
     */
    private static Tensor reciprocalOffTies(String op, String what, Tensor d, Tensor num) {
        Tensor zero = d.detach().eq(0);
        Tensor hit = Tensor.where(zero, num.detach(), Tensor.zerosLike(num.detach())).abs().sum();
        if (hit.item() != 0) {
            throw new IllegalStateException(op + " backward: the gradient is not defined for equal " + what + " when"
                    + " the loss depends on the corresponding vectors (only the values, or distinct ones, are"
                    + " supported)");
        }
        Tensor safe = Tensor.where(zero, Tensor.onesLike(d), d);
        return Tensor.where(zero, Tensor.zerosLike(d), safe.reciprocal());
    }

    /** The matrices with {@code v}'s last axis on their diagonals ({@code [..., n] -> [..., n, n]}). */
    private static Tensor diagEmbed(Tensor v) {
        int size = v.size(-1);
        return v.unsqueeze(-2).mul(Tensor.eye(size, size, v.dtype()).to(v.backend()));
    }

    /** A constant {@code [n, n]}: 1 strictly below ({@code lower}) or above the diagonal, {@code diagonal} on it. */
    private static Tensor triangle(int n, boolean lower, double diagonal, Tensor like) {
        Tensor i = Tensor.arange(n).reshape(n, 1);
        Tensor j = Tensor.arange(n).reshape(1, n);
        Tensor strict = (lower ? i.gt(j) : i.lt(j)).to(like.dtype());
        return strict.add(i.eq(j).to(like.dtype()).mul(diagonal)).to(like.backend());
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
