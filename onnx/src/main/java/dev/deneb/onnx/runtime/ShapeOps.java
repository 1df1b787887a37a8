package dev.deneb.onnx.runtime;

import static dev.deneb.onnx.runtime.ElementwiseOps.one;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Operators that move, combine or describe elements without arithmetic: Reshape, Transpose, Slice, Concat, Split,
 * Shape and the constants. Shape arithmetic (PyTorch exports it for dynamic axes) runs on INT64 tensors.
 */
final class ShapeOps {
    private ShapeOps() {}

    static void register(OpRegistry r) {
        r.add("Constant", 0, 0, ShapeOps::constant);
        r.add("Shape", 1, 1, ShapeOps::shape);
        r.add("Size", 1, 1, c -> one(Values.longScalar(c.input(0).numel())));
        r.add("Reshape", 2, 2, ShapeOps::reshape);
        r.add("Flatten", 1, 1, ShapeOps::flatten);
        r.add("Transpose", 1, 1, ShapeOps::transpose);
        r.add("Squeeze", 1, 2, ShapeOps::squeeze);
        r.add("Unsqueeze", 2, 2, ShapeOps::unsqueeze);
        r.add("Concat", 1, Integer.MAX_VALUE, c -> {
            List<Tensor> in = new ArrayList<>();
            for (int k = 0; k < c.inputCount(); k++) {
                in.add(c.input(k));
            }
            return one(Tensor.cat(c.axis(c.intAttr("axis", 0), in.get(0).dim()), in));
        });
        r.add("Split", 1, 2, Integer.MAX_VALUE, ShapeOps::split);
        r.add("Slice", 3, 5, ShapeOps::slice);
        r.add("Expand", 2, 2, c -> {
            Tensor x = c.input(0);
            return one(x.expand(broadcast(c, x.shape(), c.ints(1))));
        });
        r.add("Tile", 2, 2, c -> {
            Tensor x = c.input(0);
            int[] reps = c.ints(1);
            if (reps.length != x.dim()) {
                throw c.error("repeats has " + reps.length + " values for an input of rank " + x.dim() + " "
                        + Arrays.toString(x.shape()));
            }
            return one(x.tile(reps));
        });
        r.add("ConstantOfShape", 1, 1, ShapeOps::constantOfShape);
        r.add("Range", 3, 3, ShapeOps::range);
        r.add("Trilu", 1, 2, c -> {
            int k = c.optionalInput(1) == null ? 0 : (int) c.scalar(1);
            Tensor x = c.input(0);
            return one(c.intAttr("upper", 1) == 1 ? x.triu(k) : x.tril(k));
        });
    }

    private static Tensor[] constant(OpCall c) {
        if (c.node().attributes().size() != 1) {
            throw c.error("expected exactly one value attribute, got " + c.node().attributes().size());
        }
        String name = c.node().attributes().get(0).name();
        return one(switch (name) {
            case "value" -> c.tensorAttr("value");
            case "value_float" -> Tensor.scalar(c.floatAttr(name, 0));
            case "value_floats" -> Tensor.of(c.floatsAttr(name, null), c.floatsAttr(name, null).length);
            case "value_int" -> Values.longScalar(c.intAttr(name, 0));
            case "value_ints" -> Tensor.of(c.intsAttr(name, null), c.intsAttr(name, null).length);
            default -> throw c.error("attribute '" + name + "' is not supported (Deneb reads value, value_float,"
                    + " value_floats, value_int and value_ints)");
        });
    }

    private static Tensor[] shape(OpCall c) {
        int[] s = c.input(0).shape();
        int start = clampAxis(c.intAttr("start", 0), s.length);
        int end = clampAxis(c.intAttr("end", s.length), s.length);
        long[] out = new long[Math.max(0, end - start)];
        for (int k = 0; k < out.length; k++) {
            out[k] = s[start + k];
        }
        return one(Tensor.of(out, out.length));
    }

