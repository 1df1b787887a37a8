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
    static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, ConvOptions o) {
        return conv("conv1d", input, weight, bias, options1d(o), 1);
    }

    static Tensor conv2dInputGrad(Tensor gradOut, Tensor weight, int[] inputShape, ConvOptions o) {
        return inputGrad("conv2dInputGrad", gradOut, weight, inputShape, o, 2);
    }


    static Tensor conv2dWeightGrad(Tensor input, Tensor gradOut, int[] weightShape, ConvOptions o) {
        return weightGrad("conv2dWeightGrad", input, gradOut, weightShape, o, 2);
    }


    // ---- transposed convolution --------------------------------------------------------------------------------

    /**
     * {@code input [N, C_in, H, W]}, {@code weight [C_in, C_out / groups, kH, kW]} (PyTorch's layout),
     * {@code bias [C_out]} or null; {@code outputPadding} adds that many rows and columns at the bottom and right.
     */
    static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, ConvOptions o, int outputPaddingH,
                                  int outputPaddingW) {
        return convTranspose("convTranspose2d", input, weight, bias, o, new int[] {outputPaddingH, outputPaddingW},
                2);
    }

    /** {@code input [N, C_in, L]}, {@code weight [C_in, C_out / groups, k]}, {@code bias [C_out]} or null. */
    static Tensor convTranspose1d(Tensor input, Tensor weight, Tensor bias, ConvOptions o, int outputPadding) {
        return convTranspose("convTranspose1d", input, weight, bias, options1d(o), new int[] {outputPadding}, 1);
    }

    /**
     * A transposed convolution is the adjoint of a convolution in its input: the convolution whose weight is
     * {@code weight} ({@code [C_out_conv = C_in, C_in_conv / groups = C_out / groups, k...]}, the same array) maps
     * the output shape to the input shape, and its input gradient maps {@code input} back. So the forward pass is
     * one {@link Primitive.Conv2dInputGrad} and the backward passes are the rules of that primitive: a convolution
     * for the input and a weight gradient with the roles of input and output swapped for the weight, all on the
     * backend's convolution kernels.
     */
    private static Tensor convTranspose(String op, Tensor input, Tensor weight, Tensor bias, ConvOptions o,
                                        int[] outputPadding, int dims) {
        Shapes.sameBackend(op, input, weight);
        requireFloating(op, "input", input);
        requireFloating(op, "weight", weight);
        int[] out = convTransposeOutShape(op, input.shape(), weight.shape(), o, outputPadding, dims);
        DType dt = DType.promote(input.dtype(), weight.dtype());
        if (bias != null) {
            Shapes.sameBackend(op, input, bias);
            requireFloating(op, "bias", bias);
            if (bias.dim() != 1 || bias.size(0) != out[1]) {
                throw new IllegalArgumentException(op + ": expected bias of shape [" + out[1]
                        + "] (C_out = weight.size(1) * groups for weight " + Shapes.str(weight.shape()) + ", groups "
                        + o.groups() + "), got " + Shapes.str(bias.shape()));
            }
            dt = DType.promote(dt, bias.dtype());
        }
        // An output padding of a stride or more (allowed below the dilation) adds rows that no convolution of the
        // output shape reaches with the input's size: the input grows by zero rows at the end until it does.
        Tensor x = input.to(dt);
        int[] stride = spatial(dims, o.strideH(), o.strideW());
        for (int d = 0; d < dims; d++) {
            int extra = outputPadding[d] / stride[d];
            if (extra > 0) {
                int axis = 2 + d;
                int[] grown = x.shape();
                grown[axis] += extra;
                x = Tensor.empty(x.backend(), dt, grown).sliceScatter(x, axis, 0, x.size(axis), 1);
            }
        }
        Tensor y = inputGrad(op, x, weight.to(dt), out, o, dims);
        if (bias != null) {
            int[] bshape = new int[dims + 2];
            Arrays.fill(bshape, 1);
            bshape[1] = out[1];
            y = y.add(bias.to(dt).reshape(bshape));
        }
        return y;
    }

    /**
     * Checks the input and weight of a {@code dims}-D transposed convolution and the output padding, and returns the
     * output shape {@code (in - 1)·stride - 2·padding + dilation·(k - 1) + outputPadding + 1} per spatial axis.
     */
    private static int[] convTransposeOutShape(String op, int[] x, int[] w, ConvOptions o, int[] outputPadding,
                                               int dims) {
        String xLayout = dims == 2 ? "[N, C_in, H, W]" : "[N, C_in, L]";
        String wLayout = dims == 2 ? "[C_in, C_out / groups, kH, kW]" : "[C_in, C_out / groups, k]";
        if (w.length != dims + 2 || Arrays.stream(w).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException(op + ": expected weight of shape " + wLayout
                    + " with every size >= 1, got " + Shapes.str(w));
        }
        int groups = o.groups();
        if (w[0] % groups != 0) {
            throw new IllegalArgumentException(op + ": C_in = " + w[0] + " (weight " + Shapes.str(w)
                    + ") is not divisible by groups " + groups);
        }
        if (x.length != dims + 2 || x[1] != w[0]) {
            throw new IllegalArgumentException(op + ": expected input of shape " + xLayout + " with C_in = " + w[0]
                    + " (weight " + Shapes.str(w) + "), got " + Shapes.str(x));
        }
        Shapes.numel(op, x);
        int[] stride = spatial(dims, o.strideH(), o.strideW());
        int[] pad = spatial(dims, o.padH(), o.padW());
        int[] dilation = spatial(dims, o.dilationH(), o.dilationW());
        for (int d = 0; d < dims; d++) {
            if (outputPadding[d] < 0 || (outputPadding[d] >= stride[d] && outputPadding[d] >= dilation[d])) {
                throw new IllegalArgumentException(op + ": output padding must be >= 0 and smaller than either the"
                        + " stride or the dilation, got output padding " + Shapes.str(outputPadding) + ", stride "
                        + Shapes.str(stride) + ", dilation " + Shapes.str(dilation));
            }
        }
        int[] out = new int[dims + 2];
        out[0] = x[0];
        out[1] = w[1] * groups;
        boolean positive = true;
        for (int d = 0; d < dims; d++) {
            long size = (long) (x[2 + d] - 1) * stride[d] - 2L * pad[d] + (long) dilation[d] * (w[2 + d] - 1)
                    + outputPadding[d] + 1;
            positive &= size >= 1;
            out[2 + d] = (int) Math.max(Math.min(size, Integer.MAX_VALUE), Integer.MIN_VALUE);
        }
        if (!positive) {
            throw new IllegalArgumentException(op + ": the output size " + Shapes.str(Arrays.copyOfRange(out, 2,
                    2 + dims)) + " is too small (input " + Shapes.str(x) + ", kernel " + Shapes.str(Arrays.copyOfRange(
                    w, 2, 2 + dims)) + ", stride " + Shapes.str(stride) + ", padding " + Shapes.str(pad)
                    + ", dilation " + Shapes.str(dilation) + ", output padding " + Shapes.str(outputPadding)
                    + "); every size must be >= 1");
        }
        Shapes.numel(op, out);
        return out;
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
        Tensor x2 = to2d(input, dims, dt);
        Tensor w2 = to2d(weight, dims, dt);
        Tensor y = Tape.run(new Primitive.Conv2d(o), () -> x2.backend().conv2d(x2, w2, o), x2, w2);
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
        Tensor g2 = to2d(gradOut, dims, dt);
        Tensor w2 = to2d(weight, dims, dt);
        int[] in2 = shape2d(inputShape, dims);
        Tensor g = Tape.run(new Primitive.Conv2dInputGrad(o, in2),
                () -> g2.backend().conv2dInputGrad(g2, w2, in2, o), g2, w2);
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
        Tensor x2 = to2d(input, dims, dt);
        Tensor g2 = to2d(gradOut, dims, dt);
        int[] w2 = shape2d(weightShape, dims);
        Tensor g = Tape.run(new Primitive.Conv2dWeightGrad(o, w2),
                () -> x2.backend().conv2dWeightGrad(x2, g2, w2, o), x2, g2);
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
    static ValuesIndices maxPool1d(Tensor input, PoolOptions o) {
        return maxPool("maxPool1d", input, options1d(o), 1);
    }

    /** The values of {@link #maxPool2d}; the indices are computed only when the graph records them. */
    static Tensor maxPool2dValues(Tensor input, PoolOptions o) {
        return maxPoolValues("maxPool2d", input, o, 2);
    }

    /** The values of {@link #maxPool1d}, as {@link #maxPool2dValues}. */
    static Tensor maxPool1dValues(Tensor input, PoolOptions o) {
        return maxPoolValues("maxPool1d", input, options1d(o), 1);
    }

    static Tensor maxPool2dBackward(Tensor gradOut, Tensor indices, int[] inputShape, PoolOptions o) {
        return maxPoolBackward("maxPool2dBackward", gradOut, indices, inputShape, o, 2);
    }


    static Tensor avgPool2d(Tensor input, PoolOptions o) {
        return avgPool("avgPool2d", input, o, 2);
    }

    static Tensor avgPool1d(Tensor input, PoolOptions o) {
        return avgPool("avgPool1d", input, options1d(o), 1);
    }

    static Tensor avgPool2dBackward(Tensor gradOut, int[] inputShape, PoolOptions o) {
        return avgPoolBackward("avgPool2dBackward", gradOut, inputShape, o, 2);
    }


    private static ValuesIndices maxPool(String op, Tensor input, PoolOptions o, int dims) {
        requireFloating(op, "input", input);
        poolOutShape(op, input.shape(), o, dims);
        Tensor x2 = to2d(input, dims, input.dtype());
        Tensor[] r = Tape.untracked(() -> x2.backend().maxPool2d(x2, o));
        Tensor values = Tape.record(new Primitive.MaxPool2d(o, r[1]), r[0], x2);
        return dims == 2 ? new ValuesIndices(values, r[1]) : new ValuesIndices(values.squeeze(2), r[1].squeeze(2));
    }

    private static Tensor maxPoolValues(String op, Tensor input, PoolOptions o, int dims) {
        if (Tape.tracked(input)) {
            return maxPool(op, input, o, dims).values(); // the backward pass routes through the indices
        }
        requireFloating(op, "input", input);
        poolOutShape(op, input.shape(), o, dims);
        Tensor x2 = to2d(input, dims, input.dtype());
        Tensor y = x2.backend().maxPool2dValues(x2, o);
        return dims == 2 ? y : y.squeeze(2);
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
        Tensor g2 = to2d(gradOut, dims, gradOut.dtype());
        Tensor i2 = to2d(indices, dims, DType.I64);
        int[] in2 = shape2d(inputShape, dims);
        Tensor g = Tape.run(new Primitive.MaxPool2dBackward(o, i2, in2),
                () -> g2.backend().maxPool2dBackward(g2, i2, in2, o), g2);
        return dims == 2 ? g : g.squeeze(2);
    }

    private static Tensor avgPool(String op, Tensor input, PoolOptions o, int dims) {
        requireFloating(op, "input", input);
        poolOutShape(op, input.shape(), o, dims);
        Tensor x2 = to2d(input, dims, input.dtype());
        Tensor y = Tape.run(new Primitive.AvgPool2d(o), () -> x2.backend().avgPool2d(x2, o), x2);
        return dims == 2 ? y : y.squeeze(2);
    }

    private static Tensor avgPoolBackward(String op, Tensor gradOut, int[] inputShape, PoolOptions o, int dims) {
        requireFloating(op, "gradOut", gradOut);
        int[] out = poolOutShape(op, inputShape, o, dims);
        requireShape(op, "gradOut", gradOut, out, inputShape, null);
        Tensor g2 = to2d(gradOut, dims, gradOut.dtype());
        int[] in2 = shape2d(inputShape, dims);
        Tensor g = Tape.run(new Primitive.AvgPool2dBackward(o, in2), () -> g2.backend().avgPool2dBackward(g2, in2, o),
                g2);
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

    /** 1-D forms use the width settings; the height axis has size 1, kernel 1, no padding. */
    private static ConvOptions options1d(ConvOptions o) {
        return new ConvOptions(1, o.strideW(), 0, o.padW(), 1, o.dilationW(), o.groups());
    }

    private static PoolOptions options1d(PoolOptions o) {
        return new PoolOptions(1, o.kernelW(), 1, o.strideW(), 0, o.padW(), 1, o.dilationW(), o.ceilMode(),
                o.countIncludePad());
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
