package dev.deneb.cuda;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;

/**
 * gather / indexSelect / scatter on the GPU. Indices are i64 and already range-checked by tensor-core. Values move
 * as bit patterns (kernels per element size); scatter-add accumulates in the reference's precision (double for
 * floating types, i64 for the rest) and converts back.
 */
final class Indexing {
    private Indexing() {}

    /** {@code out[i] = x[..index[i]..]}, with the index read through {@code idx} (shape {@code outShape}). */
    static Tensor gather(CudaBackend be, Tensor x, int axis, KernelView idx, Tensor index, int[] outShape) {
        Tensor out = be.newTensor(x.dtype(), outShape);
        int n = out.numel();
        KernelView xv = KernelView.exact(x.shape(), x.strides(), x.offset());
        be.launch("deneb_gather_" + DTypes.sizeSuffix(x.dtype())).view(idx).ptr(CudaBackend.base(index)).view(xv)
                .ptr(CudaBackend.base(x)).i32(axis).ptr(CudaBackend.base(out)).i64(n).runElements(n);
        return out;
    }

    static Tensor scatter(CudaBackend be, Tensor x, int axis, Tensor index, Tensor src, boolean accumulate) {
        Tensor out = be.newTensor(x.dtype(), x.shape());
        be.copy(x, out);
        int n = index.numel();
        if (n == 0) {
            return out;
        }
        KernelView idx = KernelView.exact(index.shape(), index.strides(), index.offset());
        KernelView target = KernelView.exact(out.shape(), out.strides(), 0);
        long ip = CudaBackend.base(index);
        if (!accumulate) {
            // The last writer in row-major order wins, as in the reference: find it first, then let it write.
            CudaStorage winner = be.newStorage(DType.I32, out.numel());
            try {
                be.gpu().memsetD8(winner.pointer(), (byte) 0xff, winner.bytes());      // -1 everywhere
                be.launch("deneb_scatter_winner").view(idx).ptr(ip).view(target).i32(axis).ptr(winner.pointer())
                        .i64(n).runElements(n);
                KernelView sv = KernelView.exact(src.shape(), src.strides(), src.offset());
                be.launch("deneb_scatter_write_" + DTypes.sizeSuffix(x.dtype())).view(idx).ptr(ip).view(sv)
                        .ptr(CudaBackend.base(src)).view(target).i32(axis).ptr(CudaBackend.base(out))
                        .ptr(winner.pointer()).i64(n).runElements(n);
            } finally {
                winner.free();
            }
            return out;
        }
        DType accType = x.dtype().isFloating() ? DType.F64 : DType.I64;
        Tensor acc = out.dtype() == accType ? out : out.to(accType);
        Tensor s = src.dtype() == accType ? src : src.to(accType);
        KernelView sv = KernelView.exact(s.shape(), s.strides(), s.offset());
        be.launch("deneb_scatter_add_" + DTypes.suffix(accType)).view(idx).ptr(ip).view(sv)
                .ptr(CudaBackend.base(s)).view(target).i32(axis).ptr(CudaBackend.base(acc)).i64(n).runElements(n);
        if (acc != out) {
            be.copy(acc, out);
        }
        return out;
    }
}
