package dev.deneb.onnx.runtime;

import static dev.deneb.onnx.runtime.ElementwiseOps.one;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.ScatterReduction;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;

/** Operators that read or write elements at integer indices: Gather, GatherElements, ScatterElements, ScatterND. */
final class IndexingOps {
    private IndexingOps() {}

    static void register(OpRegistry r) {
        r.add("Gather", 2, 2, IndexingOps::gather);
        r.add("GatherElements", 2, 2, c -> {
            Tensor x = c.input(0);
            int axis = c.axis(c.intAttr("axis", 0), x.dim());
            return one(x.gather(axis, indices(c, 1, x.size(axis))));
        });
        r.add("ScatterElements", 3, 3, IndexingOps::scatterElements);
        r.add("ScatterND", 3, 3, IndexingOps::scatterNd);
    }

    /** Input {@code input} as INT64 indices with negative ones counted from the end of an axis of size
     *  {@code dim}; an error naming the node for indices outside {@code [-dim, dim)}. */
    static Tensor indices(OpCall c, int input, int dim) {
        long[] v = c.longs(input);
        boolean negative = false;
        for (long i : v) {
            if (i < -dim || i >= dim) {
                throw c.error("index " + i + " is outside [" + -dim + ", " + (dim - 1) + "] for an axis of size "
                        + dim);
            }
            negative |= i < 0;
        }
        Tensor t = c.input(input).to(DType.I64);
        if (!negative) {
            return t;
        }
        for (int k = 0; k < v.length; k++) {
            v[k] = v[k] < 0 ? v[k] + dim : v[k];
        }
        return Values.longs(v, t.shape());
    }

    private static Tensor[] gather(OpCall c) {
        Tensor x = c.input(0);
        int axis = c.axis(c.intAttr("axis", 0), x.dim());
        Tensor idx = indices(c, 1, x.size(axis));
        if (idx.dim() == 0) {
            return one(x.select(axis, (int) idx.toLongArray()[0]));
        }
        int[] xs = x.shape();
        int[] out = new int[xs.length - 1 + idx.dim()];
        System.arraycopy(xs, 0, out, 0, axis);
        System.arraycopy(idx.shape(), 0, out, axis, idx.dim());
        System.arraycopy(xs, axis + 1, out, axis + idx.dim(), xs.length - axis - 1);
        return one(x.indexSelect(axis, idx.reshape(-1)).reshape(out));
    }

    private static Tensor[] scatterElements(OpCall c) {
        Tensor x = c.input(0);
        int axis = c.axis(c.intAttr("axis", 0), x.dim());
        Tensor idx = indices(c, 1, x.size(axis));
        Tensor src = c.input(2);
        if (!Arrays.equals(idx.shape(), src.shape())) {
            throw c.error("indices " + Arrays.toString(idx.shape()) + " and updates " + Arrays.toString(src.shape())
                    + " should have the same shape");
        }
        String reduction = c.stringAttr("reduction", "none");
        return one(switch (reduction) {
            case "none" -> x.scatter(axis, idx, src);
            case "add" -> x.scatterAdd(axis, idx, src);
            case "max" -> x.scatterReduce(axis, idx, src, ScatterReduction.AMAX, true);
            case "min" -> x.scatterReduce(axis, idx, src, ScatterReduction.AMIN, true);
            default -> throw c.error("reduction '" + reduction + "' is not supported (none, add, max, min)");
        });
    }

    /**
     * ScatterND as a scatter along one axis: the data seen as {@code [positions, rest]} (the first k axes
     * flattened), each index tuple turned into a position.
     */
    private static Tensor[] scatterNd(OpCall c) {
        Tensor x = c.input(0);
        Tensor indices = c.input(1);
        Tensor updates = c.input(2);
        int[] xs = x.shape();
        int[] is = indices.shape();
        int k = is.length == 0 ? -1 : is[is.length - 1];
        if (k < 1 || k > xs.length) {
            throw c.error("indices " + Arrays.toString(is) + " should end in an axis of 1 to " + xs.length
                    + " (the data's rank) coordinates");
        }
        int[] want = new int[is.length - 1 + xs.length - k];
        System.arraycopy(is, 0, want, 0, is.length - 1);
        System.arraycopy(xs, k, want, is.length - 1, xs.length - k);
        if (!Arrays.equals(updates.shape(), want)) {
            throw c.error("updates should have shape " + Arrays.toString(want) + " for data " + Arrays.toString(xs)
                    + " and indices " + Arrays.toString(is) + ", got " + Arrays.toString(updates.shape()));
        }
        long[] tuples = c.longs(1);
        int n = tuples.length / k;
        long[] positions = new long[n];
        int rest = 1;
        for (int d = k; d < xs.length; d++) {
            rest *= xs[d];
        }
        int outer = 1;
        for (int d = 0; d < k; d++) {
            outer *= xs[d];
        }
        for (int j = 0; j < n; j++) {
            long p = 0;
            for (int d = 0; d < k; d++) {
                long i = tuples[j * k + d];
                if (i < -xs[d] || i >= xs[d]) {
                    throw c.error("index " + i + " is outside [" + -xs[d] + ", " + (xs[d] - 1) + "] for axis " + d
                            + " of data " + Arrays.toString(xs));
                }
                p = p * xs[d] + (i < 0 ? i + xs[d] : i);
            }
            positions[j] = p;
        }
        Tensor index = Tensor.of(positions, n, 1).expand(n, rest).contiguous();
        Tensor flat = x.reshape(outer, rest);
        Tensor src = updates.reshape(n, rest);
        String reduction = c.stringAttr("reduction", "none");
        Tensor y = switch (reduction) {
            case "none" -> flat.scatter(0, index, src);
            case "add" -> flat.scatterAdd(0, index, src);
            case "max" -> flat.scatterReduce(0, index, src, ScatterReduction.AMAX, true);
            case "min" -> flat.scatterReduce(0, index, src, ScatterReduction.AMIN, true);
            default -> throw c.error("reduction '" + reduction + "' is not supported (none, add, max, min)");
        };
        return one(y.reshape(xs));
    }
}
