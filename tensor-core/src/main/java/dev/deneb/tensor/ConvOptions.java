package dev.deneb.tensor;

/**
 * Geometry of a 2-D convolution (1-D convolutions use height 1): stride, zero padding and dilation per spatial axis,
 * and the number of groups. Input is {@code [N, C_in, H, W]}, weight {@code [C_out, C_in / groups, kH, kW]}.
 */
public record ConvOptions(int strideH, int strideW, int padH, int padW, int dilationH, int dilationW, int groups) {
    public ConvOptions {
        if (strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1 || groups < 1 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("ConvOptions: stride, dilation and groups must be >= 1 and padding"
                    + " >= 0, got " + this);
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

    /** Output size along one axis, as PyTorch computes it. */
    public static int outSize(int in, int kernel, int stride, int pad, int dilation) {
        return (in + 2 * pad - dilation * (kernel - 1) - 1) / stride + 1;
    }
}
