package dev.deneb.tensor.cpu;

import dev.deneb.tensor.ConvOptions;

/**
 * Direct 2-D convolution in double precision: plain loops over every output element and kernel tap, written to be
 * checked by eye, not to be fast. Every faster kernel is tested against these.
 *
 * <p>Layouts are contiguous row-major: input {@code [N, C_in, H, W]}, weight {@code [C_out, C_in / groups, kH, kW]},
 * output {@code [N, C_out, OH, OW]}. Padding is zero. Shapes are assumed valid (the tensor layer checks them).
 */
public final class ConvReference {
    private ConvReference() {}

    /** {@code y[n, co, oh, ow] = sum over ci, kh, kw of x[n, ci, ih, iw] * w[co, ci', kh, kw]} (cross-correlation). */
    public static double[] conv2d(double[] x, int[] xShape, double[] w, int[] wShape, ConvOptions o) {
        Geometry g = new Geometry(xShape, wShape, o);
        double[] y = new double[g.n * g.cOut * g.oh * g.ow];
        for (int n = 0; n < g.n; n++) {
            for (int co = 0; co < g.cOut; co++) {
                for (int oh = 0; oh < g.oh; oh++) {
                    for (int ow = 0; ow < g.ow; ow++) {
                        double s = 0;
                        for (int ci = 0; ci < g.cInPerGroup; ci++) {
                            for (int kh = 0; kh < g.kh; kh++) {
                                for (int kw = 0; kw < g.kw; kw++) {
                                    int ih = g.inRow(oh, kh);
                                    int iw = g.inCol(ow, kw);
                                    if (g.inside(ih, iw)) {
                                        s += x[g.xIndex(n, g.inChannel(co, ci), ih, iw)] * w[g.wIndex(co, ci, kh, kw)];
                                    }
                                }
                            }
                        }
                        y[g.yIndex(n, co, oh, ow)] = s;
                    }
                }
            }
        }
        return y;
    }

    /** The gradient with respect to the input: every output gradient flows back along the taps that produced it. */
    public static double[] conv2dInputGrad(double[] gy, int[] gyShape, double[] w, int[] wShape, int[] xShape,
                                           ConvOptions o) {
        Geometry g = new Geometry(xShape, wShape, o);
        double[] gx = new double[g.n * g.cIn * g.h * g.w];
        forEachTap(g, (n, co, ci, oh, ow, kh, kw, ih, iw) ->
                gx[g.xIndex(n, g.inChannel(co, ci), ih, iw)] += gy[g.yIndex(n, co, oh, ow)] * w[g.wIndex(co, ci, kh, kw)]);
        return gx;
    }

    /** The gradient with respect to the weight: each tap collects input times output gradient over all positions. */
    public static double[] conv2dWeightGrad(double[] x, int[] xShape, double[] gy, int[] gyShape, int[] wShape,
                                            ConvOptions o) {
        Geometry g = new Geometry(xShape, wShape, o);
        double[] gw = new double[g.cOut * g.cInPerGroup * g.kh * g.kw];
        forEachTap(g, (n, co, ci, oh, ow, kh, kw, ih, iw) ->
                gw[g.wIndex(co, ci, kh, kw)] += x[g.xIndex(n, g.inChannel(co, ci), ih, iw)] * gy[g.yIndex(n, co, oh, ow)]);
        return gw;
    }

    /** One (output element, kernel tap) pair whose input position lies inside the unpadded input. */
    @FunctionalInterface
    private interface TapBody {
        void run(int n, int co, int ci, int oh, int ow, int kh, int kw, int ih, int iw);
    }

    private static void forEachTap(Geometry g, TapBody body) {
        for (int n = 0; n < g.n; n++) {
            for (int co = 0; co < g.cOut; co++) {
                for (int oh = 0; oh < g.oh; oh++) {
                    for (int ow = 0; ow < g.ow; ow++) {
                        for (int ci = 0; ci < g.cInPerGroup; ci++) {
                            for (int kh = 0; kh < g.kh; kh++) {
                                for (int kw = 0; kw < g.kw; kw++) {
                                    int ih = g.inRow(oh, kh);
                                    int iw = g.inCol(ow, kw);
                                    if (g.inside(ih, iw)) {
                                        body.run(n, co, ci, oh, ow, kh, kw, ih, iw);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** Sizes and index arithmetic shared by the three functions. */
    private static final class Geometry {
        final int n, cIn, h, w, cOut, cInPerGroup, kh, kw, oh, ow, cOutPerGroup;
        final ConvOptions o;

        Geometry(int[] xShape, int[] wShape, ConvOptions o) {
            this.o = o;
            n = xShape[0];
            cIn = xShape[1];
            h = xShape[2];
            w = xShape[3];
            cOut = wShape[0];
            cInPerGroup = wShape[1];
            kh = wShape[2];
            kw = wShape[3];
            oh = ConvOptions.outSize(h, kh, o.strideH(), o.padH(), o.dilationH());
            ow = ConvOptions.outSize(w, kw, o.strideW(), o.padW(), o.dilationW());
            cOutPerGroup = cOut / o.groups();
        }

        int inRow(int outRow, int tapRow) {
            return outRow * o.strideH() - o.padH() + tapRow * o.dilationH();
        }

        int inCol(int outCol, int tapCol) {
            return outCol * o.strideW() - o.padW() + tapCol * o.dilationW();
        }

        boolean inside(int ih, int iw) {
            return ih >= 0 && ih < h && iw >= 0 && iw < w;
        }

        /** The input channel that weight channel {@code ci} of output channel {@code co} reads (its group's). */
        int inChannel(int co, int ci) {
            return (co / cOutPerGroup) * cInPerGroup + ci;
        }

        int xIndex(int b, int c, int i, int j) {
            return ((b * cIn + c) * h + i) * w + j;
        }

        int wIndex(int co, int ci, int i, int j) {
            return ((co * cInPerGroup + ci) * kh + i) * kw + j;
        }

        int yIndex(int b, int co, int i, int j) {
            return ((b * cOut + co) * oh + i) * ow + j;
        }
    }
}
