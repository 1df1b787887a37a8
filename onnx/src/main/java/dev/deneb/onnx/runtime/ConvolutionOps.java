package dev.deneb.onnx.runtime;

import static dev.deneb.onnx.runtime.ElementwiseOps.one;

import dev.deneb.tensor.ConvOptions;
import dev.deneb.tensor.PoolOptions;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;

/**
 * Convolutions and pooling over 1 or 2 spatial axes: Conv, ConvTranspose, MaxPool, AveragePool and the global
 * poolings. Padding Deneb's kernels cannot express (different at the two ends of an axis) is applied explicitly.
 */
final class ConvolutionOps {
    private ConvolutionOps() {}

    static void register(OpRegistry r) {
        r.add("Conv", 2, 3, ConvolutionOps::conv);
        r.add("ConvTranspose", 2, 3, ConvolutionOps::convTranspose);
        r.add("MaxPool", 1, 1, 2, ConvolutionOps::maxPool);
        r.add("AveragePool", 1, 1, ConvolutionOps::averagePool);
        r.add("GlobalAveragePool", 1, 1, c -> one(c.input(0).mean(spatialAxes(c, c.input(0)), true)));
        r.add("GlobalMaxPool", 1, 1, c -> one(c.input(0).amax(spatialAxes(c, c.input(0)), true)));
    }

    private static int[] spatialAxes(OpCall c, Tensor x) {
        if (x.dim() < 3) {
            throw c.error("expected an input [N, C, spatial...], got " + Arrays.toString(x.shape()));
        }
        int[] axes = new int[x.dim() - 2];
        for (int k = 0; k < axes.length; k++) {
            axes[k] = k + 2;
        }
        return axes;
    }

    /** The spatial sizes of {@code x}, which must be {@code [N, C, L]} or {@code [N, C, H, W]}. */
    private static int[] spatial(OpCall c, Tensor x) {
        if (x.dim() != 3 && x.dim() != 4) {
            throw c.error("Deneb runs " + c.node().opType() + " over 1 or 2 spatial axes (input [N, C, L] or"
                    + " [N, C, H, W]), got input " + Arrays.toString(x.shape()));
        }
        return Arrays.copyOfRange(x.shape(), 2, x.dim());
    }

    private static void checkKernel(OpCall c, int[] kernel) {
        int[] declared = c.intsAttrAsInts("kernel_shape", null);
        if (declared != null && !Arrays.equals(declared, kernel)) {
            throw c.error("kernel_shape " + Arrays.toString(declared) + " differs from the weight's spatial sizes "
                    + Arrays.toString(kernel));
        }
    }

    private static ConvOptions convOptions(WindowGeometry g, int[] pads, int groups) {
        if (g.kernel().length == 1) {
            return new ConvOptions(1, g.strides()[0], 0, pads[0], 1, g.dilations()[0], groups);
        }
        return new ConvOptions(g.strides()[0], g.strides()[1], pads[0], pads[1], g.dilations()[0],
                g.dilations()[1], groups);
    }

    private static Tensor[] conv(OpCall c) {
        Tensor x = c.input(0);
        Tensor w = c.input(1);
        Tensor b = c.optionalInput(2);
        int[] in = spatial(c, x);
        int groups = c.intAttrAsInt("group", 1);
        if (w.dim() != x.dim() || groups < 1 || x.size(1) != w.size(1) * groups || w.size(0) % groups != 0) {
            throw c.error("input " + Arrays.toString(x.shape()) + " and weight " + Arrays.toString(w.shape())
                    + " do not fit group " + groups + " (expected weight [M, C/group, kernel...] with C = "
                    + x.size(1) + ")");
        }
        int[] kernel = Arrays.copyOfRange(w.shape(), 2, w.dim());
        checkKernel(c, kernel);
        WindowGeometry g = WindowGeometry.of(c, in, kernel);
        int[] pads = g.padBegin();
        if (!g.symmetric()) {
            x = Padding.pad(x, g.fullBegin(), g.fullEnd(), Padding.Mode.CONSTANT, 0);
            pads = new int[in.length];
        }
        ConvOptions o = convOptions(g, pads, groups);
        return one(in.length == 1 ? Tensor.conv1d(x, w, b, o) : Tensor.conv2d(x, w, b, o));
    }

