package dev.deneb.nn;

import dev.deneb.tensor.Tensor;
import java.util.Arrays;

/**
 * Splits axis {@code dim} into the axes {@code sizes} (PyTorch's {@code nn.Unflatten}, the inverse of
 * {@link Flatten}); one size may be -1 and is then inferred. {@code dim} may be negative (counted from the end).
 *
 * <pre>{@code
 * new Unflatten(1, 16, 7, 7);     // [N, 784] -> [N, 16, 7, 7]
 * }</pre>
 */
public final class Unflatten extends Layer {
    public final int dim;
    private final int[] sizes;

    public Unflatten(int dim, int... sizes) {
        if (sizes.length == 0 || Arrays.stream(sizes).filter(s -> s == -1).count() > 1
                || Arrays.stream(sizes).anyMatch(s -> s < 1 && s != -1)) {
            throw new IllegalArgumentException("Unflatten: expected sizes >= 1, at most one of them -1, got "
                    + Arrays.toString(sizes));
        }
        this.dim = dim;
        this.sizes = sizes.clone();
    }

    /** The sizes the axis is split into. */
    public int[] sizes() {
        return sizes.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        int[] xs = input.shape();
        int d = dim < 0 ? dim + xs.length : dim;
        if (d < 0 || d >= xs.length) {
            throw new IllegalArgumentException("Unflatten: dim " + dim + " is out of range for input "
                    + Arrays.toString(xs));
        }
        long known = 1;
        int inferred = -1;
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] == -1) {
                inferred = i;
            } else {
                known *= sizes[i];
            }
        }
        int[] split = sizes.clone();
        if (inferred >= 0 && known > 0 && xs[d] % known == 0) {
            split[inferred] = (int) (xs[d] / known);
            known *= split[inferred];
        }
        if (known != xs[d] || (inferred >= 0 && split[inferred] < 0)) {
            throw new IllegalArgumentException("Unflatten: sizes " + Arrays.toString(sizes) + " do not multiply up"
                    + " to the size " + xs[d] + " of axis " + d + " of input " + Arrays.toString(xs));
        }
        int[] out = new int[xs.length - 1 + split.length];
        System.arraycopy(xs, 0, out, 0, d);
        System.arraycopy(split, 0, out, d, split.length);
        System.arraycopy(xs, d + 1, out, d + split.length, xs.length - d - 1);
        return input.reshape(out);
    }

    @Override
    protected String describe() {
        return "dim=" + dim + ", sizes=" + Arrays.toString(sizes);
    }
}
