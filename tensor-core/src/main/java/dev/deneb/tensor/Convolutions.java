package dev.deneb.tensor;

import java.util.Arrays;

/**
 * Convolution and pooling at the tensor level: every check (ranks, channel counts, groups, kernel against padded
 * input, dtypes, backends) happens here, so backends receive contiguous floating-point NCHW inputs that fit.
 * The 1-D forms insert a height axis of 1 and run the 2-D kernels. Messages name the op, the shapes involved and what
 * was expected.
 */
final class Convolutions {
    private Convolutions() {}

    // ---- convolution --------------------------------------------------------------------------------------------

    /** {@code input [N, C_in, H, W]}, {@code weight [C_out, C_in / groups, kH, kW]}, {@code bias [C_out]} or null. */
    static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, ConvOptions o) {
        return conv("conv2d", input, weight, bias, o, 2);
    }

    /** {@code input [N, C_in, L]}, {@code weight [C_out, C_in / groups, k]}, {@code bias [C_out]} or null. */
    static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        return conv("conv1d", input, weight, bias, options1d(stride, padding, dilation, groups), 1);
    }

    static Tensor conv2dInputGrad(Tensor gradOut, Tensor weight, int[] inputShape, ConvOptions o) {
        return inputGrad("conv2dInputGrad", gradOut, weight, inputShape, o, 2);
    }

    static Tensor conv1dInputGrad(Tensor gradOut, Tensor weight, int[] inputShape, int stride, int padding,
                                  int dilation, int groups) {
        return inputGrad("conv1dInputGrad", gradOut, weight, inputShape, options1d(stride, padding, dilation, groups),
                1);
    }

    static Tensor conv2dWeightGrad(Tensor input, Tensor gradOut, int[] weightShape, ConvOptions o) {
        return weightGrad("conv2dWeightGrad", input, gradOut, weightShape, o, 2);
    }

    static Tensor conv1dWeightGrad(Tensor input, Tensor gradOut, int[] weightShape, int stride, int padding,
                                   int dilation, int groups) {
        return weightGrad("conv1dWeightGrad", input, gradOut, weightShape,
                options1d(stride, padding, dilation, groups), 1);
    }

    private static Tensor conv(String op, Tensor input, Tensor weight, Tensor bias, ConvOptions o, int dims) {
        Shapes.sameBackend(op, input, weight);
        requireFloating(op, "input", input);
        requireFloating(op, "weight", weight);
        convOutShape(op, input.shape(), weight.shape(), o, dims);
        DType dt = DType.promote(input.dtype(), weight.dtype());
        if (bias != null) {
            Shapes.sameBackend(op, input, bias);
            requireFloating(op, "bias", bias);
            if (bias.dim() != 1 || bias.size(0) != weight.size(0)) {
                throw new IllegalArgumentException(op + ": expected bias of shape [" + weight.size(0)
                        + "] (C_out of weight " + Shapes.str(weight.shape()) + "), got " + Shapes.str(bias.shape()));
            }
            dt = DType.promote(dt, bias.dtype());
        }
        Tensor y = input.backend().conv2d(to2d(input, dims, dt), to2d(weight, dims, dt), o);
        if (bias != null) {
            y = y.add(bias.to(dt).reshape(1, bias.size(0), 1, 1));
        }
        return dims == 2 ? y : y.squeeze(2);
    }

    private static Tensor inputGrad(String op, Tensor gradOut, Tensor weight, int[] inputShape, ConvOptions o,
                                    int dims) {
        Shapes.sameBackend(op, gradOut, weight);
        requireFloating(op, "gradOut", gradOut);
        requireFloating(op, "weight", weight);
        int[] out = convOutShape(op, inputShape, weight.shape(), o, dims);
        requireShape(op, "gradOut", gradOut, out, inputShape, weight.shape());
        DType dt = DType.promote(gradOut.dtype(), weight.dtype());
        Tensor g = gradOut.backend().conv2dInputGrad(to2d(gradOut, dims, dt), to2d(weight, dims, dt),
                shape2d(inputShape, dims), o);
        return dims == 2 ? g : g.squeeze(2);
    }

    private static Tensor weightGrad(String op, Tensor input, Tensor gradOut, int[] weightShape, ConvOptions o,
                                     int dims) {
        Shapes.sameBackend(op, input, gradOut);
        requireFloating(op, "input", input);
        requireFloating(op, "gradOut", gradOut);
        int[] out = convOutShape(op, input.shape(), weightShape, o, dims);
        requireShape(op, "gradOut", gradOut, out, input.shape(), weightShape);
        DType dt = DType.promote(input.dtype(), gradOut.dtype());
        Tensor g = input.backend().conv2dWeightGrad(to2d(input, dims, dt), to2d(gradOut, dims, dt),
                shape2d(weightShape, dims), o);
        return dims == 2 ? g : g.squeeze(2);
    }

    /**
     * Checks input and weight shapes of a {@code dims}-D convolution (given in the caller's rank) and returns the
     * output shape in that rank.
     */
    private static int[] convOutShape(String op, int[] x, int[] w, ConvOptions o, int dims) {
        String xLayout = dims == 2 ? "[N, C_in, H, W]" : "[N, C_in, L]";
        String wLayout = dims == 2 ? "[C_out, C_in / groups, kH, kW]" : "[C_out, C_in / groups, k]";
        if (w.length != dims + 2 || Arrays.stream(w).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException(op + ": expected weight of shape " + wLayout
                    + " with every size >= 1, got " + Shapes.str(w));
        }
        int groups = o.groups();
        if (w[0] % groups != 0) {
            throw new IllegalArgumentException(op + ": C_out = " + w[0] + " (weight " + Shapes.str(w)
                    + ") is not divisible by groups " + groups);
        }
        int cIn = w[1] * groups;
        if (x.length != dims + 2 || x[1] != cIn) {
            throw new IllegalArgumentException(op + ": expected input of shape " + xLayout + " with C_in = " + cIn
                    + " (weight " + Shapes.str(w) + ", groups " + groups + "), got " + Shapes.str(x));
        }
        Shapes.numel(op, x);
        int[] stride = spatial(dims, o.strideH(), o.strideW());
        int[] pad = spatial(dims, o.padH(), o.padW());
        int[] dilation = spatial(dims, o.dilationH(), o.dilationW());
        int[] out = {x[0], w[0], 0, 0};
        int[] span = new int[dims];
        int[] padded = new int[dims];
        boolean fits = true;
        for (int d = 0; d < dims; d++) {
            span[d] = dilation[d] * (w[2 + d] - 1) + 1;
            padded[d] = x[2 + d] + 2 * pad[d];
            fits &= span[d] <= padded[d];
        }
        if (!fits) {
            throw new IllegalArgumentException(op + ": kernel " + Shapes.str(Arrays.copyOfRange(w, 2, 2 + dims))
                    + " with dilation " + Shapes.str(dilation) + " spans " + Shapes.str(span)
                    + ", larger than the padded input " + Shapes.str(padded) + " (input " + Shapes.str(x)
                    + ", padding " + Shapes.str(pad) + ")");
        }
        for (int d = 0; d < dims; d++) {
            out[2 + d] = ConvOptions.outSize(x[2 + d], w[2 + d], stride[d], pad[d], dilation[d]);
        }
        return Arrays.copyOf(out, dims + 2);
    }

    // ---- pooling ------------------------------------------------------------------------------------------------

    /** Max pooling of {@code [N, C, H, W]}: the values and the flat offset {@code h*W + w} of each within its plane. */
    static ValuesIndices maxPool2d(Tensor input, PoolOptions o) {
        return maxPool("maxPool2d", input, o, 2);
    }

    /** Max pooling of {@code [N, C, L]}: values and the position of each within its row. */
    static ValuesIndices maxPool1d(Tensor input, int kernel, int stride, int padding, int dilation, boolean ceilMode) {
        return maxPool("maxPool1d", input, options1d(kernel, stride, padding, dilation, ceilMode, true), 1);
    }

    static Tensor maxPool2dBackward(Tensor gradOut, Tensor indices, int[] inputShape, PoolOptions o) {
        return maxPoolBackward("maxPool2dBackward", gradOut, indices, inputShape, o, 2);
    }

    static Tensor maxPool1dBackward(Tensor gradOut, Tensor indices, int[] inputShape, int kernel, int stride,
                                    int padding, int dilation, boolean ceilMode) {
        return maxPoolBackward("maxPool1dBackward", gradOut, indices, inputShape,
                options1d(kernel, stride, padding, dilation, ceilMode, true), 1);
    }

    static Tensor avgPool2d(Tensor input, PoolOptions o) {
        return avgPool("avgPool2d", input, o, 2);
    }

    static Tensor avgPool1d(Tensor input, int kernel, int stride, int padding, boolean ceilMode,
                            boolean countIncludePad) {
        return avgPool("avgPool1d", input, options1d(kernel, stride, padding, 1, ceilMode, countIncludePad), 1);
    }

    static Tensor avgPool2dBackward(Tensor gradOut, int[] inputShape, PoolOptions o) {
        return avgPoolBackward("avgPool2dBackward", gradOut, inputShape, o, 2);
    }

    static Tensor avgPool1dBackward(Tensor gradOut, int[] inputShape, int kernel, int stride, int padding,
                                    boolean ceilMode, boolean countIncludePad) {
        return avgPoolBackward("avgPool1dBackward", gradOut, inputShape,
                options1d(kernel, stride, padding, 1, ceilMode, countIncludePad), 1);
    }

    private static ValuesIndices maxPool(String op, Tensor input, PoolOptions o, int dims) {
        requireFloating(op, "input", input);
        poolOutShape(op, input.shape(), o, dims);
        Tensor[] r = input.backend().maxPool2d(to2d(input, dims, input.dtype()), o);
        return dims == 2 ? new ValuesIndices(r[0], r[1]) : new ValuesIndices(r[0].squeeze(2), r[1].squeeze(2));
    }

    private static Tensor maxPoolBackward(String op, Tensor gradOut, Tensor indices, int[] inputShape, PoolOptions o,
                                          int dims) {
        Shapes.sameBackend(op, gradOut, indices);
        requireFloating(op, "gradOut", gradOut);
        int[] out = poolOutShape(op, inputShape, o, dims);
        requireShape(op, "gradOut", gradOut, out, inputShape, null);
        if (indices.dtype() != DType.I64 || !Arrays.equals(indices.shape(), out)) {
            throw new IllegalArgumentException(op + ": expected i64 indices of shape " + Shapes.str(out)
                    + " (as returned by the forward pass), got " + indices.dtype() + " " + Shapes.str(indices.shape()));
        }
        Tensor g = gradOut.backend().maxPool2dBackward(to2d(gradOut, dims, gradOut.dtype()),
                to2d(indices, dims, DType.I64), shape2d(inputShape, dims), o);
        return dims == 2 ? g : g.squeeze(2);
    }

    private static Tensor avgPool(String op, Tensor input, PoolOptions o, int dims) {
        requireFloating(op, "input", input);
        poolOutShape(op, input.shape(), o, dims);
        Tensor y = input.backend().avgPool2d(to2d(input, dims, input.dtype()), o);
        return dims == 2 ? y : y.squeeze(2);
    }

    private static Tensor avgPoolBackward(String op, Tensor gradOut, int[] inputShape, PoolOptions o, int dims) {
        requireFloating(op, "gradOut", gradOut);
        int[] out = poolOutShape(op, inputShape, o, dims);
        requireShape(op, "gradOut", gradOut, out, inputShape, null);
        Tensor g = gradOut.backend().avgPool2dBackward(to2d(gradOut, dims, gradOut.dtype()),
                shape2d(inputShape, dims), o);
        return dims == 2 ? g : g.squeeze(2);
    }

    /** Checks a pooling input shape (in the caller's rank) against the window and returns the output shape. */
    private static int[] poolOutShape(String op, int[] x, PoolOptions o, int dims) {
        if (x.length != dims + 2) {
            throw new IllegalArgumentException(op + ": expected input of shape "
                    + (dims == 2 ? "[N, C, H, W]" : "[N, C, L]") + ", got " + Shapes.str(x));
        }
        Shapes.numel(op, x);
        int[] kernel = spatial(dims, o.kernelH(), o.kernelW());
        int[] stride = spatial(dims, o.strideH(), o.strideW());
        int[] pad = spatial(dims, o.padH(), o.padW());
        int[] dilation = spatial(dims, o.dilationH(), o.dilationW());
        int[] out = Arrays.copyOf(x, dims + 2);
        int[] span = new int[dims];
        int[] padded = new int[dims];
        boolean fits = true;
        for (int d = 0; d < dims; d++) {
            span[d] = dilation[d] * (kernel[d] - 1) + 1;
            padded[d] = x[2 + d] + 2 * pad[d];
            fits &= span[d] <= padded[d];
        }
        if (!fits) {
            throw new IllegalArgumentException(op + ": window " + Shapes.str(kernel) + " with dilation "
                    + Shapes.str(dilation) + " spans " + Shapes.str(span) + ", larger than the padded input "
                    + Shapes.str(padded) + " (input " + Shapes.str(x) + ", padding " + Shapes.str(pad) + ")");
        }
        for (int d = 0; d < dims; d++) {
            out[2 + d] = PoolOptions.outSize(x[2 + d], kernel[d], stride[d], pad[d], dilation[d], o.ceilMode());
        }
        return out;
    }

    // ---- shared helpers -----------------------------------------------------------------------------------------

    /** 1-D options act on the width; the height axis has size 1, kernel 1, no padding. */
    private static ConvOptions options1d(int stride, int padding, int dilation, int groups) {
        return new ConvOptions(1, stride, 0, padding, 1, dilation, groups);
    }

    private static PoolOptions options1d(int kernel, int stride, int padding, int dilation, boolean ceilMode,
                                         boolean countIncludePad) {
        return new PoolOptions(1, kernel, 1, stride, 0, padding, 1, dilation, ceilMode, countIncludePad);
    }

    /** The spatial values the caller's rank uses: (H, W) for 2-D, (W) for 1-D. */
    private static int[] spatial(int dims, int h, int w) {
        return dims == 2 ? new int[] {h, w} : new int[] {w};
    }

    /** A contiguous 4-D tensor of dtype {@code dt} for the backend (1-D forms get a height axis of 1). */
    private static Tensor to2d(Tensor t, int dims, DType dt) {
        Tensor r = dims == 2 ? t : t.unsqueeze(2);
        return r.to(dt).contiguous();
    }

    private static int[] shape2d(int[] shape, int dims) {
        return dims == 2 ? shape.clone() : new int[] {shape[0], shape[1], 1, shape[2]};
    }

    private static void requireFloating(String op, String role, Tensor t) {
        if (!t.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": expected a floating-point " + role + " (f32 or f64), got "
                    + t.dtype() + " " + role + " of shape " + Shapes.str(t.shape()));
        }
    }

    /** A gradient must have the forward output's shape; the message shows which forward pass that is. */
    private static void requireShape(String op, String role, Tensor t, int[] expected, int[] inputShape,
                                     int[] weightShape) {
        if (!Arrays.equals(t.shape(), expected)) {
            throw new IllegalArgumentException(op + ": expected " + role + " of shape " + Shapes.str(expected)
                    + " (the forward output for input " + Shapes.str(inputShape)
                    + (weightShape == null ? "" : " and weight " + Shapes.str(weightShape)) + "), got "
                    + Shapes.str(t.shape()));
        }
    }
}
