package dev.deneb.tensor;

import java.util.Arrays;

/**
 * Ops that move or repeat elements without changing them: flip, roll, repeat, tile, repeatInterleave. Each is a
 * composite of recorded ops (indexSelect along an axis, or expand and reshape), so it is differentiable with no rule
 * of its own, and each returns a new tensor that shares nothing with its input (as PyTorch's do).
 */
final class Rearranging {
    private Rearranging() {}

    /** The listed axes reversed (torch.flip); no axes gives an unchanged copy. */
    static Tensor flip(Tensor x, int[] axes) {
        int rank = Math.max(1, x.dim());
        boolean[] seen = new boolean[rank];
        for (int axis : axes) {
            int a = Shapes.axis("flip", axis, rank);
            if (seen[a]) {
                throw new IllegalArgumentException("flip: axis " + a + " appears twice in " + Arrays.toString(axes)
                        + " (shape " + Shapes.str(x.shape()) + ")");
            }
            seen[a] = true;
        }
        Tensor in = x.dim() == 0 ? x.reshape(1) : x;
        Tensor r = in;
        for (int a = 0; a < rank; a++) {
            int n = in.shape()[a];
            if (seen[a] && n > 1) {
                long[] idx = new long[n];
                for (int i = 0; i < n; i++) {
                    idx[i] = n - 1 - i;
                }
                r = r.indexSelect(a, Tensor.uploaded(x.backend(), idx, idx.length));
            }
        }
        return fresh(x.dim() == 0 ? r.reshape() : r, x);
    }

    /**
     * Elements shifted by {@code shifts[i]} along {@code axes[i]}, those pushed past the end coming back at the start
     * (torch.roll); an axis listed twice is shifted by the sum.
     */
    static Tensor roll(Tensor x, int[] shifts, int[] axes) {
        if (shifts.length != axes.length || shifts.length == 0) {
            throw new IllegalArgumentException("roll: expected one shift per axis (at least one), got shifts "
                    + Arrays.toString(shifts) + " and axes " + Arrays.toString(axes) + " for shape "
                    + Shapes.str(x.shape()));
        }
        int rank = Math.max(1, x.dim());
        long[] total = new long[rank];
        for (int i = 0; i < axes.length; i++) {
            total[Shapes.axis("roll", axes[i], rank)] += shifts[i];
        }
        Tensor in = x.dim() == 0 ? x.reshape(1) : x;
        Tensor r = in;
        for (int a = 0; a < rank; a++) {
            int n = in.shape()[a];
            if (n == 0) {
                continue;
            }
            int s = (int) Math.floorMod(total[a], (long) n);
            if (s != 0) {
                long[] idx = new long[n];
                for (int i = 0; i < n; i++) {
                    idx[i] = Math.floorMod(i - s, n);
                }
                r = r.indexSelect(a, Tensor.uploaded(x.backend(), idx, idx.length));
            }
        }
        return fresh(x.dim() == 0 ? r.reshape() : r, x);
    }

    /** The flattened tensor rolled by {@code shift}, in the original shape (torch.roll without dims). */
    static Tensor roll(Tensor x, int shift) {
        return roll(x.reshape(-1), new int[] {shift}, new int[] {0}).reshape(x.shape());
    }

    /**
     * The tensor repeated {@code repeats[i]} times along axis i (torch.Tensor.repeat); extra leading repeats add
     * leading axes.
     */
    static Tensor repeat(Tensor x, int[] repeats) {
        return repeat("repeat", x, repeats);
    }

    private static Tensor repeat(String op, Tensor x, int[] repeats) {
        int[] shape = x.shape();
        if (repeats.length < shape.length) {
            throw new IllegalArgumentException(op + ": expected at least " + shape.length + " repeats for shape "
                    + Shapes.str(shape) + ", got " + Arrays.toString(repeats) + " (use tile to pad with 1s)");
        }
        int lead = repeats.length - shape.length;
        int[] padded = new int[repeats.length];
        int[] out = new int[repeats.length];
        int[] interleaved = new int[2 * repeats.length];
        int[] expanded = new int[2 * repeats.length];
        long count = 1;
        for (int i = 0; i < repeats.length; i++) {
            if (repeats[i] < 0) {
                throw new IllegalArgumentException(op + ": repeats must be >= 0, got " + Arrays.toString(repeats)
                        + " for shape " + Shapes.str(shape));
            }
            padded[i] = i < lead ? 1 : shape[i - lead];
            long size = (long) padded[i] * repeats[i];
            count = size > Integer.MAX_VALUE ? Long.MAX_VALUE : count * size;
            if (count > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(op + ": repeating shape " + Shapes.str(shape) + " by "
                        + Arrays.toString(repeats) + " gives more than " + (Integer.MAX_VALUE - 8) + " elements");
            }
            out[i] = (int) size;
            interleaved[2 * i] = 1;
            interleaved[2 * i + 1] = padded[i];
            expanded[2 * i] = repeats[i];
            expanded[2 * i + 1] = padded[i];
        }
        Tensor r = x.reshape(interleaved).expand(expanded).reshape(out);
        return fresh(r, x);
    }