    private static Tensor[] convTranspose(OpCall c) {
        Tensor x = c.input(0);
        Tensor w = c.input(1);
        Tensor b = c.optionalInput(2);
        int[] in = spatial(c, x);
        int n = in.length;
        int groups = c.intAttrAsInt("group", 1);
        if (w.dim() != x.dim() || groups < 1 || w.size(0) != x.size(1) || x.size(1) % groups != 0) {
            throw c.error("input " + Arrays.toString(x.shape()) + " and weight " + Arrays.toString(w.shape())
                    + " do not fit group " + groups + " (expected weight [C, M/group, kernel...] with C = "
                    + x.size(1) + ")");
        }
        int[] kernel = Arrays.copyOfRange(w.shape(), 2, w.dim());
        checkKernel(c, kernel);
        int[] strides = WindowGeometry.spatial(c, "strides", n, 1);
        int[] dilations = WindowGeometry.spatial(c, "dilations", n, 1);
        int[] outPad = WindowGeometry.spatial(c, "output_padding", n, 0);
        int[] begin = new int[n];
        int[] end = new int[n];
        int[] outputShape = c.intsAttrAsInts("output_shape", null);
        String autoPad = c.stringAttr("auto_pad", "NOTSET");
        boolean upper = autoPad.equals("SAME_UPPER");
        if (outputShape != null || upper || autoPad.equals("SAME_LOWER")) {
            if (outputShape != null && outputShape.length != n) {
                // output_shape may also list N and C: keep the spatial sizes.
                outputShape = outputShape.length == n + 2 ? Arrays.copyOfRange(outputShape, 2, n + 2) : null;
                if (outputShape == null) {
                    throw c.error("output_shape should have " + n + " values (the spatial sizes)");
                }
            }
            for (int a = 0; a < n; a++) {
                int full = (in[a] - 1) * strides[a] + (kernel[a] - 1) * dilations[a] + 1 + outPad[a];
                int want = outputShape != null ? outputShape[a] : in[a] * strides[a];
                int total = full - want;
                if (total < 0) {
                    throw c.error("output_shape " + Arrays.toString(outputShape) + " is larger than the "
                            + full + " elements axis " + a + " can have");
                }
                begin[a] = upper ? total / 2 : total - total / 2;
                end[a] = total - begin[a];
            }
        } else if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")) {
            throw c.error("auto_pad '" + autoPad + "' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
        } else if (autoPad.equals("NOTSET")) {
            int[] pads = c.intsAttrAsInts("pads", new int[2 * n]);
            if (pads.length != 2 * n) {
                throw c.error("pads " + Arrays.toString(pads) + " should have " + 2 * n + " values");
            }
            begin = Arrays.copyOfRange(pads, 0, n);
            end = Arrays.copyOfRange(pads, n, 2 * n);
        }
        WindowGeometry g = new WindowGeometry(kernel, strides, dilations, begin, end);
        boolean native_ = g.symmetric();
        for (int a = 0; a < n; a++) {
            native_ &= outPad[a] < Math.max(strides[a], dilations[a]);
        }
        if (native_) {
            ConvOptions o = convOptions(g, begin, groups);
            return one(n == 1 ? Tensor.convTranspose1d(x, w, b, o, outPad[0])
                    : Tensor.convTranspose2d(x, w, b, o, outPad[0], outPad[1]));
        }
        // Full output, then crop the padding and add the output padding; the bias covers the added elements too.
        ConvOptions o = convOptions(g, new int[n], groups);
        Tensor y = n == 1 ? Tensor.convTranspose1d(x, w, null, o, 0) : Tensor.convTranspose2d(x, w, null, o, 0, 0);
        int[] cropBegin = new int[n];
        int[] growEnd = new int[n];
        for (int a = 0; a < n; a++) {
            cropBegin[a] = -begin[a];
            growEnd[a] = outPad[a] - end[a];
        }
        WindowGeometry crop = new WindowGeometry(kernel, strides, dilations, cropBegin, growEnd);
        y = Padding.pad(y, crop.fullBegin(), crop.fullEnd(), Padding.Mode.CONSTANT, 0);
        return one(b == null ? y : y.add(b.reshape(Values.along(y.dim(), 1, b.numel()))));
    }

