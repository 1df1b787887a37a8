package dev.deneb.tensor;

/**
 * Geometry of a convolution: stride, zero padding and dilation per spatial axis, and the number of groups, with
 * PyTorch's defaults (stride 1, no padding, dilation 1, one group). Input is {@code [N, C_in, H, W]}, weight
 * {@code [C_out, C_in / groups, kH, kW]}; 1-D convolutions use the width settings. Setters return a new record:
 * {@code ConvOptions.defaults().stride(2).padding(1)}.
 */
public record ConvOptions(int strideH, int strideW, int padH, int padW, int dilationH, int dilationW, int groups) {
    public ConvOptions {
        if (strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1 || groups < 1 || padH < 0 || padW < 0) {
            // The parameters, not `this`: the fields are still unassigned (all zero) inside a compact constructor.
            throw new IllegalArgumentException("ConvOptions: stride, dilation and groups must be >= 1 and padding"
                    + " >= 0, got stride " + strideH + "×" + strideW + ", padding " + padH + "×" + padW
                    + ", dilation " + dilationH + "×" + dilationW + ", groups " + groups);
        }
    }

    /** Stride 1, no padding, no dilation, one group. */
    public static ConvOptions defaults() {
        return new ConvOptions(1, 1, 0, 0, 1, 1, 1);
    }

    /** Same stride, padding and dilation on both axes. */
    public static ConvOptions of(int stride, int padding, int dilation, int groups) {
        return new ConvOptions(stride, stride, padding, padding, dilation, dilation, groups);
    }

    /** The same stride on both axes. */
    public ConvOptions stride(int s) {
        return stride(s, s);
    }

    public ConvOptions stride(int h, int w) {
        return new ConvOptions(h, w, padH, padW, dilationH, dilationW, groups);
    }

    /** The same zero padding on both axes. */
    public ConvOptions padding(int p) {
        return padding(p, p);
    }

    public ConvOptions padding(int h, int w) {
        return new ConvOptions(strideH, strideW, h, w, dilationH, dilationW, groups);
    }

    public ConvOptions dilation(int d) {
        return dilation(d, d);
    }

    public ConvOptions dilation(int h, int w) {
        return new ConvOptions(strideH, strideW, padH, padW, h, w, groups);
    }

    public ConvOptions groups(int g) {
        return new ConvOptions(strideH, strideW, padH, padW, dilationH, dilationW, g);
    }

    /** Output size along one axis, as PyTorch computes it. */
    public static int outSize(int in, int kernel, int stride, int pad, int dilation) {
        return (in + 2 * pad - dilation * (kernel - 1) - 1) / stride + 1;
    }
}
