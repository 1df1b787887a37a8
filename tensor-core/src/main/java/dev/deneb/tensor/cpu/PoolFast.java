package dev.deneb.tensor.cpu;

import dev.deneb.tensor.PoolOptions;

/**
 * Max and average pooling in f32, parallel over the N·C planes (planes are independent, so the backward passes
 * scatter without races). Same semantics as {@link PoolReference}; every array comes with the offset of its first
 * element. Window bounds are clipped once per output element, so the inner loops test nothing.
 */
public final class PoolFast {
    private PoolFast() {}

    public static float[] maxPool2d(float[] x, int xOff, int[] xShape, PoolOptions o, long[] indicesOut) {
        Windows g = new Windows(xShape, o);
        if (o.padH() == 0 && o.padW() == 0 && o.dilationH() == 1 && o.dilationW() == 1
                && (g.oh - 1) * o.strideH() + o.kernelH() <= g.h && (g.ow - 1) * o.strideW() + o.kernelW() <= g.w) {
            return maxPoolInside(x, xOff, g, o, indicesOut);
        }
        float[] y = new float[g.planes * g.ohw];
        Parallel.range(g.planes, g.costPerPlane(), (p0, p1) -> {
            int[] rows = new int[2];
            int[] cols = new int[2];
            for (int p = p0; p < p1; p++) {
                int plane = xOff + p * g.hw;
                for (int oh = 0; oh < g.oh; oh++) {
                    g.rowTaps(oh, rows);
                    int ihStart = oh * o.strideH() - o.padH();
                    for (int ow = 0; ow < g.ow; ow++) {
                        g.colTaps(ow, cols);
                        int iwStart = ow * o.strideW() - o.padW();
                        float best = Float.NEGATIVE_INFINITY;
                        long bestIndex = -1;
                        // The first in-bounds element seeds the maximum; later ones replace it only when strictly
                        // larger, or NaN over a non-NaN (so ties keep the first and the first NaN wins).
                        for (int kh = rows[0]; kh < rows[1]; kh++) {
                            int ih = ihStart + kh * o.dilationH();
                            int rowBase = plane + ih * g.w;
                            for (int kw = cols[0]; kw < cols[1]; kw++) {
                                int iw = iwStart + kw * o.dilationW();
                                float v = x[rowBase + iw];
                                if (bestIndex < 0 || v > best || (v != v && best == best)) {
                                    best = v;
                                    bestIndex = (long) ih * g.w + iw;
                                }
                            }
                        }
                        int out = p * g.ohw + oh * g.ow + ow;
                        y[out] = best;
                        indicesOut[out] = bestIndex;
                    }
                }
            }
        });
        return y;
    }