    /** Shape's start and end: negative counts from the back, then clamped to [0, rank]. */
    private static int clampAxis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        return (int) Math.max(0, Math.min(rank, a));
    }

    private static Tensor[] reshape(OpCall c) {
        Tensor x = c.input(0);
        int[] shape = c.ints(1);
        boolean allowZero = c.intAttr("allowzero", 0) == 1;
        int inferred = 0;
        for (int k = 0; k < shape.length; k++) {
            if (shape[k] == 0 && !allowZero) {
                if (k >= x.dim()) {
                    throw c.error("shape " + Arrays.toString(shape) + " copies axis " + k + " (a 0) but the input "
                            + Arrays.toString(x.shape()) + " has rank " + x.dim());
                }
                shape[k] = x.size(k);
            } else if (shape[k] == -1) {
                inferred++;
            } else if (shape[k] < 0) {
                throw c.error("shape " + Arrays.toString(shape) + " has a negative size other than -1");
            }
        }
        if (inferred > 1) {
            throw c.error("shape " + Arrays.toString(shape) + " has more than one -1");
        }
        long known = 1;
        for (int s : shape) {
            known *= s == -1 ? 1 : s;
        }
        if (inferred == 0 ? known != x.numel() : known == 0 || x.numel() % known != 0) {
            throw c.error("cannot reshape " + Arrays.toString(x.shape()) + " (" + x.numel() + " elements) to "
                    + Arrays.toString(c.ints(1)));
        }
        return one(x.reshape(shape));
    }

    private static Tensor[] flatten(OpCall c) {
        Tensor x = c.input(0);
        long axis = c.intAttr("axis", 1);
        int rank = x.dim();
        if (axis < -rank || axis > rank) {
            throw c.error("axis " + axis + " is outside [" + -rank + ", " + rank + "] for input "
                    + Arrays.toString(x.shape()));
        }
        int a = (int) (axis < 0 ? axis + rank : axis);
        int outer = 1;
        for (int k = 0; k < a; k++) {
            outer *= x.size(k);
        }
        return one(x.reshape(outer, outer == 0 ? 0 : x.numel() / outer));
    }

    private static Tensor[] transpose(OpCall c) {
        Tensor x = c.input(0);
        int rank = x.dim();
        int[] perm = c.intsAttrAsInts("perm", null);
        if (perm == null) {
            perm = new int[rank];
            for (int k = 0; k < rank; k++) {
                perm[k] = rank - 1 - k;
            }
        }
        if (perm.length != rank) {
            throw c.error("perm " + Arrays.toString(perm) + " does not fit an input of rank " + rank);
        }
        return one(x.permute(c.axes(Arrays.stream(perm).asLongStream().toArray(), rank)));
    }

    private static Tensor[] squeeze(OpCall c) {
        Tensor x = c.input(0);
        if (c.optionalInput(1) == null) {
            int[] keep = Arrays.stream(x.shape()).filter(s -> s != 1).toArray();
            return one(x.reshape(keep));
        }
        int[] axes = c.axes(c.longs(1), x.dim());
        List<Integer> out = new ArrayList<>();
        for (int d = 0; d < x.dim(); d++) {
            final int axis = d;
            boolean drop = Arrays.stream(axes).anyMatch(a -> a == axis);
            if (drop && x.size(d) != 1) {
                throw c.error("cannot squeeze axis " + d + " of size " + x.size(d) + " (input "
                        + Arrays.toString(x.shape()) + ")");
            }
            if (!drop) {
                out.add(x.size(d));
            }
        }
        return one(x.reshape(out.stream().mapToInt(Integer::intValue).toArray()));
    }

    private static Tensor[] unsqueeze(OpCall c) {
        Tensor x = c.input(0);
        long[] raw = c.longs(1);
        int rank = x.dim() + raw.length;
        int[] axes = c.axes(raw, rank);
        boolean[] inserted = new boolean[rank];
        for (int a : axes) {
            inserted[a] = true;
        }
        int[] shape = new int[rank];
        for (int d = 0, src = 0; d < rank; d++) {
            shape[d] = inserted[d] ? 1 : x.size(src++);
        }
        return one(x.reshape(shape));
    }

    private static Tensor[] split(OpCall c) {
        Tensor x = c.input(0);
        int axis = c.axis(c.intAttr("axis", 0), x.dim());
        int dim = x.size(axis);
        int parts = c.outputCount();
        int[] sizes;
        if (c.optionalInput(1) != null) {
            sizes = c.ints(1);
        } else if (c.hasAttribute("split")) {
            sizes = c.intsAttrAsInts("split", null);
        } else {
            int n = c.hasAttribute("num_outputs") ? c.intAttrAsInt("num_outputs", parts) : parts;
            // Equal parts, the last smaller when the size does not divide (opset 18's num_outputs rule).
            int each = Math.ceilDiv(dim, n);
            sizes = new int[n];
            for (int k = 0; k < n; k++) {
                sizes[k] = Math.max(0, Math.min(each, dim - k * each));
            }
        }
        if (sizes.length != parts || Arrays.stream(sizes).sum() != dim || Arrays.stream(sizes).anyMatch(s -> s < 0)) {
            throw c.error("split sizes " + Arrays.toString(sizes) + " should be " + parts + " non-negative sizes"
                    + " summing to " + dim + " (axis " + axis + " of " + Arrays.toString(x.shape()) + ")");
        }
        Tensor[] out = new Tensor[parts];
        for (int k = 0, start = 0; k < parts; start += sizes[k], k++) {
            out[k] = x.narrow(axis, start, sizes[k]);
        }
        return out;
    }

    private static Tensor[] slice(OpCall c) {
        Tensor x = c.input(0);
        long[] starts = c.longs(1);
        long[] ends = c.longs(2);
        long[] axes = c.optionalInput(3) == null ? null : c.longs(3);
        long[] steps = c.optionalInput(4) == null ? null : c.longs(4);
        int n = starts.length;
        if (ends.length != n || (axes != null && axes.length != n) || (steps != null && steps.length != n)) {
            throw c.error("starts, ends, axes and steps should have the same length, got " + n + ", " + ends.length
                    + ", " + (axes == null ? "-" : axes.length) + ", " + (steps == null ? "-" : steps.length));
        }
        if (axes == null) {
            axes = new long[n];
            for (int k = 0; k < n; k++) {
                axes[k] = k;
            }
        }
        int[] ax = c.axes(axes, x.dim());
        Tensor y = x;
        for (int k = 0; k < n; k++) {
            long step = steps == null ? 1 : steps[k];
            if (step == 0) {
                throw c.error("step 0 on axis " + ax[k]);
            }
            y = sliceAxis(y, ax[k], starts[k], ends[k], step);
        }
        return one(y);
    }

    /** One axis of Slice, with ONNX's clamping; negative steps walk the flipped axis. */
    private static Tensor sliceAxis(Tensor x, int axis, long start, long end, long step) {
        long dim = x.size(axis);
        long s = start < 0 ? start + dim : start;
        long e = end < 0 ? end + dim : end;
        if (step > 0) {
            s = Math.clamp(s, 0, dim);
            e = Math.clamp(e, 0, dim);
            if (e <= s) {
                return x.narrow(axis, 0, 0);
            }
            return s == 0 && e == dim && step == 1 ? x : x.slice(axis, (int) s, (int) e, (int) Math.min(step, dim));
        }
        s = Math.clamp(s, 0, dim - 1);
        e = Math.clamp(e, -1, dim - 1);
        if (e >= s) {
            return x.narrow(axis, 0, 0);
        }
        // Element i of x is element dim-1-i of the flipped axis, so start..end (exclusive) walking down becomes
        // dim-1-start..dim-1-end walking up.
        return x.flip(axis).slice(axis, (int) (dim - 1 - s), (int) (dim - 1 - e), (int) Math.min(-step, dim));
    }

    /** ONNX's two-way broadcast of a shape with the requested one (Expand). */
    static int[] broadcast(OpCall c, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int k = 0; k < rank; k++) {
            int x = k - (rank - a.length) >= 0 ? a[k - (rank - a.length)] : 1;
            int y = k - (rank - b.length) >= 0 ? b[k - (rank - b.length)] : 1;
            if (x != y && x != 1 && y != 1) {
                throw c.error("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast together");
            }
            out[k] = x == 1 ? y : x;
        }
        return out;
    }

    private static Tensor[] constantOfShape(OpCall c) {
        int[] shape = c.ints(0);
        Tensor value = c.tensorAttr("value");
        if (value == null) {
            return one(Tensor.zeros(DType.F32, shape));
        }
        if (value.numel() != 1) {
            throw c.error("value should hold one element, got shape " + Arrays.toString(value.shape()));
        }
        return one(Tensor.full(value.toDoubleArray()[0], value.dtype(), shape));
    }

    private static Tensor[] range(OpCall c) {
        Tensor start = c.input(0);
        DType type = start.dtype();
        if (type.isInteger()) {
            long s = start.toLongArray()[0];
            long limit = c.input(1).toLongArray()[0];
            long delta = c.input(2).toLongArray()[0];
            if (delta == 0) {
                throw c.error("delta is 0");
            }
            long n = Math.max(0, Math.ceilDiv(limit - s, delta));
            long[] v = new long[(int) n];
            for (int k = 0; k < n; k++) {
                v[k] = s + k * delta;
            }
            return one(Tensor.of(v, v.length).to(type));
        }
        double s = c.scalar(0);
        double delta = c.scalar(2);
        if (delta == 0) {
            throw c.error("delta is 0");
        }
        int n = (int) Math.max(0, Math.ceil((c.scalar(1) - s) / delta));
        double[] v = new double[n];
        for (int k = 0; k < n; k++) {
            v[k] = s + k * delta;
        }
        return one(Tensor.of(v, n).to(type));
    }
}
