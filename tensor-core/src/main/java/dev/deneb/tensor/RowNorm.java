package dev.deneb.tensor;

import java.util.Arrays;

/**
 * Normalisation of each row of a matrix to zero mean and unit variance, the core of layer normalisation:
 * {@code x̂ = (x − mean) / sqrt(var + eps)} with the biased variance, and its backward step
 * {@code dx = rstd · (g − mean(g) − x̂ · mean(g · x̂))}. Backends may fuse each into one or two passes over a row;
 * {@link #composedForward} and {@link #composedBackward} define what they compute.
 */
public final class RowNorm {
    private RowNorm() {}

    /** The normalised rows {@code [R, C]} and the reciprocal standard deviation of each row {@code [R, 1]}. */
    public record Result(Tensor normalized, Tensor rstd) {}

    /** Normalises each row of {@code x} {@code [R, C]}; the normalised rows are recorded for autograd. */
    public static Result forward(Tensor x, double eps) {
        checkMatrix("forward", "x", x);
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("RowNorm.forward: eps must be >= 0, got " + eps);
        }
        Result r = Tape.untracked(() -> x.backend().normalizeRows(x, eps));
        return new Result(Tape.record(new Primitive.RowNormalize(eps, r.rstd()), r.normalized(), x), r.rstd());
    }

    /**
     * The gradient with respect to x, from the gradient {@code grad} of the normalised rows and the forward result:
     * a kernel, not recorded (the derivative rule uses the composed formula when gradients of gradients are asked).
     */
    public static Tensor backward(Tensor grad, Tensor normalized, Tensor rstd) {
        checkMatrix("backward", "grad", grad);
        if (!Arrays.equals(grad.shape(), normalized.shape()) || !Arrays.equals(rstd.shape(),
                new int[] {grad.size(0), 1})) {
            throw new IllegalArgumentException("RowNorm.backward: expected grad and normalized [R, C] and rstd [R, 1],"
                    + " got " + Arrays.toString(grad.shape()) + ", " + Arrays.toString(normalized.shape()) + " and "
                    + Arrays.toString(rstd.shape()));
        }
        if (normalized.dtype() != grad.dtype() || rstd.dtype() != grad.dtype()) {
            throw new IllegalArgumentException("RowNorm.backward: expected one dtype, got grad " + grad.dtype()
                    + ", normalized " + normalized.dtype() + ", rstd " + rstd.dtype());
        }
        Shapes.sameBackend("RowNorm.backward", grad, normalized);
        Shapes.sameBackend("RowNorm.backward", grad, rstd);
        return Tape.untracked(() -> grad.backend().normalizeRowsBackward(grad, normalized, rstd));
    }

    /** Layer normalisation's output {@code x̂·w + b}, the normalised rows x̂ and their rstd. */
    public record AffineResult(Tensor output, Tensor normalized, Tensor rstd) {}

    /** The gradients of the affine form with respect to x, w and b. */
    public record AffineGrads(Tensor input, Tensor weight, Tensor bias) {}

    /**
     * Layer normalisation of each row of {@code x} {@code [R, C]} with weight and bias {@code [C]}, recorded as one
     * op: {@code x̂·w + b}. One tensor written forward besides x̂ (the composed form writes three), and backward
     * computes all three gradients in one kernel; the bits equal the composed form's.
     */
    public static Tensor affine(Tensor x, Tensor weight, Tensor bias, double eps) {
        checkMatrix("affine", "x", x);
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("RowNorm.affine: eps must be >= 0, got " + eps);
        }
        int c = x.size(1);
        if (weight.dim() != 1 || weight.size(0) != c || bias.dim() != 1 || bias.size(0) != c) {
            throw new IllegalArgumentException("RowNorm.affine: expected x [R, C] with weight and bias [C], got "
                    + Arrays.toString(x.shape()) + ", " + Arrays.toString(weight.shape()) + " and "
                    + Arrays.toString(bias.shape()));
        }
        if (weight.dtype() != x.dtype() || bias.dtype() != x.dtype()) {
            throw new IllegalArgumentException("RowNorm.affine: expected one dtype, got x " + x.dtype() + ", weight "
                    + weight.dtype() + ", bias " + bias.dtype());
        }
        Shapes.sameBackend("RowNorm.affine", x, weight);
        Shapes.sameBackend("RowNorm.affine", x, bias);
        AffineResult r = Tape.untracked(() -> x.backend().normalizeRowsAffine(x, weight, bias, eps));
        return Tape.record(new Primitive.AffineRowNormalize(eps, r.normalized(), r.rstd()), r.output(), x, weight,
                bias);
    }

    /**
     * The gradients of {@link #affine} from the gradient {@code grad} of its output, the saved x̂ and rstd, and the
     * weight: a kernel, not recorded (the derivative rule uses the composed formula when gradients of gradients are
     * asked).
     */
    public static AffineGrads affineBackward(Tensor grad, Tensor normalized, Tensor rstd, Tensor weight) {
        checkMatrix("affineBackward", "grad", grad);
        int c = grad.size(1);
        if (!Arrays.equals(grad.shape(), normalized.shape()) || !Arrays.equals(rstd.shape(),
                new int[] {grad.size(0), 1}) || weight.dim() != 1 || weight.size(0) != c) {
            throw new IllegalArgumentException("RowNorm.affineBackward: expected grad and normalized [R, C], rstd"
                    + " [R, 1] and weight [C], got " + Arrays.toString(grad.shape()) + ", "
                    + Arrays.toString(normalized.shape()) + ", " + Arrays.toString(rstd.shape()) + " and "
                    + Arrays.toString(weight.shape()));
        }
        if (normalized.dtype() != grad.dtype() || rstd.dtype() != grad.dtype() || weight.dtype() != grad.dtype()) {
            throw new IllegalArgumentException("RowNorm.affineBackward: expected one dtype, got grad " + grad.dtype()
                    + ", normalized " + normalized.dtype() + ", rstd " + rstd.dtype() + ", weight " + weight.dtype());
        }
        Shapes.sameBackend("RowNorm.affineBackward", grad, normalized);
        Shapes.sameBackend("RowNorm.affineBackward", grad, rstd);
        Shapes.sameBackend("RowNorm.affineBackward", grad, weight);
        return Tape.untracked(() -> grad.backend().normalizeRowsAffineBackward(grad, normalized, rstd, weight));
    }

    /** {@link #affine}'s forward step with ordinary tensor ops: the definition every backend must match. */
    public static AffineResult composedAffineForward(Tensor x, Tensor weight, Tensor bias, double eps) {
        Result r = composedForward(x, eps);
        return new AffineResult(r.normalized().mul(weight).add(bias), r.normalized(), r.rstd());
    }

    /** {@link #affineBackward} with ordinary tensor ops. */
    public static AffineGrads composedAffineBackward(Tensor grad, Tensor normalized, Tensor rstd, Tensor weight) {
        int[] rows = {0};
        return new AffineGrads(composedBackward(grad.mul(weight), normalized, rstd),
                grad.mul(normalized).sum(rows, false), grad.sum(rows, false));
    }

    /** The forward step written with ordinary tensor ops: the definition every backend must match. */
    public static Result composedForward(Tensor x, double eps) {
        int[] row = {1};
        Tensor centered = x.sub(x.mean(row, true));
        Tensor rstd = centered.mul(centered).mean(row, true).add(eps).rsqrt();
        return new Result(centered.mul(rstd), rstd);
    }

    /** The backward step written with ordinary tensor ops. */
    public static Tensor composedBackward(Tensor grad, Tensor normalized, Tensor rstd) {
        int[] row = {1};
        Tensor meanGrad = grad.mean(row, true);
        Tensor meanGradX = grad.mul(normalized).mean(row, true);
        return grad.sub(meanGrad).sub(normalized.mul(meanGradX)).mul(rstd);
    }

    private static void checkMatrix(String op, String name, Tensor t) {
        if (t.dim() != 2 || t.size(1) == 0) {
            throw new IllegalArgumentException("RowNorm." + op + ": expected " + name + " [R, C] with C >= 1, got "
                    + Arrays.toString(t.shape()));
        }
        if (!t.dtype().isFloating()) {
            throw new IllegalArgumentException("RowNorm." + op + ": expected a floating-point " + name + ", got "
                    + t.dtype());
        }
    }
}
