package dev.deneb.autograd;

import dev.deneb.tensor.ConvOptions;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.PoolOptions;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.ValuesIndices;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Every derivative rule, one short rule per op, side by side so they can be checked against each other and
 * against a table of derivatives. Each op runs forward on tensors and records a rule that maps the output gradient
 * {@code g} to input gradients written with {@link Variable} ops (so second derivatives work). Broadcasting is undone
 * by {@link #fit}, which sums a gradient back to its input's shape.
 *
 * <p>Non-differentiable points follow PyTorch: relu'(0) = 0, abs'(0) = 0, sign' = 0, clamp passes the gradient at
 * its bounds, ties in max/min over several axes share the gradient equally, max/min along one axis send it to the
 * returned index, and maximum/minimum split it in half between equal inputs.
 */
final class Derivatives {
    private Derivatives() {}

    // =========================================================================================================
    // Recording helpers
    // =========================================================================================================

    private static Variable[] grads(Variable... g) {
        return g;
    }

    /** Records an op whose rule needs its own output (exp, tanh, softmax…). */
    private static Variable recordWithOutput(String op, Tensor result, BiFunction<Variable, Variable, Variable[]> rule,
                                             Variable... inputs) {
        Variable[] self = new Variable[1];
        self[0] = Variable.record(op, result, g -> rule.apply(g, self[0]), inputs);
        return self[0];
    }

    private static Variable constant(Tensor t) {
        return Variable.of(t);
    }

    /** The gradient summed over broadcast axes back to {@code input}'s shape, in {@code input}'s dtype. */
    static Variable fit(Variable g, Variable input) {
        Variable r = sumTo(g, input.shape());
        return r.dtype() == input.dtype() ? r : r.to(input.dtype());
    }

    static Variable sumTo(Variable g, int[] shape) {
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
        Variable s = axes.isEmpty() ? g : g.sum(axes.stream().mapToInt(Integer::intValue).toArray(), true);
        return s.reshape(shape);
    }

    /** A reduced gradient broadcast back over the reduced axes of {@code x}. */
    private static Variable expandBack(Variable g, int[] xShape, int[] axes, boolean keepdim) {
        Variable k = keepdim ? g : g.reshape(keptShape(xShape, axes));
        return k.expand(xShape);
    }

    private static int[] keptShape(int[] shape, int[] axes) {
        int[] k = shape.clone();
        for (int a : axes) {
            k[a] = 1;
        }
        return k;
    }

    /** Normalised, sorted axes (all when empty); the forward op already rejected bad ones. */
    static int[] axes(int[] axes, int rank) {
        if (axes.length == 0) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = axes[i] < 0 ? axes[i] + rank : axes[i];
        }
        Arrays.sort(out);
        return out;
    }

    /** Elementwise AND of two bool tensors. */
    private static Tensor and(Tensor x, Tensor y) {
        return Tensor.where(x, y, x);
    }

    // =========================================================================================================
    // Elementwise, one input
    // =========================================================================================================

    static Variable neg(Variable x) {
        return Variable.record("neg", x.data().neg(), g -> grads(g.neg()), x);
    }

    static Variable abs(Variable x) {
        return Variable.record("abs", x.data().abs(), g -> grads(g.mul(constant(x.data().sign()))), x);
    }

    static Variable sign(Variable x) {
        return Variable.record("sign", x.data().sign(), g -> grads(constant(Tensor.zerosLike(x.data()))), x);
    }

    static Variable relu(Variable x) {
        return Variable.record("relu", x.data().relu(), g -> grads(g.mul(constant(x.data().step()))), x);
    }

    static Variable exp(Variable x) {
        return recordWithOutput("exp", x.data().exp(), (g, y) -> grads(g.mul(y)), x);
    }

    static Variable log(Variable x) {
        return Variable.record("log", x.data().log(), g -> grads(g.div(x)), x);
    }

    static Variable log1p(Variable x) {
        return Variable.record("log1p", x.data().log1p(), g -> grads(g.div(x.add(1))), x);
    }

    static Variable sqrt(Variable x) {
        return recordWithOutput("sqrt", x.data().sqrt(), (g, y) -> grads(g.div(y.mul(2))), x);
    }

    static Variable rsqrt(Variable x) {
        return recordWithOutput("rsqrt", x.data().rsqrt(), (g, y) -> grads(g.mul(y.pow(3)).mul(-0.5)), x);
    }

    static Variable sin(Variable x) {
        return Variable.record("sin", x.data().sin(), g -> grads(g.mul(x.cos())), x);
    }

    static Variable cos(Variable x) {
        return Variable.record("cos", x.data().cos(), g -> grads(g.mul(x.sin()).neg()), x);
    }

    static Variable tanh(Variable x) {
        return recordWithOutput("tanh", x.data().tanh(), (g, y) -> grads(g.mul(y.mul(y).neg().add(1))), x);
    }

    static Variable sigmoid(Variable x) {
        return recordWithOutput("sigmoid", x.data().sigmoid(), (g, y) -> grads(g.mul(y.mul(y.neg().add(1)))), x);
    }

    /** erf'(x) = 2/sqrt(pi) exp(-x^2). */
    static Variable erf(Variable x) {
        return Variable.record("erf", x.data().erf(),
                g -> grads(g.mul(x.mul(x).neg().exp().mul(2 / Math.sqrt(Math.PI)))), x);
    }

    /** gelu(x) = x Phi(x), so gelu'(x) = Phi(x) + x phi(x). */
    static Variable gelu(Variable x) {
        return Variable.record("gelu", x.data().gelu(), g -> {
            Variable cdf = x.mul(1 / Math.sqrt(2)).erf().add(1).mul(0.5);
            Variable pdf = x.mul(x).mul(-0.5).exp().mul(1 / Math.sqrt(2 * Math.PI));
            return grads(g.mul(cdf.add(x.mul(pdf))));
        }, x);
    }

    /** silu(x) = x s(x), silu'(x) = s(x) (1 + x (1 - s(x))). */
    static Variable silu(Variable x) {
        return Variable.record("silu", x.data().silu(), g -> {
            Variable s = x.sigmoid();
            return grads(g.mul(s.mul(x.mul(s.neg().add(1)).add(1))));
        }, x);
    }

    /** softplus'(x) = sigmoid(x), exactly 1 above the linear threshold 20. */
    static Variable softplus(Variable x) {
        return Variable.record("softplus", x.data().softplus(), g -> {
            Variable slope = Variable.where(x.data().gt(20), constant(Tensor.onesLike(x.data())), x.sigmoid());
            return grads(g.mul(slope));
        }, x);
    }

    static Variable reciprocal(Variable x) {
        return recordWithOutput("reciprocal", x.data().reciprocal(), (g, y) -> grads(g.mul(y.mul(y)).neg()), x);
    }

    static Variable pow(Variable x, double c) {
        return Variable.record("pow", x.data().pow(c), g -> grads(c == 0
                ? constant(Tensor.zerosLike(x.data())) : g.mul(x.pow(c - 1).mul(c))), x);
    }

    static Variable clamp(Variable x, double min, double max) {
        return Variable.record("clamp", x.data().clamp(min, max), g -> {
            Tensor inside = x.data().ge(min).to(x.dtype()).mul(x.data().le(max).to(x.dtype()));
            return grads(g.mul(constant(inside)));
        }, x);
    }

    static Variable addScalar(Variable x, double s) {
        return Variable.record("add", x.data().add(s), g -> grads(g), x);
    }

    static Variable mulScalar(Variable x, double s) {
        return Variable.record("mul", x.data().mul(s), g -> grads(g.mul(s)), x);
    }

    static Variable cast(Variable x, DType dtype) {
        if (dtype == x.dtype()) {
            return x;
        }
        if (!dtype.isFloating()) {
            return constant(x.data().to(dtype));
        }
        return Variable.record("to", x.data().to(dtype), g -> grads(g.to(x.dtype())), x);
    }

    // =========================================================================================================
    // Elementwise, two inputs (broadcasting)
    // =========================================================================================================

    static Variable add(Variable a, Variable b) {
        return Variable.record("add", a.data().add(b.data()), g -> grads(fit(g, a), fit(g, b)), a, b);
    }

    static Variable sub(Variable a, Variable b) {
        return Variable.record("sub", a.data().sub(b.data()), g -> grads(fit(g, a), fit(g.neg(), b)), a, b);
    }

    static Variable mul(Variable a, Variable b) {
        return Variable.record("mul", a.data().mul(b.data()), g -> grads(fit(g.mul(b), a), fit(g.mul(a), b)), a, b);
    }

    static Variable div(Variable a, Variable b) {
        return Variable.record("div", a.data().div(b.data()),
                g -> grads(fit(g.div(b), a), fit(g.mul(a).div(b.mul(b)).neg(), b)), a, b);
    }

    /** d/da a^b = b a^(b-1); d/db a^b = a^b log a, taken as 0 where a = 0 and b >= 0 (as PyTorch). */
    static Variable pow(Variable a, Variable b) {
        return recordWithOutput("pow", a.data().pow(b.data()), (g, y) -> {
            Tensor zeroBase = and(a.data().eq(0), b.data().ge(0));
            Variable logA = Variable.where(zeroBase, constant(Tensor.zerosLike(y.data())), a.log());
            // b·a^(b-1) is 0·inf at a = 0, b = 0; PyTorch takes it as 0.
            Variable baseSlope = Variable.where(b.data().eq(0), constant(Tensor.zerosLike(y.data())),
                    b.mul(a.pow(b.sub(constant(Tensor.onesLike(b.data()))))));
            return grads(fit(g.mul(baseSlope), a), fit(g.mul(y).mul(logA), b));
        }, a, b);
    }

    static Variable maximum(Variable a, Variable b) {
        return Variable.record("maximum", a.data().maximum(b.data()), g -> splitByComparison(g, a, b, true), a, b);
    }

    static Variable minimum(Variable a, Variable b) {
        return Variable.record("minimum", a.data().minimum(b.data()), g -> splitByComparison(g, a, b, false), a, b);
    }

    /** The winner gets the gradient; equal inputs get half each. */
    private static Variable[] splitByComparison(Variable g, Variable a, Variable b, boolean max) {
        DType t = g.dtype();
        Tensor half = a.data().eq(b.data()).to(t).mul(0.5);
        Tensor aWins = (max ? a.data().gt(b.data()) : a.data().lt(b.data())).to(t).add(half);
        Tensor bWins = (max ? a.data().lt(b.data()) : a.data().gt(b.data())).to(t).add(half);
        return grads(fit(g.mul(constant(aWins)), a), fit(g.mul(constant(bWins)), b));
    }

    static Variable where(Tensor cond, Variable a, Variable b) {
        return Variable.record("where", Tensor.where(cond, a.data(), b.data()), g -> {
            Variable zero = constant(Tensor.zerosLike(g.data()));
            return grads(fit(Variable.where(cond, g, zero), a), fit(Variable.where(cond, zero, g), b));
        }, a, b);
    }

    static Variable maskedFill(Variable x, Tensor mask, double value) {
        return Variable.record("maskedFill", x.data().maskedFill(mask, value), g -> grads(g.maskedFill(mask, 0)), x);
    }

    // =========================================================================================================
    // Reductions
    // =========================================================================================================

    static Variable sum(Variable x, int[] axes, boolean keepdim) {
        Tensor out = x.data().sum(axes, keepdim);
        int[] ax = axes(axes, x.dim());
        return Variable.record("sum", out, g -> grads(expandBack(g, x.shape(), ax, keepdim)), x);
    }

    static Variable mean(Variable x, int[] axes, boolean keepdim) {
        Tensor out = x.data().mean(axes, keepdim);
        int[] ax = axes(axes, x.dim());
        int count = x.numel() / Math.max(1, out.numel());
        return Variable.record("mean", out, g -> grads(expandBack(g, x.shape(), ax, keepdim).mul(1.0 / count)), x);
    }

    /**
     * d prod / dx_i = product of the others: prod / x_i where x_i != 0; where x_i = 0 it is the product of the
     * non-zero others if x_i is the only zero of its slice, else 0.
     */
    static Variable prod(Variable x, int[] axes, boolean keepdim) {
        Tensor out = x.data().prod(axes, keepdim);
        int[] ax = axes(axes, x.dim());
        return Variable.record("prod", out, g -> {
            Tensor isZero = x.data().eq(0);
            Variable safe = Variable.where(isZero, constant(Tensor.onesLike(x.data())), x);
            Variable prodNonZero = expandBack(safe.prod(ax, true), x.shape(), ax, true);
            Tensor zeros = isZero.to(DType.I64).sum(ax, true).expand(x.shape());
            Variable others = Variable.where(isZero,
                    Variable.where(zeros.eq(1), prodNonZero, constant(Tensor.zerosLike(x.data()))),
                    prodNonZero.div(safe).mul(constant(zeros.eq(0).to(x.dtype()))));
            return grads(expandBack(g, x.shape(), ax, keepdim).mul(others));
        }, x);
    }

    /** max/min over several axes: ties share the gradient equally (as PyTorch's amax). */
    static Variable amax(Variable x, int[] axes, boolean keepdim, boolean max) {
        Tensor out = max ? x.data().amax(axes, keepdim) : x.data().amin(axes, keepdim);
        int[] ax = axes(axes, x.dim());
        return Variable.record(max ? "amax" : "amin", out, g -> {
            Tensor outK = keepdim ? out : out.reshape(keptShape(x.shape(), ax));
            Tensor hit = x.data().eq(outK).to(x.dtype());
            Tensor share = hit.div(hit.sum(ax, true));
            return grads(expandBack(g, x.shape(), ax, keepdim).mul(constant(share)));
        }, x);
    }

    /** max/min along one axis: the gradient goes to the returned index. */
    static ValuesAndIndices maxAlong(Variable x, int axis, boolean keepdim, boolean max) {
        ValuesIndices vi = max ? x.data().max(axis, keepdim) : x.data().min(axis, keepdim);
        int a = axis < 0 ? axis + x.dim() : axis;
        Tensor idx = keepdim || x.dim() == 0 ? vi.indices() : vi.indices().unsqueeze(a);
        Variable values = Variable.record(max ? "max" : "min", vi.values(), g -> {
            if (x.dim() == 0) {
                return grads(g);
            }
            Variable gk = keepdim ? g : g.unsqueeze(a);
            return grads(constant(Tensor.zerosLike(x.data())).scatterAdd(a, idx, gk));
        }, x);
        return new ValuesAndIndices(values, vi.indices());
    }

    static Variable var(Variable x, int[] axes, int correction, boolean keepdim) {
        x.data().var(axes, correction, keepdim); // checks the arguments with tensor-core's messages
        int[] ax = axes(axes, x.dim());
        int count = 1;
        for (int a : ax) {
            count *= x.size(a);
        }
        Variable centered = x.sub(x.mean(ax, true));
        return centered.mul(centered).sum(ax, keepdim).div(count - correction);
    }

    /** d/dx logsumexp(x) = softmax(x) = exp(x - out). */
    static Variable logsumexp(Variable x, int[] axes, boolean keepdim) {
        Tensor out = x.data().logsumexp(axes, keepdim);
        int[] ax = axes(axes, x.dim());
        return recordWithOutput("logsumexp", out, (g, y) -> {
            Variable yk = expandBack(y, x.shape(), ax, keepdim);
            return grads(expandBack(g, x.shape(), ax, keepdim).mul(x.sub(yk).exp()));
        }, x);
    }

    /** d|x|_p/dx = sign(x)·|x|^(p-1) / |x|_p^(p-1), taken as 0 where the norm is 0 (as PyTorch). */
    static Variable norm(Variable x, double p, int[] axes, boolean keepdim) {
        Tensor out = x.data().norm(p, axes, keepdim);
        if (p == Double.POSITIVE_INFINITY) {
            return x.abs().amax(axes, keepdim);
        }
        if (p == 1) {
            return x.abs().sum(axes, keepdim);
        }
        int[] ax = axes(axes, x.dim());
        return recordWithOutput("norm", out, (g, y) -> {
            Variable yk = expandBack(y, x.shape(), ax, keepdim);
            Variable slope = x.abs().pow(p - 1).mul(constant(x.data().sign())).div(yk.pow(p - 1));
            Variable safe = Variable.where(yk.data().eq(0), constant(Tensor.zerosLike(x.data())), slope);
            return grads(expandBack(g, x.shape(), ax, keepdim).mul(safe));
        }, x);
    }

    /** softmax' applied to g: y (g - sum(g y)). */
    static Variable softmax(Variable x, int axis) {
        return recordWithOutput("softmax", x.data().softmax(axis), (g, y) -> {
            int a = axis < 0 ? axis + Math.max(1, x.dim()) : axis;
            Variable dot = x.dim() == 0 ? g.mul(y) : g.mul(y).sum(new int[] {a}, true);
            return grads(y.mul(g.sub(dot)));
        }, x);
    }

    /** logSoftmax' applied to g: g - exp(y) sum(g). */
    static Variable logSoftmax(Variable x, int axis) {
        return recordWithOutput("logSoftmax", x.data().logSoftmax(axis), (g, y) -> {
            int a = axis < 0 ? axis + Math.max(1, x.dim()) : axis;
            Variable total = x.dim() == 0 ? g : g.sum(new int[] {a}, true);
            return grads(g.sub(y.exp().mul(total)));
        }, x);
    }

    // =========================================================================================================
    // Views
    // =========================================================================================================

    static Variable reshape(Variable x, int[] shape) {
        return Variable.record("reshape", x.data().reshape(shape), g -> grads(g.reshape(x.shape())), x);
    }

    static Variable view(Variable x, int[] shape) {
        return Variable.record("view", x.data().view(shape), g -> grads(g.reshape(x.shape())), x);
    }

    static Variable permute(Variable x, int[] order) {
        Tensor out = x.data().permute(order);
        int[] inverse = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            inverse[order[i] < 0 ? order[i] + order.length : order[i]] = i;
        }
        return Variable.record("permute", out, g -> grads(g.permute(inverse)), x);
    }

    static Variable transpose(Variable x, int a, int b) {
        return Variable.record("transpose", x.data().transpose(a, b), g -> grads(g.transpose(a, b)), x);
    }

    static Variable slice(Variable x, int axis, int start, int end, int step) {
        return Variable.record("slice", x.data().slice(axis, start, end, step),
                g -> grads(sliceBackward(g, x.shape(), axis, start, end, step)), x);
    }

    /** Zeros of {@code shape} with {@code g} written into the slice: the adjoint of slicing. */
    private static Variable sliceBackward(Variable g, int[] shape, int axis, int start, int end, int step) {
        Tensor out = Tensor.empty(g.data().backend(), g.dtype(), shape);
        out.slice(axis, start, end, step).copyFrom(g.data());
        return Variable.record("sliceBackward", out, gg -> grads(gg.slice(axis, start, end, step)), g);
    }

    static Variable narrow(Variable x, int axis, int start, int length) {
        x.data().narrow(axis, start, length); // argument checks
        int a = axis < 0 ? axis + x.dim() : axis;
        return slice(x, a, start, start + length, 1);
    }

    static Variable select(Variable x, int axis, int index) {
        Tensor out = x.data().select(axis, index);
        int a = axis < 0 ? axis + x.dim() : axis;
        int i = index < 0 ? index + x.size(a) : index;
        return slice(x, a, i, i + 1, 1).reshape(out.shape());
    }

    static Variable expand(Variable x, int[] shape) {
        return Variable.record("expand", x.data().expand(shape), g -> grads(sumTo(g, x.shape())), x);
    }

    static Variable contiguous(Variable x) {
        return Variable.record("contiguous", x.data().contiguous(), g -> grads(g), x);
    }

    static Variable cat(int axis, List<Variable> parts) {
        List<Tensor> data = new ArrayList<>(parts.size());
        for (Variable p : parts) {
            data.add(p.data());
        }
        Tensor out = Tensor.cat(axis, data);
        int a = axis < 0 ? axis + out.dim() : axis;
        return Variable.record("cat", out, g -> {
            Variable[] gs = new Variable[parts.size()];
            int at = 0;
            for (int i = 0; i < gs.length; i++) {
                int n = parts.get(i).size(a);
                gs[i] = g.narrow(a, at, n).to(parts.get(i).dtype());
                at += n;
            }
            return gs;
        }, parts.toArray(new Variable[0]));
    }

    static Variable stack(int axis, List<Variable> parts) {
        Tensor.stack(axis, parts.stream().map(Variable::data).toList()); // argument checks
        int a = axis < 0 ? axis + parts.get(0).dim() + 1 : axis;
        List<Variable> expanded = new ArrayList<>(parts.size());
        for (Variable p : parts) {
            expanded.add(p.unsqueeze(a));
        }
        return cat(a, expanded);
    }

    static List<Variable> split(Variable x, List<Tensor> pieces, int axis) {
        int a = axis < 0 ? axis + x.dim() : axis;
        List<Variable> out = new ArrayList<>(pieces.size());
        int at = 0;
        for (Tensor p : pieces) {
            out.add(x.narrow(a, at, p.size(a)));
            at += p.size(a);
        }
        return out;
    }

    // =========================================================================================================
    // Indexing
    // =========================================================================================================

    static Variable indexSelect(Variable x, int axis, Tensor index) {
        Tensor out = x.data().indexSelect(axis, index);
        int a = axis < 0 ? axis + x.dim() : axis;
        return Variable.record("indexSelect", out, g -> {
            int[] shape = new int[g.dim()];
            Arrays.fill(shape, 1);
            shape[a] = index.numel();
            Tensor spread = index.to(DType.I64).reshape(shape).expand(g.shape());
            return grads(constant(Tensor.zerosLike(x.data())).scatterAdd(a, spread, g));
        }, x);
    }

    static Variable gather(Variable x, int axis, Tensor index) {
        Tensor out = x.data().gather(axis, index);
        int a = axis < 0 ? axis + x.dim() : axis;
        return Variable.record("gather", out,
                g -> grads(constant(Tensor.zerosLike(x.data())).scatterAdd(a, index, g)), x);
    }

    static Variable scatter(Variable x, int axis, Tensor index, Variable src) {
        Tensor out = x.data().scatter(axis, index, src.data());
        int a = axis < 0 ? axis + x.dim() : axis;
        return Variable.record("scatter", out, g -> grads(
                g.scatter(a, index, constant(Tensor.zeros(g.dtype(), index.shape()))),
                embed(g.gather(a, index), src.shape())), x, src);
    }

    static Variable scatterAdd(Variable x, int axis, Tensor index, Variable src) {
        Tensor out = x.data().scatterAdd(axis, index, src.data());
        int a = axis < 0 ? axis + x.dim() : axis;
        return Variable.record("scatterAdd", out, g -> grads(g, embed(g.gather(a, index), src.shape())), x, src);
    }

    /** {@code g} placed in the leading corner of zeros of {@code shape} (src may be larger than the index). */
    private static Variable embed(Variable g, int[] shape) {
        Variable r = g;
        for (int d = 0; d < shape.length; d++) {
            if (r.size(d) != shape[d]) {
                r = sliceBackward(r, withSize(r.shape(), d, shape[d]), d, 0, r.size(d), 1);
            }
        }
        return r;
    }

    private static int[] withSize(int[] shape, int axis, int size) {
        int[] s = shape.clone();
        s[axis] = size;
        return s;
    }

    // =========================================================================================================
    // Linear algebra
    // =========================================================================================================

    static Variable matmul(Variable a, Variable b) {
        if (a.dim() == 1 || b.dim() == 1) {
            a.data().matmul(b.data()); // argument checks with tensor-core's messages
            Variable x = a.dim() == 1 ? a.unsqueeze(0) : a;
            Variable y = b.dim() == 1 ? b.unsqueeze(1) : b;
            Variable r = matmul(x, y);
            if (a.dim() == 1) {
                r = r.squeeze(-2);
            }
            return b.dim() == 1 ? r.squeeze(-1) : r;
        }
        return Variable.record("matmul", a.data().matmul(b.data()),
                g -> grads(fit(g.matmul(b.mT()), a), matmulGradB(a, b, g)), a, b);
    }

    /** dB = Aᵀ·g; for a stack of matrices times one matrix, one product over the stacked rows instead of one per
     *  matrix followed by a sum (a linear layer's weight gradient on [B, T, E] input). */
    private static Variable matmulGradB(Variable a, Variable b, Variable g) {
        if (b.dim() == 2 && a.dim() > 2 && a.numel() > 0) {
            Variable rows = a.reshape(-1, a.size(-1));
            return fit(rows.mT().matmul(g.reshape(-1, g.size(-1))), b);
        }
        return fit(a.mT().matmul(g), b);
    }

    // =========================================================================================================
    // Convolution and pooling. The three conv products are each other's adjoints, so the set is closed under
    // differentiation: <conv(x, w), g> = <x, inputGrad(g, w)> = <w, weightGrad(x, g)>.
    // =========================================================================================================

    static Variable conv2d(Variable x, Variable w, Variable bias, ConvOptions o) {
        Tensor out = Tensor.conv2d(x.data(), w.data(), bias == null ? null : bias.data(), o);
        Variable y = Variable.record("conv2d", out, g -> grads(
                convInputGrad(g, w, x.shape(), o), convWeightGrad(x, g, w.shape(), o),
                bias == null ? null : g.sum(new int[] {0, 2, 3}, false)), x, w, bias == null ? x : bias);
        return y;
    }

    static Variable convInputGrad(Variable g, Variable w, int[] xShape, ConvOptions o) {
        Tensor out = Tensor.conv2dInputGrad(g.data(), w.data(), xShape, o);
        return Variable.record("conv2dInputGrad", out,
                u -> grads(conv2d(u, w, null, o), convWeightGrad(u, g, w.shape(), o)), g, w);
    }

    static Variable convWeightGrad(Variable x, Variable g, int[] wShape, ConvOptions o) {
        Tensor out = Tensor.conv2dWeightGrad(x.data(), g.data(), wShape, o);
        return Variable.record("conv2dWeightGrad", out,
                v -> grads(convInputGrad(g, v, x.shape(), o), conv2d(x, v, null, o)), x, g);
    }

    /** 1-D convolution: the forward is checked as conv1d, the gradients run as conv2d with a height of 1. */
    static Variable conv1d(Variable x, Variable w, Variable bias, int stride, int padding, int dilation, int groups) {
        Tensor out = Tensor.conv1d(x.data(), w.data(), bias == null ? null : bias.data(), stride, padding, dilation,
                groups);
        ConvOptions o = new ConvOptions(1, stride, 0, padding, 1, dilation, groups);
        return Variable.record("conv1d", out, g -> {
            Variable g4 = g.unsqueeze(2);
            Variable w4 = w.unsqueeze(2);
            Variable x4 = x.unsqueeze(2);
            return grads(convInputGrad(g4, w4, x4.shape(), o).squeeze(2),
                    convWeightGrad(x4, g4, w4.shape(), o).squeeze(2),
                    bias == null ? null : g.sum(new int[] {0, 2}, false));
        }, x, w, bias == null ? x : bias);
    }

    static ValuesAndIndices maxPool2d(Variable x, PoolOptions o) {
        ValuesIndices vi = x.data().maxPool2d(o);
        Variable values = Variable.record("maxPool2d", vi.values(),
                g -> grads(maxPoolBackward(g, vi.indices(), x.shape(), o)), x);
        return new ValuesAndIndices(values, vi.indices());
    }

    /** Routes g to the argmax positions; its adjoint picks the values at those positions again. */
    private static Variable maxPoolBackward(Variable g, Tensor indices, int[] xShape, PoolOptions o) {
        Tensor out = Tensor.maxPool2dBackward(g.data(), indices, xShape, o);
        return Variable.record("maxPool2dBackward", out, u -> grads(
                u.reshape(xShape[0], xShape[1], -1).gather(2, indices.reshape(xShape[0], xShape[1], -1))
                        .reshape(g.shape())), g);
    }

    static Variable avgPool2d(Variable x, PoolOptions o) {
        return Variable.record("avgPool2d", x.data().avgPool2d(o), g -> grads(avgPoolBackward(g, x.shape(), o)), x);
    }

    /** The adjoint of average pooling; its own adjoint is average pooling again. */
    private static Variable avgPoolBackward(Variable g, int[] xShape, PoolOptions o) {
        return Variable.record("avgPool2dBackward", Tensor.avgPool2dBackward(g.data(), xShape, o),
                u -> grads(avgPool2d(u, o)), g);
    }

    static ValuesAndIndices maxPool1d(Variable x, int kernel, int stride, int padding, int dilation, boolean ceil) {
        x.data().maxPool1d(kernel, stride, padding, dilation, ceil); // checked with maxPool1d's messages
        PoolOptions o = new PoolOptions(1, kernel, 1, stride, 0, padding, 1, dilation, ceil, true);
        ValuesAndIndices r = maxPool2d(x.unsqueeze(2), o);
        return new ValuesAndIndices(r.values().squeeze(2), r.indices().squeeze(2));
    }

    static Variable avgPool1d(Variable x, int kernel, int stride, int padding, boolean ceil, boolean countPad) {
        x.data().avgPool1d(kernel, stride, padding, ceil, countPad); // argument checks
        PoolOptions o = new PoolOptions(1, kernel, 1, stride, 0, padding, 1, 1, ceil, countPad);
        return avgPool2d(x.unsqueeze(2), o).squeeze(2);
    }
}