    private static PoolOptions poolOptions(WindowGeometry g, int[] pads, boolean ceil, boolean countPad) {
        if (g.kernel().length == 1) {
            return new PoolOptions(1, g.kernel()[0], 1, g.strides()[0], 0, pads[0], 1, g.dilations()[0], ceil,
                    countPad);
        }
        return new PoolOptions(g.kernel()[0], g.kernel()[1], g.strides()[0], g.strides()[1], pads[0], pads[1],
                g.dilations()[0], g.dilations()[1], ceil, countPad);
    }

    /** Whether Deneb's pooling can pad by itself: the same at both ends and at most half the kernel. */
    private static boolean nativePadding(WindowGeometry g) {
        for (int a = 0; a < g.kernel().length; a++) {
            if (2 * g.padBegin()[a] > g.kernel()[a]) {
                return false;
            }
        }
        return g.symmetric();
    }

    private static WindowGeometry poolGeometry(OpCall c, int[] in) {
        int[] kernel = c.intsAttrAsInts("kernel_shape", null);
        if (kernel == null || kernel.length != in.length) {
            throw c.error("kernel_shape " + (kernel == null ? "is missing" : Arrays.toString(kernel)) + "; expected "
                    + in.length + " value" + (in.length == 1 ? "" : "s"));
        }
        return WindowGeometry.of(c, in, kernel);
    }

    private static Tensor[] maxPool(OpCall c) {
        if (c.wantsOutput(1)) {
            throw c.error("the Indices output is not supported");
        }
        if (c.intAttr("storage_order", 0) != 0) {
            throw c.error("storage_order 1 (column-major indices) is not supported");
        }
        Tensor x = c.input(0);
        int[] in = spatial(c, x);
        WindowGeometry g = poolGeometry(c, in);
        boolean ceil = c.intAttr("ceil_mode", 0) == 1;
        int[] pads = g.padBegin();
        if (!nativePadding(g)) {
            x = Padding.pad(x, g.fullBegin(), g.fullEnd(), Padding.Mode.CONSTANT, Double.NEGATIVE_INFINITY);
            pads = new int[in.length];
        }
        PoolOptions o = poolOptions(g, pads, ceil, true);
        return one(in.length == 1 ? x.maxPool1dValues(o) : x.maxPool2dValues(o));
    }

    private static Tensor[] averagePool(OpCall c) {
        Tensor x = c.input(0);
        int[] in = spatial(c, x);
        WindowGeometry g = poolGeometry(c, in);
        boolean ceil = c.intAttr("ceil_mode", 0) == 1;
        boolean countPad = c.intAttr("count_include_pad", 0) == 1;
        if (nativePadding(g)) {
            PoolOptions o = poolOptions(g, g.padBegin(), ceil, countPad);
            return one(in.length == 1 ? x.avgPool1d(o) : x.avgPool2d(o));
        }
        PoolOptions o = poolOptions(g, new int[in.length], ceil, true);
        Tensor padded = Padding.pad(x, g.fullBegin(), g.fullEnd(), Padding.Mode.CONSTANT, 0);
        Tensor sums = in.length == 1 ? padded.avgPool1d(o) : padded.avgPool2d(o);
        if (countPad) {
            return one(sums);
        }
        // Without the padding in the divisor: the window mean over the padded input divided by the fraction of
        // the window that lies on the input.
        Tensor ones = Padding.pad(Tensor.onesLike(x.detach()), g.fullBegin(), g.fullEnd(), Padding.Mode.CONSTANT, 0);
        Tensor share = in.length == 1 ? ones.avgPool1d(o) : ones.avgPool2d(o);
        return one(sums.div(share));
    }
}
