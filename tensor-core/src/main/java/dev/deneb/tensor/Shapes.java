package dev.deneb.tensor;

import java.util.Arrays;

/** Shape arithmetic and the argument checks shared by all ops; every message names the op and the shapes. */
final class Shapes {
    private Shapes() {}

    static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /** Element count, rejecting negative sizes and counts beyond what a Java array holds. */
    static int numel(String op, int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(op + ": sizes must be >= 0, got shape " + str(shape));
            }
            n *= d;
            if (n > Tensor.MAX_ELEMENTS) {
                throw new IllegalArgumentException(op + ": shape " + str(shape) + " has more than "
                        + Tensor.MAX_ELEMENTS + " elements (Tensor.MAX_ELEMENTS)");
            }
        }
        return (int) n;
    }

    static int[] contiguousStrides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= Math.max(shape[d], 1);
        }
        return s;
    }

    /** Maps a possibly negative axis into {@code [0, rank)}. */
    static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for a tensor of rank " + rank
                    + " (expected " + (-rank) + " .. " + (rank - 1) + ")");
        }
        return a;
    }

    /** Normalised, sorted, distinct axes; an empty array means all axes. */
    static int[] axes(String op, int[] axes, int rank) {
        if (axes.length == 0) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = axis(op, axes[i], rank);
        }
        Arrays.sort(out);
        for (int i = 1; i < out.length; i++) {
            if (out[i] == out[i - 1]) {
                throw new IllegalArgumentException(op + ": axis " + out[i] + " appears twice in " + Arrays.toString(axes));
            }
        }
        return out;
    }

    /** The NumPy broadcast of two shapes. */
    static int[] broadcast(String op, int[] a, int[] b) {
        if (Arrays.equals(a, b)) {
            return a;
        }
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b)
                        + " cannot be broadcast together (axis " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Shape after reducing {@code axes} (sorted). */
    static int[] reduced(int[] shape, int[] axes, boolean keepdim) {
        int[] out = new int[keepdim ? shape.length : shape.length - axes.length];
        int j = 0;
        for (int d = 0, k = 0; d < shape.length; d++) {
            boolean r = k < axes.length && axes[k] == d;
            if (r) {
                k++;
                if (keepdim) {
                    out[j++] = 1;
                }
            } else {
                out[j++] = shape[d];
            }
        }
        return out;
    }

    /** Resolves one -1 in a requested shape. */
    static int[] inferSize(String op, int[] shape, int numel) {
        int[] out = shape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException(op + ": only one size may be -1, got " + str(shape));
                }
                infer = i;
            } else if (out[i] < 0) {
                throw new IllegalArgumentException(op + ": sizes must be >= 0 or -1, got " + str(shape));
            } else {
                known *= out[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new IllegalArgumentException(op + ": cannot infer -1 in " + str(shape) + " for " + numel
                        + " elements");
            }
            out[infer] = (int) (numel / known);
        } else if (known != numel) {
            throw new IllegalArgumentException(op + ": shape " + str(shape) + " holds " + known
                    + " elements, but the tensor has " + numel);
        }
        return out;
    }

    /**
     * Strides that let a tensor of (shape, strides) be seen as {@code newShape} without copying, or null when the
     * memory layout does not allow it (PyTorch's rule: each group of merged axes must be contiguous in itself).
     */
    static int[] viewStrides(int[] shape, int[] strides, int[] newShape) {
        int[] out = new int[newShape.length];
        int numel = 1;
        for (int d : shape) {
            numel *= d;
        }
        if (numel == 0 || shape.length == 0) {
            return contiguousStrides(newShape);
        }
        int viewD = newShape.length - 1;
        long chunkBase = strides[strides.length - 1];
        long tensorNumel = 1;
        long viewNumel = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            tensorNumel *= shape[d];
            if (d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    out[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) {
                    return null;
                }
                if (d > 0) {
                    chunkBase = strides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? out : null;
    }

    static void sameBackend(String op, Tensor a, Tensor b) {
        if (a.backend() != b.backend()) {
            throw new IllegalArgumentException(op + ": tensors live on different backends (" + a.backend().name()
                    + " and " + b.backend().name() + "); move one with to(backend) first");
        }
    }

    static void requireFloating(String op, Tensor t) {
        if (!t.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": expected a floating-point tensor (f32 or f64), got "
                    + t.dtype() + " of shape " + str(t.shape()));
        }
    }
}
