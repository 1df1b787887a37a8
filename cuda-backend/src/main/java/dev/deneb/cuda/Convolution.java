package dev.deneb.cuda;

import dev.deneb.tensor.ConvOptions;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;

/**
 * 2-D convolution as im2col + cuBLAS GEMM, per group and per chunk of images (the column buffer is kept under
 * {@value #COLUMN_LIMIT} elements):
 * <ul>
 *   <li>forward: {@code y[n, g] = W[g] · col(x[n])[g]};</li>
 *   <li>input gradient: {@code dcol[n][g] = W[g]ᵀ · dy[n, g]}, then col2im (a deterministic gather);</li>
 *   <li>weight gradient: {@code dW[g] = Σₙ dy[n, g] · col(x[n])[g]ᵀ}, accumulated by GEMM with beta 1.</li>
 * </ul>
 * GEMMs accumulate in the tensor's precision (f32 or f64), so f32 results differ from the double-precision
 * reference by the usual summation-order error. cuDNN is not used yet.
 */
final class Convolution {
    static final long COLUMN_LIMIT = 1L << 25;

    private Convolution() {}

    private static int chunk(ConvGeometry g) {
        long perImage = (long) g.ck() * g.l();
        return (int) Math.max(1, Math.min(g.n(), COLUMN_LIMIT / Math.max(1, perImage)));
    }

    static Tensor forward(CudaBackend be, Tensor x, Tensor w, ConvOptions o) {
        int[] ws = w.shape();
        ConvGeometry g = ConvGeometry.of(x.shape(), ws[2], ws[3], o);
        int cOut = ws[0];
        int groups = o.groups();
        int og = cOut / groups;
        int ckg = g.ck() / groups;
        int l = g.l();
        DType dt = x.dtype();
        Tensor y = be.newTensor(dt, g.n(), cOut, g.oh(), g.ow());
        if (y.numel() == 0) {
            return y;
        }
        if (ckg == 0) {
            be.fill(y, 0);
            return y;
        }
        int chunk = chunk(g);
        Tensor col = be.newTensor(dt, chunk * g.ck() * l);
        int bytes = dt.bytes();
        for (int n0 = 0; n0 < g.n(); n0 += chunk) {
            int nb = Math.min(chunk, g.n() - n0);
            ConvGeometry gc = g.withImages(nb);
            im2col(be, gc, CudaBackend.first(x) + (long) n0 * g.c() * g.h() * g.w() * bytes, CudaBackend.first(col), dt);
            for (int gi = 0; gi < groups; gi++) {
                Gemm.rowMajor(be.gpu(), dt == DType.F64, false, false, og, l, ckg,
                        CudaBackend.first(w) + (long) gi * og * ckg * bytes, ckg, 0,
                        CudaBackend.first(col) + (long) gi * ckg * l * bytes, l, (long) g.ck() * l,
                        false, CudaBackend.first(y) + ((long) n0 * cOut + (long) gi * og) * l * bytes, l,
                        (long) cOut * l, nb);
            }
        }
        return y;
    }

    static Tensor inputGrad(CudaBackend be, Tensor gy, Tensor w, int[] inputShape, ConvOptions o) {
        int[] ws = w.shape();
        ConvGeometry g = ConvGeometry.of(inputShape, ws[2], ws[3], o);
        int cOut = ws[0];
        int groups = o.groups();
        int og = cOut / groups;
        int ckg = g.ck() / groups;
        int l = g.l();
        DType dt = gy.dtype();
        Tensor gx = be.newTensor(dt, inputShape);
        if (gx.numel() == 0) {
            return gx;
        }
        if (og == 0 || l == 0) {
            be.fill(gx, 0);
            return gx;
        }
        int chunk = chunk(g);
        Tensor col = be.newTensor(dt, chunk * g.ck() * l);
        int bytes = dt.bytes();
        for (int n0 = 0; n0 < g.n(); n0 += chunk) {
            int nb = Math.min(chunk, g.n() - n0);
            for (int gi = 0; gi < groups; gi++) {
                Gemm.rowMajor(be.gpu(), dt == DType.F64, true, false, ckg, l, og,
                        CudaBackend.first(w) + (long) gi * og * ckg * bytes, ckg, 0,
                        CudaBackend.first(gy) + ((long) n0 * cOut + (long) gi * og) * l * bytes, l, (long) cOut * l,
                        false, CudaBackend.first(col) + (long) gi * ckg * l * bytes, l, (long) g.ck() * l, nb);
            }
            ConvGeometry gc = g.withImages(nb);
            be.launch("deneb_col2im_" + DTypes.suffix(dt)).ints(gc.ints()).ptr(CudaBackend.first(col))
                    .ptr(CudaBackend.first(gx) + (long) n0 * g.c() * g.h() * g.w() * bytes)
                    .runElements((long) nb * g.c() * g.h() * g.w());
        }
        return gx;
    }

    static Tensor weightGrad(CudaBackend be, Tensor x, Tensor gy, int[] weightShape, ConvOptions o) {
        ConvGeometry g = ConvGeometry.of(x.shape(), weightShape[2], weightShape[3], o);
        int cOut = weightShape[0];
        int groups = o.groups();
        int og = cOut / groups;
        int ckg = g.ck() / groups;
        int l = g.l();
        DType dt = x.dtype();
        Tensor gw = be.newTensor(dt, weightShape);
        if (gw.numel() == 0) {
            return gw;
        }
        if (g.n() == 0 || l == 0) {
            be.fill(gw, 0);
            return gw;
        }
        int chunk = chunk(g);
        Tensor col = be.newTensor(dt, chunk * g.ck() * l);
        int bytes = dt.bytes();
        for (int n0 = 0; n0 < g.n(); n0 += chunk) {
            int nb = Math.min(chunk, g.n() - n0);
            im2col(be, g.withImages(nb), CudaBackend.first(x) + (long) n0 * g.c() * g.h() * g.w() * bytes,
                    CudaBackend.first(col), dt);
            for (int i = 0; i < nb; i++) {
                for (int gi = 0; gi < groups; gi++) {
                    Gemm.rowMajor(be.gpu(), dt == DType.F64, false, true, og, ckg, l,
                            CudaBackend.first(gy) + ((long) (n0 + i) * cOut + (long) gi * og) * l * bytes, l, 0,
                            CudaBackend.first(col) + ((long) i * g.ck() + (long) gi * ckg) * l * bytes, l, 0,
                            n0 + i > 0, CudaBackend.first(gw) + (long) gi * og * ckg * bytes, ckg, 0, 1);
                }
            }
        }
        return gw;
    }

    private static void im2col(CudaBackend be, ConvGeometry g, long x, long col, DType dt) {
        be.launch("deneb_im2col_" + DTypes.suffix(dt)).ints(g.ints()).ptr(x).ptr(col)
                .runElements((long) g.n() * g.ck() * g.l());
    }
}
