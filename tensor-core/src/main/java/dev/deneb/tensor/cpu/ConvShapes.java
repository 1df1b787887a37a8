package dev.deneb.tensor.cpu;

import dev.deneb.tensor.ConvOptions;
import dev.deneb.tensor.PoolOptions;

/** Output shapes of the NCHW convolution and pooling kernels. */
final class ConvShapes {
    private ConvShapes() {}

    static int[] conv2dOut(int[] x, int[] w, ConvOptions o) {
        return new int[] {x[0], w[0],
                ConvOptions.outSize(x[2], w[2], o.strideH(), o.padH(), o.dilationH()),
                ConvOptions.outSize(x[3], w[3], o.strideW(), o.padW(), o.dilationW())};
    }

    static int[] pool2dOut(int[] x, PoolOptions o) {
        return new int[] {x[0], x[1],
                PoolOptions.outSize(x[2], o.kernelH(), o.strideH(), o.padH(), o.dilationH(), o.ceilMode()),
                PoolOptions.outSize(x[3], o.kernelW(), o.strideW(), o.padW(), o.dilationW(), o.ceilMode())};
    }
}
