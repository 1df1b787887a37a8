package dev.deneb.tensor;

import java.util.Arrays;

/**
 * unique, searchsorted and bucketize. None is differentiable, and unique's size depends on the data, so they read
 * the values on the host (any backend works) and hand back I64 tensors on the input's backend. Order follows
 * PyTorch: NaN sorts above everything, -0.0 equals 0.0, and NaN never equals NaN (each NaN is its own value).
 */
final class SetOps {
    private SetOps() {}

    static UniqueResult unique(Tensor x, boolean sorted, boolean returnInverse, boolean returnCounts) {
        Tensor flat = x.detach().reshape(-1);
        int n = flat.numel();
        long[] perm = Sorting.argsort(flat, 0, false).toLongArray();
        boolean floating = flat.dtype().isFloating();
        double[] d = floating ? flat.toDoubleArray() : null;
        long[] l = floating ? null : flat.toLongArray();
        // Runs of equal values in sorted order are the groups; group[i] is the group of the i-th smallest.
        int[] group = new int[n];
        int groups = 0;
        for (int i = 0; i < n; i++) {
            int p = (int) perm[i];
            boolean same = i > 0 && (floating ? d[p] == d[(int) perm[i - 1]] : l[p] == l[(int) perm[i - 1]]);
            group[i] = same ? groups - 1 : groups++;
        }
        // The sort is stable, so a run starts at the group's first occurrence.
        long[] first = new long[groups];
        long[] count = new long[groups];
        for (int i = n - 1; i >= 0; i--) {
            first[group[i]] = perm[i];
            count[group[i]]++;
        }
        // Output order: ascending, or (sorted = false) by first occurrence.
        int[] order = new int[groups];
        if (sorted) {
            Arrays.setAll(order, g -> g);
        } else {
            long[] byFirst = new long[groups];
            for (int g = 0; g < groups; g++) {
                byFirst[g] = first[g] << 32 | g;
            }
            Arrays.sort(byFirst);
            Arrays.setAll(order, j -> (int) byFirst[j]);
        }
        long[] pick = new long[groups];
        long[] counts = new long[groups];
        int[] rank = new int[groups];
        for (int j = 0; j < groups; j++) {
            pick[j] = first[order[j]];
            counts[j] = count[order[j]];
            rank[order[j]] = j;
        }
        Backend be = x.backend();
        Tensor values = be.indexSelect(flat, 0, Tensor.uploaded(be, pick, groups));
        Tensor inverse = null;
        if (returnInverse) {
            long[] inv = new long[n];
            for (int i = 0; i < n; i++) {
                inv[(int) perm[i]] = rank[group[i]];
            }
            inverse = Tensor.uploaded(be, inv, x.shape());
        }
        return new UniqueResult(values, inverse, returnCounts ? Tensor.uploaded(be, counts, groups) : null);
    }

    static Tensor searchsorted(String op, Tensor sortedSequence, Tensor values, boolean right) {
        Shapes.sameBackend(op, sortedSequence, values);
        int[] ss = sortedSequence.shape();
        int[] vs = values.shape();
        String what = op.equals("bucketize") ? "boundaries" : "sortedSequence";
        if (ss.length == 0) {
            throw new IllegalArgumentException(op + ": " + what + " must have at least one axis, got a 0-D tensor");
        }
        if (ss.length > 1 && (vs.length != ss.length
                || !Arrays.equals(Arrays.copyOf(ss, ss.length - 1), Arrays.copyOf(vs, ss.length - 1)))) {
            throw new IllegalArgumentException(op + ": " + what + " of shape " + Shapes.str(ss) + " and values of"
                    + " shape " + Shapes.str(vs) + " must agree on every axis but the last (or " + what
                    + " must be 1-D)");
        }
        int m = ss[ss.length - 1];
        // Values per line of the sequence: all of them for a 1-D sequence, else the last axis.
        int per = ss.length == 1 ? values.numel() : vs[vs.length - 1];
        long[] out = new long[values.numel()];
        if (sortedSequence.dtype().isFloating() || values.dtype().isFloating()) {
            double[] s = sortedSequence.toDoubleArray();
            double[] v = values.toDoubleArray();
            for (int i = 0; i < out.length; i++) {
                int lo = i / per * m;
                int a = 0;
                int b = m;
                while (a < b) {
                    int mid = (a + b) >>> 1;
                    int c = compare(s[lo + mid], v[i]);
                    if (right ? c <= 0 : c < 0) {
                        a = mid + 1;
                    } else {
                        b = mid;
                    }
                }
                out[i] = a;
            }
        } else {
            long[] s = sortedSequence.toLongArray();
            long[] v = values.toLongArray();
            for (int i = 0; i < out.length; i++) {
                int lo = i / per * m;
                int a = 0;
                int b = m;
                while (a < b) {
                    int mid = (a + b) >>> 1;
                    int c = Long.compare(s[lo + mid], v[i]);
                    if (right ? c <= 0 : c < 0) {
                        a = mid + 1;
                    } else {
                        b = mid;
                    }
                }
                out[i] = a;
            }
        }
        return Tensor.uploaded(values.backend(), out, vs);
    }

    static Tensor bucketize(Tensor x, Tensor boundaries, boolean right) {
        if (boundaries.dim() != 1) {
            throw new IllegalArgumentException("bucketize: boundaries must be 1-D, got shape "
                    + Shapes.str(boundaries.shape()));
        }
        return searchsorted("bucketize", boundaries, x, right);
    }

    /** Ascending order with NaN above everything (all NaNs equal) and -0.0 equal to 0.0. */
    private static int compare(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Boolean.compare(Double.isNaN(a), Double.isNaN(b));
        }
        return a < b ? -1 : a > b ? 1 : 0;
    }
}