    /** Every window lies inside the input (no padding, no dilation): the common case, with no clipping at all. */
    private static float[] maxPoolInside(float[] x, int xOff, Windows g, PoolOptions o, long[] indicesOut) {
        float[] y = new float[g.planes * g.ohw];
        int kh = o.kernelH();
        int kw = o.kernelW();
        int sh = o.strideH();
        int sw = o.strideW();
        int w = g.w;
        int hw = g.hw;
        int oh = g.oh;
        int ow = g.ow;
        int ohw = g.ohw;
        if (kh == 2 && kw == 2 && sh == 2 && sw == 2) {
            return maxPool2x2(x, xOff, g, y, indicesOut);
        }
        Parallel.range(g.planes, g.costPerPlane(), (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int plane = xOff + p * hw;
                int out = p * ohw;
                for (int r = 0; r < oh; r++) {
                    for (int c = 0; c < ow; c++, out++) {
                        int first = (r * sh) * w + c * sw;
                        float best = x[plane + first];
                        int bestAt = first;
                        for (int i = 0; i < kh; i++) {
                            int row = first + i * w;
                            for (int j = 0; j < kw; j++) {
                                float v = x[plane + row + j];
                                // Strictly larger, or the first NaN over a number: ties keep the first index.
                                // Non-short-circuit operators and selects instead of a branch: on real data the
                                // comparison is a coin toss, and mispredictions cost more than the whole update.
                                int take = -(((v > best) | ((v != v) & (best == best))) ? 1 : 0);
                                best = Float.intBitsToFloat((Float.floatToRawIntBits(v) & take)
                                        | (Float.floatToRawIntBits(best) & ~take));
                                bestAt = ((row + j) & take) | (bestAt & ~take);
                            }
                        }
                        y[out] = best;
                        indicesOut[out] = bestAt;
                    }
                }
            }
        });
        return y;
    }

    /** The 2×2, stride-2 window of most CNNs, unrolled: three branch-free steps per output. */
    private static float[] maxPool2x2(float[] x, int xOff, Windows g, float[] y, long[] indicesOut) {
        int w = g.w;
        int hw = g.hw;
        int oh = g.oh;
        int ow = g.ow;
        int ohw = g.ohw;
        Parallel.range(g.planes, 4L * ohw, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int plane = xOff + p * hw;
                int out = p * ohw;
                for (int r = 0; r < oh; r++) {
                    int top = 2 * r * w;
                    for (int c = 0; c < ow; c++, out++) {
                        int at = top + 2 * c;
                        float best = x[plane + at];
                        int bestAt = at;
                        float v = x[plane + at + 1];
                        int take = takes(v, best);
                        best = select(v, best, take);
                        bestAt = ((at + 1) & take) | (bestAt & ~take);
                        v = x[plane + at + w];
                        take = takes(v, best);
                        best = select(v, best, take);
                        bestAt = ((at + w) & take) | (bestAt & ~take);
                        v = x[plane + at + w + 1];
                        take = takes(v, best);
                        best = select(v, best, take);
                        bestAt = ((at + w + 1) & take) | (bestAt & ~take);
                        y[out] = best;
                        indicesOut[out] = bestAt;
                    }
                }
            }
        });
        return y;
    }

    /** All ones when {@code v} replaces {@code best} (strictly larger, or the first NaN), else 0. */
    private static int takes(float v, float best) {
        return -(((v > best) | ((v != v) & (best == best))) ? 1 : 0);
    }

    private static float select(float v, float best, int take) {
        return Float.intBitsToFloat((Float.floatToRawIntBits(v) & take) | (Float.floatToRawIntBits(best) & ~take));
    }

    /**
     * The values of {@link #maxPool2d} without the indices, for inference: the common 2×2, stride-2 window runs on
     * vectors ({@link MaxPoolVectorRows}), anything else through the indexed kernel. Same bits either way.
     */
    public static float[] maxPool2dValues(float[] x, int xOff, int[] xShape, PoolOptions o) {
        Windows g = new Windows(xShape, o);
        if (VectorSupport.ENABLED && o.kernelH() == 2 && o.kernelW() == 2 && o.strideH() == 2 && o.strideW() == 2
                && o.padH() == 0 && o.padW() == 0 && o.dilationH() == 1 && o.dilationW() == 1
                && 2 * g.oh <= g.h && 2 * g.ow <= g.w) {
            float[] y = new float[g.planes * g.ohw];
            Parallel.range(g.planes, 4L * g.ohw,
                    (p0, p1) -> MaxPoolVectorRows.pool2x2(x, xOff, g.h, g.w, g.oh, g.ow, p0, p1, y));
            return y;
        }
        return maxPool2d(x, xOff, xShape, o, new long[g.planes * g.ohw]);
    }

    public static float[] maxPool2dBackward(float[] gy, int gyOff, long[] indices, int indicesOff, int[] gyShape,
                                            int[] xShape) {
        int planes = xShape[0] * xShape[1];
        int inPlane = xShape[2] * xShape[3];
        int outPlane = gyShape[2] * gyShape[3];
        float[] gx = new float[planes * inPlane];
        Parallel.range(planes, outPlane, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int src = p * outPlane;
                int dst = p * inPlane;
                for (int i = 0; i < outPlane; i++) {
                    long idx = indices[indicesOff + src + i];
                    if (idx >= 0) {
                        gx[dst + (int) idx] += gy[gyOff + src + i];
                    }
                }
            }
        });
        return gx;
    }

    public static float[] avgPool2d(float[] x, int xOff, int[] xShape, PoolOptions o) {
        Windows g = new Windows(xShape, o);
        float[] y = new float[g.planes * g.ohw];
        Parallel.range(g.planes, g.costPerPlane(), (p0, p1) -> {
            int[] rows = new int[2];
            int[] cols = new int[2];
            for (int p = p0; p < p1; p++) {
                int plane = xOff + p * g.hw;
                for (int oh = 0; oh < g.oh; oh++) {
                    int rowsCounted = g.rowTaps(oh, rows);
                    int ihStart = oh * o.strideH() - o.padH();
                    for (int ow = 0; ow < g.ow; ow++) {
                        int divisor = rowsCounted * g.colTaps(ow, cols);
                        int iwStart = ow * o.strideW() - o.padW();
                        float s = 0;
                        for (int kh = rows[0]; kh < rows[1]; kh++) {
                            int rowBase = plane + (ihStart + kh * o.dilationH()) * g.w + iwStart;
                            for (int kw = cols[0]; kw < cols[1]; kw++) {
                                s += x[rowBase + kw * o.dilationW()];
                            }
                        }
                        y[p * g.ohw + oh * g.ow + ow] = divisor == 0 ? 0f : s / divisor;
                    }
                }
            }
        });
        return y;
    }

    public static float[] avgPool2dBackward(float[] gy, int gyOff, int[] gyShape, int[] xShape, PoolOptions o) {
        Windows g = new Windows(xShape, o);
        float[] gx = new float[g.planes * g.hw];
        Parallel.range(g.planes, g.costPerPlane(), (p0, p1) -> {
            int[] rows = new int[2];
            int[] cols = new int[2];
            for (int p = p0; p < p1; p++) {
                int plane = p * g.hw;
                for (int oh = 0; oh < g.oh; oh++) {
                    int rowsCounted = g.rowTaps(oh, rows);
                    int ihStart = oh * o.strideH() - o.padH();
                    for (int ow = 0; ow < g.ow; ow++) {
                        int divisor = rowsCounted * g.colTaps(ow, cols);
                        if (divisor == 0) {
                            continue;
                        }
                        float share = gy[gyOff + p * g.ohw + oh * g.ow + ow] / divisor;
                        int iwStart = ow * o.strideW() - o.padW();
                        for (int kh = rows[0]; kh < rows[1]; kh++) {
                            int rowBase = plane + (ihStart + kh * o.dilationH()) * g.w + iwStart;
                            for (int kw = cols[0]; kw < cols[1]; kw++) {
                                gx[rowBase + kw * o.dilationW()] += share;
                            }
                        }
                    }
                }
            }
        });
        return gx;
    }

    /** Window positions of one pooling geometry. */
    private static final class Windows {
        final PoolOptions o;
        final int planes, h, w, hw, oh, ow, ohw;

        Windows(int[] xShape, PoolOptions o) {
            this.o = o;
            planes = xShape[0] * xShape[1];
            h = xShape[2];
            w = xShape[3];
            hw = h * w;
            oh = PoolOptions.outSize(h, o.kernelH(), o.strideH(), o.padH(), o.dilationH(), o.ceilMode());
            ow = PoolOptions.outSize(w, o.kernelW(), o.strideW(), o.padW(), o.dilationW(), o.ceilMode());
            ohw = oh * ow;
        }

        long costPerPlane() {
            return (long) ohw * o.kernelH() * o.kernelW();
        }

        /** Sets {@code out} to the taps {@code [first, end)} of output row {@code r} inside the input; returns the
         *  number of rows the average divides by. */
        int rowTaps(int r, int[] out) {
            return taps(r * o.strideH() - o.padH(), o.kernelH(), o.dilationH(), h, o.padH(), out);
        }

        int colTaps(int c, int[] out) {
            return taps(c * o.strideW() - o.padW(), o.kernelW(), o.dilationW(), w, o.padW(), out);
        }

        /** Taps k of a window starting at {@code start} whose position {@code start + k*dilation} lies in [0, size). */
        private int taps(int start, int kernel, int dilation, int size, int pad, int[] out) {
            int first = start >= 0 ? 0 : Math.ceilDiv(-start, dilation);
            int end = start >= size ? 0 : Math.min(kernel, Math.floorDiv(size - 1 - start, dilation) + 1);
            out[0] = Math.min(first, kernel);
            out[1] = Math.max(end, out[0]);
            if (!o.countIncludePad()) {
                return out[1] - out[0];
            }
            // Taps up to the end of the padded input: position < size + pad.
            return Math.min(kernel, Math.floorDiv(size + pad - 1 - start, dilation) + 1);
        }
    }
}
