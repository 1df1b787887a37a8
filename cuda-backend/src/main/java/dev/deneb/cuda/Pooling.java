package dev.deneb.cuda;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.PoolOptions;
import dev.deneb.tensor.Tensor;

/** 2-D max and average pooling with the kernels of {@code conv.cu}; contiguous NCHW, f32 or f64. */
final class Pooling {
    private Pooling() {}

    /** The {@code PoolGeom} struct (14 ints) for an input shape. */
    static int[] geometry(int[] in, PoolOptions o) {
        int h = in[2];
        int w = in[3];
        int oh = PoolOptions.outSize(h, o.kernelH(), o.strideH(), o.padH(), o.dilationH(), o.ceilMode());
        int ow = PoolOptions.outSize(w, o.kernelW(), o.strideW(), o.padW(), o.dilationW(), o.ceilMode());
        return new int[] {in[0] * in[1], h, w, oh, ow, o.kernelH(), o.kernelW(), o.strideH(), o.strideW(), o.padH(),
                o.padW(), o.dilationH(), o.dilationW(), o.countIncludePad() ? 1 : 0};
    }

    private static int[] outShape(int[] in, int[] g) {
        return new int[] {in[0], in[1], g[3], g[4]};
    }

    static Tensor[] maxForward(CudaBackend be, Tensor x, PoolOptions o) {
        int[] g = geometry(x.shape(), o);
        int[] out = outShape(x.shape(), g);
        Tensor y = be.newTensor(x.dtype(), out);
        Tensor idx = be.newTensor(DType.I64, out);
        be.launch("deneb_maxpool_fwd_" + DTypes.suffix(x.dtype())).ints(g).ptr(CudaBackend.first(x))
                .ptr(CudaBackend.first(y)).ptr(CudaBackend.first(idx)).runElements(y.numel());
        return new Tensor[] {y, idx};
    }

    static Tensor maxBackward(CudaBackend be, Tensor gy, Tensor indices, int[] inputShape, PoolOptions o) {
        int[] g = geometry(inputShape, o);
        Tensor gx = be.newTensor(gy.dtype(), inputShape);
        be.launch("deneb_maxpool_bwd_" + DTypes.suffix(gy.dtype())).ints(g).ptr(CudaBackend.first(gy))
                .ptr(CudaBackend.first(indices)).ptr(CudaBackend.first(gx)).runElements(gx.numel());
        return gx;
    }

    static Tensor avgForward(CudaBackend be, Tensor x, PoolOptions o) {
        int[] g = geometry(x.shape(), o);
        Tensor y = be.newTensor(x.dtype(), outShape(x.shape(), g));
        be.launch("deneb_avgpool_fwd_" + DTypes.suffix(x.dtype())).ints(g).ptr(CudaBackend.first(x))
                .ptr(CudaBackend.first(y)).runElements(y.numel());
        return y;
    }

    static Tensor avgBackward(CudaBackend be, Tensor gy, int[] inputShape, PoolOptions o) {
        int[] g = geometry(inputShape, o);
        Tensor gx = be.newTensor(gy.dtype(), inputShape);
        be.launch("deneb_avgpool_bwd_" + DTypes.suffix(gy.dtype())).ints(g).ptr(CudaBackend.first(gy))
                .ptr(CudaBackend.first(gx)).runElements(gx.numel());
        return gx;
    }
}
