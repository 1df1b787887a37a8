package dev.deneb.tensor.cpu;

import dev.deneb.tensor.PoolOptions;

/**
 * Max and average pooling in double precision with plain loops: the reference the fast kernels are tested against.
 * Input {@code [N, C, H, W]} and output {@code [N, C, OH, OW]} are contiguous row-major; shapes are assumed valid.
 *
 * <p>Semantics follow PyTorch. Max pooling pads with -inf, returns the flat offset {@code h*W + w} of the maximum
 * within its input plane, picks the first maximum in window scan order and lets NaN win (the first NaN). A window
 * that covers only padding (possible with dilation) yields -inf and index -1, which the backward pass skips.
 * Average pooling divides by the window size clipped to the padded input when {@code countIncludePad}, else by the
 * number of in-bounds elements.
 */
public final class PoolReference {
    private PoolReference() {}

    public static double[] maxPool2d(double[] x, int[] xShape, PoolOptions o, long[] indicesOut) {
        Windows g = new Windows(xShape, o);
        double[] y = new double[g.planes * g.oh * g.ow];
        for (int p = 0; p < g.planes; p++) {
            for (int oh = 0; oh < g.oh; oh++) {
                for (int ow = 0; ow < g.ow; ow++) {
                    double best = Double.NEGATIVE_INFINITY;
                    long bestIndex = -1;
                    for (int kh = 0; kh < o.kernelH(); kh++) {
                        for (int kw = 0; kw < o.kernelW(); kw++) {
                            int ih = g.inRow(oh, kh);
                            int iw = g.inCol(ow, kw);
                            if (!g.inside(ih, iw)) {
                                continue;
                            }
                            double v = x[(p * g.h + ih) * g.w + iw];
                            boolean first = bestIndex < 0;
                            if (first || v > best || (Double.isNaN(v) && !Double.isNaN(best))) {
                                best = v;
                                bestIndex = (long) ih * g.w + iw;
                            }
                        }
                    }
                    int out = (p * g.oh + oh) * g.ow + ow;
                    y[out] = best;
                    indicesOut[out] = bestIndex;
                }
            }
        }
        return y;
    }

    /** Routes each output gradient to the input element its window picked (summing where windows overlap). */
    public static double[] maxPool2dBackward(double[] gy, long[] indices, int[] gyShape, int[] xShape) {
        int planes = xShape[0] * xShape[1];
        int inPlane = xShape[2] * xShape[3];
        int outPlane = gyShape[2] * gyShape[3];
        double[] gx = new double[planes * inPlane];
        for (int p = 0; p < planes; p++) {
            for (int i = 0; i < outPlane; i++) {
                long idx = indices[p * outPlane + i];
                if (idx >= 0) {
                    gx[p * inPlane + (int) idx] += gy[p * outPlane + i];
                }
            }
        }
        return gx;
    }

    public static double[] avgPool2d(double[] x, int[] xShape, PoolOptions o) {
        Windows g = new Windows(xShape, o);
        double[] y = new double[g.planes * g.oh * g.ow];
        for (int p = 0; p < g.planes; p++) {
            for (int oh = 0; oh < g.oh; oh++) {
                for (int ow = 0; ow < g.ow; ow++) {
                    double s = 0;
                    for (int kh = 0; kh < o.kernelH(); kh++) {
                        for (int kw = 0; kw < o.kernelW(); kw++) {
                            int ih = g.inRow(oh, kh);
                            int iw = g.inCol(ow, kw);
                            if (g.inside(ih, iw)) {
                                s += x[(p * g.h + ih) * g.w + iw];
                            }
                        }
                    }
                    int divisor = g.divisor(oh, ow);
                    y[(p * g.oh + oh) * g.ow + ow] = divisor == 0 ? 0 : s / divisor;
                }
            }
        }
        return y;
    }

    /** Spreads each output gradient evenly (by the same divisor) over the in-bounds elements of its window. */
    public static double[] avgPool2dBackward(double[] gy, int[] gyShape, int[] xShape, PoolOptions o) {
        Windows g = new Windows(xShape, o);
        double[] gx = new double[g.planes * g.h * g.w];
        for (int p = 0; p < g.planes; p++) {
            for (int oh = 0; oh < g.oh; oh++) {
                for (int ow = 0; ow < g.ow; ow++) {
                    int divisor = g.divisor(oh, ow);
                    if (divisor == 0) {
                        continue;
                    }
                    double share = gy[(p * g.oh + oh) * g.ow + ow] / divisor;
                    for (int kh = 0; kh < o.kernelH(); kh++) {
                        for (int kw = 0; kw < o.kernelW(); kw++) {
                            int ih = g.inRow(oh, kh);
                            int iw = g.inCol(ow, kw);
                            if (g.inside(ih, iw)) {
                                gx[(p * g.h + ih) * g.w + iw] += share;
                            }
                        }
                    }
                }
            }
        }
        return gx;
    }

    /** Window positions of one pooling geometry. */
    private static final class Windows {
        final int planes, h, w, oh, ow;
        final PoolOptions o;

        Windows(int[] xShape, PoolOptions o) {
            this.o = o;
            planes = xShape[0] * xShape[1];
            h = xShape[2];
            w = xShape[3];
            oh = PoolOptions.outSize(h, o.kernelH(), o.strideH(), o.padH(), o.dilationH(), o.ceilMode());
            ow = PoolOptions.outSize(w, o.kernelW(), o.strideW(), o.padW(), o.dilationW(), o.ceilMode());
        }

        int inRow(int outRow, int tap) {
            return outRow * o.strideH() - o.padH() + tap * o.dilationH();
        }

        int inCol(int outCol, int tap) {
            return outCol * o.strideW() - o.padW() + tap * o.dilationW();
        }

        boolean inside(int ih, int iw) {
            return ih >= 0 && ih < h && iw >= 0 && iw < w;
        }

        /**
         * Taps counted in the average: those inside the padded input (a ceil-mode window may hang past it) when
         * countIncludePad, else those inside the input itself.
         */
        int divisor(int outRow, int outCol) {
            int rows = 0;
            for (int k = 0; k < o.kernelH(); k++) {
                int i = inRow(outRow, k);
                if (o.countIncludePad() ? i < h + o.padH() : i >= 0 && i < h) {
                    rows++;
                }
            }
            int cols = 0;
            for (int k = 0; k < o.kernelW(); k++) {
                int j = inCol(outCol, k);
                if (o.countIncludePad() ? j < w + o.padW() : j >= 0 && j < w) {
                    cols++;
                }
            }
            return rows * cols;
        }
    }
}
