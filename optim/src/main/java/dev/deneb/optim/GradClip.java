package dev.deneb.optim;

import dev.deneb.tensor.Tensor;
import java.util.List;

/** Gradient clipping, as PyTorch's {@code clip_grad_norm_} and {@code clip_grad_value_}. */
public final class GradClip {
    private GradClip() {}

    /**
     * Scales all gradients together so that their total {@code normType}-norm (the norm of the per-parameter norms;
     * {@code Double.POSITIVE_INFINITY} for the max norm) is at most {@code maxNorm}: each is multiplied by
     * {@code min(1, maxNorm / (total + 1e-6))}. Parameters without a gradient are ignored.
     *
     * <p>The gradients are replaced by scaled copies rather than scaled in place, because a gradient tensor may be
     * shared with other tensors (autograd hands out broadcast views).
     *
     * @return the total norm before clipping (0 when no parameter has a gradient)
     */
    public static double clipGradNorm(List<Tensor> params, double maxNorm, double normType) {
        if (params == null) {
            throw new IllegalArgumentException("clipGradNorm: the parameter list is null");
        }
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("clipGradNorm: max norm must be >= 0, got " + maxNorm);
        }
        if (!(normType > 0)) {
            throw new IllegalArgumentException("clipGradNorm: norm type must be positive (or infinity), got "
                    + normType);
        }
        boolean inf = normType == Double.POSITIVE_INFINITY;
        double acc = 0;
        boolean any = false;
        for (Tensor p : params) {
            if (p.grad() == null) {
                continue;
            }
            any = true;
            double n = p.grad().norm(normType, new int[0], false).item();
            acc = inf ? Math.max(acc, n) : acc + Math.pow(n, normType);
        }
        if (!any) {
            return 0;
        }
        double total = inf ? acc : Math.pow(acc, 1 / normType);
        double coef = maxNorm / (total + 1e-6);
        if (coef < 1) {
            for (Tensor p : params) {
                if (p.grad() != null) {
                    Tensor g = p.grad();
                    p.setGrad(g.mul(coef));
                }
            }
        }
        return total;
    }

    /** The 2-norm version of {@link #clipGradNorm(List, double, double)}. */
    public static double clipGradNorm(List<Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2.0);
    }

    /** Clamps every gradient element to {@code [-clipValue, clipValue]}. */
    public static void clipGradValue(List<Tensor> params, double clipValue) {
        if (params == null) {
            throw new IllegalArgumentException("clipGradValue: the parameter list is null");
        }
        if (!(clipValue >= 0)) {
            throw new IllegalArgumentException("clipGradValue: clip value must be >= 0, got " + clipValue);
        }
        for (Tensor p : params) {
            if (p.grad() != null) {
                p.setGrad(p.grad().clamp(-clipValue, clipValue));
            }
        }
    }
}
