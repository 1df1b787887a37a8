package dev.deneb.tensor;

import java.util.Arrays;

/**
 * The rules of in-place writes. They bump the storage version, so backward notices when a value it saved has
 * changed. Inside the recorded graph they are refused: an in-place change of a tensor that requires grad would
 * silently rewrite history, and a source that requires grad would lose its gradient.
 */
final class InPlace {
    private InPlace() {}

    static void check(String op, Tensor target, Tensor... sources) {
        if (!GradMode.isEnabled()) {
            return;
        }
        if (target.requiresGrad()) {
            throw new IllegalStateException(op + ": the tensor (shape " + Shapes.str(target.shape()) + ") requires"
                    + " grad and recording is on, so changing it in place would alter values the recorded graph"
                    + " needs; use the out-of-place op (x = x.add(y)), or make the change inside GradMode.noGrad()"
                    + " (as optimizers do)");
        }
        for (Tensor s : sources) {
            if (s.requiresGrad()) {
                throw new IllegalStateException(op + ": the source (shape " + Shapes.str(s.shape()) + ") requires"
                        + " grad, but an in-place write is not recorded and its gradient would be lost; use an"
                        + " out-of-place op (where, sliceScatter, cat) or detach() the source");
            }
        }
    }

    /** {@code target = op(target, other)}, with other broadcast to target's shape and the result in its dtype. */
    static Tensor apply(String name, Tensor target, Tensor other, BinaryOp op) {
        check(name, target, other);
        if (direct(target, other, op)) {
            // No temporary: the backend writes op(target, other) straight into target's elements.
            target.backend().binaryInPlace(op, target, other.detach().expand(target.shape()));
            target.storage().bumpVersion();
            return target;
        }
        Tensor r = target.zipWith(op, other);
        if (!Arrays.equals(r.shape(), target.shape())) {
            throw new IllegalArgumentException(name + ": an operand of shape " + Shapes.str(other.shape())
                    + " does not broadcast to the destination's shape " + Shapes.str(target.shape()));
        }
        if (r.dtype() != target.dtype() && DType.promote(r.dtype(), target.dtype()) != target.dtype()) {
            throw new IllegalArgumentException(name + ": the result is " + r.dtype() + ", which cannot be stored in"
                    + " the destination's " + target.dtype() + " without losing values");
        }
        return target.copyFrom(r);
    }

    /**
     * Whether {@code target op= other} can be computed in target's own storage: same floating dtype and backend (no
     * promotion), other broadcasts to target's shape, and other does not overlap target except as the same view
     * (an element is read before it is written only at its own position).
     */
    private static boolean direct(Tensor target, Tensor other, BinaryOp op) {
        if (op.isComparison() || !target.dtype().isFloating() || other.dtype() != target.dtype()
                || other.backend() != target.backend() || other.dim() > target.dim()) {
            return false;
        }
        int[] ts = target.shape();
        int[] os = other.shape();
        for (int i = 0; i < os.length; i++) {
            int t = ts[ts.length - os.length + i];
            if (os[i] != t && os[i] != 1) {
                return false;
            }
        }
        return other.storage() != target.storage() || (other.offset() == target.offset()
                && Arrays.equals(other.shape(), ts) && Arrays.equals(other.strides(), target.strides()));
    }
}
