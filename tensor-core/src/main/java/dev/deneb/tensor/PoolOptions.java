package dev.deneb.tensor;

/**
 * Geometry of max or average pooling (1-D pooling uses the width settings). Setters return a new record:
 * {@code PoolOptions.of(3).stride(2).padding(1).ceilMode(true)}. Padding is implicit: -inf for max pooling,
 * zeros for average pooling (counted in the divisor when {@code countIncludePad}). {@code ceilMode} rounds the
 * output size up as PyTorch does (a window must still start inside the input or its left padding).
 */
public record PoolOptions(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW,
                          int dilationH, int dilationW, boolean ceilMode, boolean countIncludePad) {
    public PoolOptions {
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1
                || padH < 0 || padW < 0 || 2 * padH > kernelH || 2 * padW > kernelW) {
            // The parameters, not `this`: the fields are still unassigned (all zero) inside a compact constructor.
            throw new IllegalArgumentException("PoolOptions: kernel, stride and dilation must be >= 1 and padding"
                    + " between 0 and half the kernel, got kernel " + kernelH + "×" + kernelW + ", stride " + strideH
                    + "×" + strideW + ", padding " + padH + "×" + padW + ", dilation " + dilationH + "×"
                    + dilationW);
        }
    }

    /** A square window whose stride equals its size (the usual {@code MaxPool2d(k)}). */
    public static PoolOptions of(int kernel) {
        return of(kernel, kernel, 0);
    }

    public static PoolOptions of(int kernel, int stride, int padding) {
        return new PoolOptions(kernel, kernel, stride, stride, padding, padding, 1, 1, false, true);
    }

    /** A window of {@code kernelH × kernelW} with a stride equal to it. */
    public static PoolOptions of(int kernelH, int kernelW) {
        return new PoolOptions(kernelH, kernelW, kernelH, kernelW, 0, 0, 1, 1, false, true);
    }

    public PoolOptions stride(int s) {
        return stride(s, s);
    }

    public PoolOptions stride(int h, int w) {
        return new PoolOptions(kernelH, kernelW, h, w, padH, padW, dilationH, dilationW, ceilMode, countIncludePad);
    }

    public PoolOptions padding(int p) {
        return padding(p, p);
    }

    public PoolOptions padding(int h, int w) {
        return new PoolOptions(kernelH, kernelW, strideH, strideW, h, w, dilationH, dilationW, ceilMode,
                countIncludePad);
    }

    public PoolOptions dilation(int d) {
        return new PoolOptions(kernelH, kernelW, strideH, strideW, padH, padW, d, d, ceilMode, countIncludePad);
    }

    /** Round the output size up, as PyTorch's {@code ceil_mode}. */
    public PoolOptions ceilMode(boolean on) {
        return new PoolOptions(kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, on,
                countIncludePad);
    }

    /** Count the zero padding in the divisor of average pooling (PyTorch's default: true). */
    public PoolOptions countIncludePad(boolean on) {
        return new PoolOptions(kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, ceilMode, on);
    }

    /** Output size along one axis, as PyTorch computes it (including ceil mode). */
    public static int outSize(int in, int kernel, int stride, int pad, int dilation, boolean ceil) {
        int span = in + 2 * pad - dilation * (kernel - 1) - 1;
        int out = (ceil ? Math.ceilDiv(span, stride) : Math.floorDiv(span, stride)) + 1;
        if (ceil && (out - 1) * stride >= in + pad) {
            out--;
        }
        return out;
    }
}
