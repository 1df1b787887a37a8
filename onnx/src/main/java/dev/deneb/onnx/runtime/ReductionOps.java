package dev.deneb.onnx.runtime;

import static dev.deneb.onnx.runtime.ElementwiseOps.one;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;

/** Reductions over axes (ReduceMean and friends), ArgMax/ArgMin, Softmax and LogSoftmax. */
final class ReductionOps {
    private ReductionOps() {}

    /** A reduction of a tensor over the given (non-empty, non-negative) axes. */
    @FunctionalInterface
    private interface Reduction {
        Tensor reduce(Tensor x, int[] axes, boolean keepdims);
    }

    static void register(OpRegistry r) {
        reduce(r, "ReduceMean", Tensor::mean);
        reduce(r, "ReduceSum", Tensor::sum);
        reduce(r, "ReduceMax", Tensor::amax);
        reduce(r, "ReduceMin", Tensor::amin);
        reduce(r, "ReduceProd", Tensor::prod);
        reduce(r, "ReduceSumSquare", (x, a, k) -> x.mul(x).sum(a, k));
        reduce(r, "ReduceL1", (x, a, k) -> x.abs().sum(a, k));
        reduce(r, "ReduceL2", (x, a, k) -> x.mul(x).sum(a, k).sqrt());
        reduce(r, "ReduceLogSumExp", Tensor::logsumexp);
        r.add("ArgMax", 1, 1, c -> argReduce(c, true));
        r.add("ArgMin", 1, 1, c -> argReduce(c, false));
        r.add("Softmax", 1, 1, c -> {
            Tensor x = c.input(0);
            return one(x.softmax(c.axis(c.intAttr("axis", -1), x.dim())));
        });
        r.add("LogSoftmax", 1, 1, c -> {
            Tensor x = c.input(0);
            return one(x.logSoftmax(c.axis(c.intAttr("axis", -1), x.dim())));
        });
    }

    private static void reduce(OpRegistry r, String name, Reduction f) {
        r.add(name, 1, 2, c -> {
            Tensor x = c.input(0);
            // The axes moved from an attribute to an input (opset 13 for ReduceSum, 18 for the others): read either.
            long[] axes = c.optionalInput(1) != null ? c.longs(1) : c.intsAttr("axes", new long[0]);
            boolean keep = c.intAttr("keepdims", 1) == 1;
            if (axes.length == 0) {
                if (c.intAttr("noop_with_empty_axes", 0) == 1) {
                    return one(x);
                }
                axes = new long[x.dim()];
                for (int k = 0; k < axes.length; k++) {
                    axes[k] = k;
                }
            }
            if (x.dim() == 0) {
                return one(f.reduce(x.reshape(1), new int[] {0}, false));
            }
            return one(f.reduce(x, c.axes(axes, x.dim()), keep));
        });
    }

    private static Tensor[] argReduce(OpCall c, boolean max) {
        Tensor x = c.input(0);
        int axis = c.axis(c.intAttr("axis", 0), x.dim());
        boolean keep = c.intAttr("keepdims", 1) == 1;
        if (c.intAttr("select_last_index", 0) == 1) {
            // The first extremum of the reversed axis is the last one of the original.
            Tensor flipped = x.flip(axis);
            Tensor i = max ? flipped.argmax(axis, keep) : flipped.argmin(axis, keep);
            return one(i.neg().add(x.size(axis) - 1).to(DType.I64));
        }
        return one((max ? x.argmax(axis, keep) : x.argmin(axis, keep)).to(DType.I64));
    }
}
