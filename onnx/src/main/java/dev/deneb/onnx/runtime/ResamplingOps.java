package dev.deneb.onnx.runtime;

import static dev.deneb.onnx.runtime.ElementwiseOps.one;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;
import java.util.Locale;

/**
 * Pad (constant, reflect, edge, wrap) and Resize (nearest and linear, every coordinate transformation but
 * tf_crop_and_resize). Resize runs axis by axis as index selections and weighted sums, so it is differentiable.
 */
final class ResamplingOps {
    private ResamplingOps() {}

    static void register(OpRegistry r) {
        r.add("Pad", 2, 4, ResamplingOps::pad);
        r.add("Resize", 1, 4, ResamplingOps::resize);
    }

    private static Tensor[] pad(OpCall c) {
        Tensor x = c.input(0);
        int rank = x.dim();
        int[] pads = c.ints(1);
        int[] axes;
        if (c.optionalInput(3) != null) {
            axes = c.axes(c.longs(3), rank);
        } else {
            axes = new int[rank];
            for (int k = 0; k < rank; k++) {
                axes[k] = k;
            }
        }
        if (pads.length != 2 * axes.length) {
            throw c.error("pads has " + pads.length + " values, expected " + 2 * axes.length + " (begin and end of "
                    + axes.length + " axes) for input " + Arrays.toString(x.shape()));
        }
        int[] begin = new int[rank];
        int[] end = new int[rank];
        for (int k = 0; k < axes.length; k++) {
            begin[axes[k]] = pads[k];
            end[axes[k]] = pads[k + axes.length];
        }
        String mode = c.stringAttr("mode", "constant");
        Padding.Mode m = switch (mode) {
            case "constant" -> Padding.Mode.CONSTANT;
            case "reflect" -> Padding.Mode.REFLECT;
            case "edge" -> Padding.Mode.EDGE;
            case "wrap" -> Padding.Mode.WRAP;
            default -> throw c.error("mode '" + mode + "' is not one of constant, reflect, edge, wrap");
        };
        double value = c.optionalInput(2) == null ? 0 : c.scalar(2);
        return one(Padding.pad(x, begin, end, m, value));
    }

    private static Tensor[] resize(OpCall c) {
        Tensor x = c.input(0);
        int rank = x.dim();
        String mode = c.stringAttr("mode", "nearest");
        String transform = c.stringAttr("coordinate_transformation_mode", "half_pixel");
        if (!mode.equals("nearest") && !mode.equals("linear")) {
            throw c.error("mode '" + mode + "' is not supported (Deneb resizes with nearest and linear)");
        }
        if (transform.equals("tf_crop_and_resize")) {
            throw c.error("coordinate_transformation_mode tf_crop_and_resize is not supported");
        }
        if (c.intAttr("antialias", 0) != 0) {
            throw c.error("antialias is not supported");
        }
        if (!c.stringAttr("keep_aspect_ratio_policy", "stretch").equals("stretch")) {
            throw c.error("keep_aspect_ratio_policy other than stretch is not supported");
        }
        long[] axesAttr = c.intsAttr("axes", null);
        int[] axes = axesAttr == null ? null : c.axes(axesAttr, rank);
        int n = axes == null ? rank : axes.length;
        Tensor scalesIn = c.optionalInput(2);
        Tensor sizesIn = c.optionalInput(3);
        boolean haveScales = scalesIn != null && scalesIn.numel() > 0;
        boolean haveSizes = sizesIn != null && sizesIn.numel() > 0;
        if (haveScales == haveSizes) {
            throw c.error("exactly one of scales and sizes should be given");
        }
        double[] scales = haveScales ? scalesIn.to(DType.F64).toDoubleArray() : null;
        long[] sizes = haveSizes ? c.longs(3) : null;
        int count = haveScales ? scales.length : sizes.length;
        if (count != n) {
            throw c.error((haveScales ? "scales" : "sizes") + " has " + count + " values, expected " + n
                    + " for input " + Arrays.toString(x.shape()));
        }
        Tensor y = x;
        for (int k = 0; k < n; k++) {
            int axis = axes == null ? k : axes[k];
            int in = x.size(axis);
            int out = haveSizes ? (int) sizes[k] : (int) Math.floor(in * scales[k]);
            double scale = haveSizes ? (double) out / in : scales[k];
            if (out == in && scale == 1) {
                continue;
            }
            if (out < 1) {
                throw c.error("axis " + axis + " would have size " + out);
            }
            y = resizeAxis(c, y, axis, in, out, scale, mode, transform);
        }
        return one(y);
    }

    private static Tensor resizeAxis(OpCall c, Tensor x, int axis, int in, int out, double scale, String mode,
                                     String transform) {
        String nearestMode = c.stringAttr("nearest_mode", "round_prefer_floor");
        long[] lo = new long[out];
        long[] hi = new long[out];
        double[] frac = new double[out];
        for (int i = 0; i < out; i++) {
            double src = source(c, transform, i, in, out, scale);
            if (mode.equals("nearest")) {
                lo[i] = Math.clamp(nearest(c, nearestMode, src), 0, in - 1);
                continue;
            }
            double s = Math.clamp(src, 0, in - 1);
            lo[i] = (long) Math.floor(s);
            hi[i] = Math.min(lo[i] + 1, in - 1);
            frac[i] = s - lo[i];
        }
        Tensor first = x.indexSelect(axis, Tensor.of(lo, out));
        if (mode.equals("nearest")) {
            return first;
        }
        Tensor second = x.indexSelect(axis, Tensor.of(hi, out));
        Tensor w = Tensor.of(frac, Values.along(x.dim(), axis, out)).to(x.dtype());
        return first.add(second.sub(first).mul(w));
    }

    /** The input coordinate output element {@code i} samples. */
    private static double source(OpCall c, String transform, int i, int in, int out, double scale) {
        return switch (transform) {
            case "half_pixel" -> (i + 0.5) / scale - 0.5;
            case "pytorch_half_pixel" -> out > 1 ? (i + 0.5) / scale - 0.5 : 0;
            case "align_corners" -> out == 1 ? 0 : i * (in - 1.0) / (out - 1.0);
            case "asymmetric" -> i / scale;
            case "half_pixel_symmetric" -> {
                double adjustment = out / (scale * in);
                double center = in / 2.0;
                yield center * (1 - adjustment) + (i + 0.5) / scale - 0.5;
            }
            default -> throw c.error("coordinate_transformation_mode '" + transform + "' is not supported");
        };
    }

    private static long nearest(OpCall c, String nearestMode, double x) {
        return switch (nearestMode.toLowerCase(Locale.ROOT)) {
            case "round_prefer_floor" -> x == Math.floor(x) + 0.5 ? (long) Math.floor(x) : Math.round(x);
            case "round_prefer_ceil" -> (long) Math.floor(x + 0.5);
            case "floor" -> (long) Math.floor(x);
            case "ceil" -> (long) Math.ceil(x);
            default -> throw c.error("nearest_mode '" + nearestMode + "' is not supported");
        };
    }
}
