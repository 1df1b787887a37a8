package dev.deneb.tensor;

import java.util.Arrays;

/**
 * The backward step of softmax and log-softmax along one axis, from the gradient {@code g} of the output {@code y}:
 * {@code dx = y · (g − Σ g·y)} and {@code dx = g − e^y · Σ g}. Backends may fuse each into one pass over a row, with
 * no temporaries the size of the input; {@link #composed} defines what they compute.
 */
public final class SoftmaxGrad {
    private SoftmaxGrad() {}

    /**
     * The gradient with respect to softmax's input: a kernel, not recorded (the derivative rule uses
     * {@link #composed} when gradients of gradients are asked).
     */
    public static Tensor backward(Tensor grad, Tensor y, int axis, boolean log) {
        String op = log ? "logSoftmax backward" : "softmax backward";
        if (!Arrays.equals(grad.shape(), y.shape())) {
            throw new IllegalArgumentException(op + ": the gradient has shape " + Shapes.str(grad.shape())
                    + " but the output has shape " + Shapes.str(y.shape()) + "; they must match");
        }
        if (!y.dtype().isFloating() || grad.dtype() != y.dtype()) {
            throw new IllegalArgumentException(op + ": expected one floating-point dtype, got gradient "
                    + grad.dtype() + " and output " + y.dtype());
        }
        Shapes.sameBackend(op, grad, y);
        if (y.dim() == 0) {
            return Tensor.zerosLike(y);
        }
        int a = Shapes.axis(op, axis, y.dim());
        return Tape.untracked(() -> y.backend().softmaxBackward(grad, y, a, log));
    }

    /** The backward step written with ordinary tensor ops: the definition every backend must match. */
    public static Tensor composed(Tensor grad, Tensor y, int axis, boolean log) {
        int[] ax = {axis};
        return log
                ? grad.sub(y.exp().mul(grad.sum(ax, true)))
                : y.mul(grad.sub(grad.mul(y).sum(ax, true)));
    }
}
