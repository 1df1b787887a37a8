package dev.deneb.onnx.runtime;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;

/**
 * Explicit padding of tensors, per axis at the start and the end: constant values, reflection or edge copies. A
 * negative amount crops. Built from narrow, cat and index selection, so gradients flow.
 */
final class Padding {
    private Padding() {}

    /** How the new elements are filled. */
    enum Mode {
        CONSTANT, REFLECT, EDGE, WRAP
    }

    /**
     * Pads {@code x}: {@code begin[a]} and {@code end[a]} elements on axis {@code a} (negative crops).
     *
     * @param value the fill value in CONSTANT mode
     */
    static Tensor pad(Tensor x, int[] begin, int[] end, Mode mode, double value) {
        Tensor y = x;
        for (int axis = 0; axis < begin.length; axis++) {
            y = padAxis(y, axis, begin[axis], end[axis], mode, value);
        }
        return y;
    }

    /** True when no axis is padded or cropped. */
    static boolean isZero(int[] begin, int[] end) {
        for (int k = 0; k < begin.length; k++) {
            if (begin[k] != 0 || end[k] != 0) {
                return false;
            }
        }
        return true;
    }

    private static Tensor padAxis(Tensor x, int axis, int before, int after, Mode mode, double value) {
        if (before < 0) {
            x = x.narrow(axis, -before, x.size(axis) + before);
            before = 0;
        }
        if (after < 0) {
            x = x.narrow(axis, 0, x.size(axis) + after);
            after = 0;
        }
        if (before == 0 && after == 0) {
            return x;
        }
        if (mode == Mode.CONSTANT) {
            int[] s = x.shape();
            s[axis] = before;
            Tensor head = Tensor.full(value, x.dtype(), s);
            s[axis] = after;
            Tensor tail = Tensor.full(value, x.dtype(), s);
            return Tensor.cat(axis, head, x, tail);
        }
        int n = x.size(axis);
        long[] index = new long[before + n + after];
        for (int k = 0; k < index.length; k++) {
            index[k] = source(k - before, n, mode);
        }
        return x.indexSelect(axis, Tensor.of(index, index.length).to(DType.I64));
    }

    /** The element of an axis of size {@code n} that position {@code i} (possibly outside) copies. */
    private static long source(int i, int n, Mode mode) {
        if (i >= 0 && i < n) {
            return i;
        }
        return switch (mode) {
            case EDGE -> i < 0 ? 0 : n - 1;
            case WRAP -> Math.floorMod(i, n);
            case REFLECT -> {
                if (n == 1) {
                    yield 0;
                }
                int period = 2 * (n - 1);
                int m = Math.floorMod(i, period);
                yield m < n ? m : period - m;
            }
            case CONSTANT -> throw new IllegalStateException("constant padding copies no element");
        };
    }
}