    /** torch.tile: like {@link #repeat}, with fewer reps than axes padded with 1s in front. */
    static Tensor tile(Tensor x, int[] reps) {
        int[] r = reps;
        if (reps.length < x.dim()) {
            r = new int[x.dim()];
            Arrays.fill(r, 1);
            System.arraycopy(reps, 0, r, x.dim() - reps.length, reps.length);
        }
        return repeat("tile", x, r);
    }

    /** Each slice along {@code axis} repeated {@code repeats} times in place (torch.repeat_interleave). */
    static Tensor repeatInterleave(Tensor x, int repeats, int axis) {
        Tensor in = x.dim() == 0 ? x.reshape(1) : x;
        int a = Shapes.axis("repeatInterleave", axis, in.dim());
        if (repeats < 0) {
            throw new IllegalArgumentException("repeatInterleave: repeats must be >= 0, got " + repeats);
        }
        long[] counts = new long[in.shape()[a]];
        Arrays.fill(counts, repeats);
        return interleave(x, in, a, counts);
    }

    /** Slice i along {@code axis} repeated {@code repeats[i]} times; repeats is a 1-D (or one-element) integer
     *  tensor with one count per slice, each >= 0. */
    static Tensor repeatInterleave(Tensor x, Tensor repeats, int axis) {
        Tensor in = x.dim() == 0 ? x.reshape(1) : x;
        int a = Shapes.axis("repeatInterleave", axis, in.dim());
        int n = in.shape()[a];
        if (!repeats.dtype().isInteger() || repeats.dim() > 1) {
            throw new IllegalArgumentException("repeatInterleave: repeats must be a 0-D or 1-D i32 or i64 tensor, got "
                    + repeats.dtype() + " of shape " + Shapes.str(repeats.shape()));
        }
        if (repeats.numel() != n && repeats.numel() != 1) {
            throw new IllegalArgumentException("repeatInterleave: repeats of shape " + Shapes.str(repeats.shape())
                    + " must have one count per slice (" + n + ") along axis " + a + " of shape "
                    + Shapes.str(x.shape()) + ", or a single count");
        }
        long[] given = repeats.toLongArray();
        long[] counts = new long[n];
        for (int i = 0; i < n; i++) {
            counts[i] = given.length == 1 ? given[0] : given[i];
            if (counts[i] < 0) {
                throw new IllegalArgumentException("repeatInterleave: repeats must be >= 0, got " + counts[i]
                        + " at position " + (given.length == 1 ? 0 : i));
            }
        }
        return interleave(x, in, a, counts);
    }

    private static Tensor interleave(Tensor x, Tensor in, int a, long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
            if (total > Integer.MAX_VALUE - 8) {
                break;
            }
        }
        int[] shape = in.shape();
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("repeatInterleave: repeating axis " + a + " of shape "
                    + Shapes.str(x.shape()) + " gives more than " + (Integer.MAX_VALUE - 8) + " slices");
        }
        shape[a] = (int) total;
        Shapes.numel("repeatInterleave", shape);
        long[] idx = new long[(int) total];
        for (int i = 0, p = 0; i < counts.length; i++) {
            for (long k = 0; k < counts[i]; k++) {
                idx[p++] = i;
            }
        }
        return fresh(in.indexSelect(a, Tensor.uploaded(x.backend(), idx, idx.length)), x);
    }

    // ---- shared helpers ----

    /** {@code r}, or a copy of it when it still shares storage with {@code x} (these ops never return views). */
    static Tensor fresh(Tensor r, Tensor x) {
        return r.storage() == x.storage() ? r.copy() : r;
    }
}
