package dev.deneb.tensor.cpu;

import dev.deneb.tensor.ConvOptions;

/**
 * 2-D convolution in f32 by tiled im2col and {@link Sgemm}. Same layouts and semantics as {@link ConvReference};
 * every array comes with the offset of its first element.
 *
 * <p>For batch item b the im2col matrix has one row per (input channel, tap row, tap column) and one column per output
 * position: row (c, i, j), column p holds the input that output position p reads through tap (i, j), or zero in the
 * padding. Then, per group, {@code y[b] = W · col}, {@code col = Wᵀ · gy[b]} (scattered back by col2im), and
 * {@code gW += gy[b] · colᵀ}. A 1×1 kernel with stride 1 and no padding needs no im2col: the input is its own matrix.
 * As candle does, the matrix is built a tile of output positions at a time, so its scratch buffer stays near the
 * size of a core's L2 cache whatever the image size, and is reused per thread across calls.
 *
 * <p>Threading: one level only, over work units (a batch item, or a tile of one), each running im2col and
 * single-threaded GEMMs on its own scratch. For MNIST-sized layers (batch 64, 1→32 3×3 on 28×28: GEMMs of
 * 32×676×9; 32→64 3×3 on 13×13: 64×121×288) a batch of 64 independent units splits evenly over the cores with no
 * synchronisation, im2col and col2im run in parallel too, and each unit's matrix stays hot in its own core's cache;
 * splitting these small GEMMs instead would synchronise several times per item and leave im2col serial. Only when
 * there are fewer units than threads (batch 1 with a small image, or the input gradient of a small batch) do we loop
 * on the calling thread and let Sgemm split each product.
 *
 * <p>The weight gradient sums over units, so it cuts them into a fixed number of partial sums that depends on the
 * problem alone, never on the thread count: same bits on any number of threads (issue 12).
 */
public final class ConvFast {
    /** im2col scratch per unit, in floats: 1 MiB, the L2 cache of one Zen 4 core. */
    static final int TILE_FLOATS = 1 << 18;

    /** Whether im2col's row copies use {@link ConvVectorRows} (see {@link VectorSupport}). */
    private static final boolean VECTOR = VectorSupport.ENABLED;

    /** Most partial sums of the weight gradient, whatever the thread count (see {@link #conv2dWeightGrad}). */
    static final int MAX_PARTIALS = 8;
    /** Floats the weight gradient's extra partial sums may take together: 16 MiB. */
    static final int PARTIAL_FLOATS = 1 << 22;

    private static final ThreadLocal<float[]> SCRATCH = new ThreadLocal<>();

    private ConvFast() {}

    public static float[] conv2d(float[] x, int xOff, int[] xShape, float[] w, int wOff, int[] wShape,
                                 ConvOptions o) {
        Geometry g = new Geometry(xShape, wShape, o, true);
        float[] y = new float[g.n * g.cOut * g.ohw];
        int units = g.n * g.tilesPerItem;
        forUnits(units, (long) g.cOut * g.kPerGroup * g.tile, (u0, u1) -> {
            float[] col = g.direct ? null : scratch(g.colFloats());
            for (int u = u0; u < u1; u++) {
                int b = u / g.tilesPerItem;
                int p0 = (u % g.tilesPerItem) * g.tile;
                int p1 = Math.min(p0 + g.tile, g.ohw);
                int xItem = xOff + b * g.cIn * g.hw;
                // The unit's im2col matrix: (matrix, offset, row stride).
                float[] m = x;
                int mOff = xItem + p0;
                int ld = g.hw;
                if (!g.direct) {
                    im2col(g, x, xItem, col, p0, p1, false);
                    m = col;
                    mOff = 0;
                    ld = p1 - p0;
                }
                for (int grp = 0; grp < g.groups; grp++) {
                    Sgemm.gemm(g.cOutPerGroup, p1 - p0, g.kPerGroup,
                            w, wOff + grp * g.cOutPerGroup * g.kPerGroup, g.kPerGroup, 1,
                            m, mOff + grp * g.kPerGroup * ld, ld, 1,
                            y, (b * g.cOut + grp * g.cOutPerGroup) * g.ohw + p0, g.ohw, false);
                }
            }
        });
        return y;
    }

    public static float[] conv2dInputGrad(float[] gy, int gyOff, int[] gyShape, float[] w, int wOff, int[] wShape,
                                          int[] xShape, ConvOptions o) {
        // Tiles of one item scatter into overlapping input rows, so an item is the smallest unit here.
        Geometry g = new Geometry(xShape, wShape, o, false);
        float[] gx = new float[g.n * g.cIn * g.hw];
        forUnits(g.n, (long) g.cOut * g.kPerGroup * g.ohw, (b0, b1) -> {
            float[] col = g.direct ? null : scratch(g.colFloats());
            for (int b = b0; b < b1; b++) {
                int gxItem = b * g.cIn * g.hw;
                for (int t = 0; t < g.tilesPerItem; t++) {
                    int p0 = t * g.tile;
                    int p1 = Math.min(p0 + g.tile, g.ohw);
                    // With no im2col the products land in gx itself; else in col, then col2im adds them to gx.
                    float[] m = gx;
                    int mOff = gxItem + p0;
                    int ld = g.hw;
                    if (!g.direct) {
                        m = col;
                        mOff = 0;
                        ld = p1 - p0;
                    }
                    for (int grp = 0; grp < g.groups; grp++) {
                        Sgemm.gemm(g.kPerGroup, p1 - p0, g.cOutPerGroup,
                                w, wOff + grp * g.cOutPerGroup * g.kPerGroup, 1, g.kPerGroup,
                                gy, gyOff + (b * g.cOut + grp * g.cOutPerGroup) * g.ohw + p0, g.ohw, 1,
                                m, mOff + grp * g.kPerGroup * ld, ld, false);
                    }
                    if (!g.direct) {
                        im2col(g, gx, gxItem, col, p0, p1, true);
                    }
                }
            }
        });
        return gx;
    }

    public static float[] conv2dWeightGrad(float[] x, int xOff, int[] xShape, float[] gy, int gyOff, int[] gyShape,
                                           int[] wShape, ConvOptions o) {
        // Tiles cut the sum over output positions, so their size must not depend on the thread count.
        Geometry g = new Geometry(xShape, wShape, o, false);
        int wSize = g.cOut * g.kPerGroup;
        int units = g.n * g.tilesPerItem;
        // Partial p sums units [units*p/P, units*(p+1)/P) in order; the partials are then added in order. P depends
        // on the problem only, so the bits are the same on any number of threads, whoever runs which partial.
        int partials = partialCount(units, wSize);
        float[][] partial = new float[partials][];
        for (int p = 0; p < partials; p++) {
            partial[p] = new float[wSize];
        }
        long costPerPartial = (long) g.cOut * g.kPerGroup * g.tile * Math.ceilDiv(units, partials);
        Parallel.range(partials, costPerPartial, (p0, p1) -> {
            float[] col = g.direct ? null : scratch(g.colFloats());
            for (int p = p0; p < p1; p++) {
                int uEnd = Parallel.chunkStart(units, partials, p + 1);
                for (int u = Parallel.chunkStart(units, partials, p); u < uEnd; u++) {
                    addUnitWeightGrad(g, x, xOff, gy, gyOff, u, col, partial[p]);
                }
            }
        });
        float[] gw = partial[0];
        for (int p = 1; p < partials; p++) {
            float[] q = partial[p];
            for (int i = 0; i < wSize; i++) {
                gw[i] += q[i];
            }
        }
        return gw;
    }

    /** {@code acc += gy[unit] · col(unit)ᵀ}, per group: one work unit's share of the weight gradient. */
    private static void addUnitWeightGrad(Geometry g, float[] x, int xOff, float[] gy, int gyOff, int u, float[] col,
                                          float[] acc) {
        int b = u / g.tilesPerItem;
        int p0 = (u % g.tilesPerItem) * g.tile;
        int p1 = Math.min(p0 + g.tile, g.ohw);
        int xItem = xOff + b * g.cIn * g.hw;
        float[] m = x;
        int mOff = xItem + p0;
        int ld = g.hw;
        if (!g.direct) {
            im2col(g, x, xItem, col, p0, p1, false);
            m = col;
            mOff = 0;
            ld = p1 - p0;
        }
        for (int grp = 0; grp < g.groups; grp++) {
            Sgemm.gemm(g.cOutPerGroup, g.kPerGroup, p1 - p0,
                    gy, gyOff + (b * g.cOut + grp * g.cOutPerGroup) * g.ohw + p0, g.ohw, 1,
                    m, mOff + grp * g.kPerGroup * ld, 1, ld,
                    acc, grp * g.cOutPerGroup * g.kPerGroup, g.kPerGroup, true);
        }
    }

    /**
     * How many partial weight gradients to sum: up to {@link #MAX_PARTIALS} (enough to keep a few cores busy, few
     * enough that adding them costs little on one), fewer when the extra copies would pass {@link #PARTIAL_FLOATS}.
     */
    static int partialCount(int units, int wSize) {
        long byMemory = 1 + PARTIAL_FLOATS / Math.max(1, wSize);
        return (int) Math.max(1, Math.min(Math.min(units, MAX_PARTIALS), byMemory));
    }

    /** Runs the units in parallel when there is at least one per thread, else on the calling thread (see above). */
    private static void forUnits(int units, long costPerUnit, Parallel.RangeBody body) {
        if (units >= Parallel.threads()) {
            Parallel.range(units, costPerUnit, body);
        } else if (units > 0) {
            body.run(0, units);
        }
    }

    /** This thread's scratch buffer, grown when too small (contents undefined). */
    private static float[] scratch(int size) {
        float[] s = SCRATCH.get();
        if (s == null || s.length < size) {
            s = new float[size];
            SCRATCH.set(s);
        }
        return s;
    }

    /**
     * Moves data between one batch item of an image (at {@code imageBase}) and columns {@code [p0, p1)} of its im2col
     * matrix, stored densely in {@code col} with row length {@code p1 - p0}. Without {@code scatter} it fills the
     * matrix (zeros in the padding); with it, it adds the matrix back into the image (col2im, the adjoint).
     */
    private static void im2col(Geometry g, float[] image, int imageBase, float[] col, int p0, int p1,
                               boolean scatter) {
        int len = p1 - p0;
        int sh = g.o.strideH();
        int sw = g.o.strideW();
        int outW = g.ow;
        int inH = g.h;
        int inW = g.w;
        int ohFirst = p0 / outW;
        int row = 0;
        for (int c = 0; c < g.cIn; c++) {
            int plane = imageBase + c * g.hw;
            for (int i = 0; i < g.kh; i++) {
                int rowShift = i * g.o.dilationH() - g.o.padH();
                for (int j = 0; j < g.kw; j++, row++) {
                    int colShift = j * g.o.dilationW() - g.o.padW();
                    int lo = g.colLo[j];
                    int hi = g.colHi[j];
                    // Walk the tile one output row at a time; within a row, output columns [a, b) read inside.
                    int dst = row * len - (p0 - ohFirst * outW); // col index of (oh, ow) is dst + ow, this row
                    int ow0 = p0 - ohFirst * outW;
                    for (int oh = ohFirst, p = p0; p < p1; oh++) {
                        int ow1 = Math.min(outW, ow0 + (p1 - p));
                        int ih = oh * sh + rowShift;
                        int a = ow0;
                        int b = ow0;
                        if (ih >= 0 && ih < inH) {
                            a = Math.min(Math.max(lo, ow0), ow1);
                            b = Math.max(Math.min(hi, ow1), a);
                        }
                        int src = plane + ih * inW + colShift; // image index read by output column ow: src + ow*sw
                        if (!scatter) {
                            gatherRow(image, src, sw, col, dst, ow0, a, b, ow1);
                        } else {
                            scatterRow(image, src, sw, col, dst, a, b);
                        }
                        p += ow1 - ow0;
                        dst += outW;
                        ow0 = 0;
                    }
                }
            }
        }
    }

    /**
     * {@code col[dst + ow] = image[src + ow*sw]} for output columns {@code ow} in {@code [a, b)}, zero for the rest
     * of {@code [ow0, ow1)}. Segments are short (at most one output row, often about 10 floats), too short for
     * HotSpot's vectorised loops, so stride-1 copies use whole vectors, the last one overlapping the one before
     * ({@link ConvVectorRows}), or {@code System.arraycopy} without the Vector API.
     */
    private static void gatherRow(float[] image, int src, int sw, float[] col, int dst, int ow0, int a, int b,
                                  int ow1) {
        for (int ow = ow0; ow < a; ow++) {
            col[dst + ow] = 0f;
        }
        if (sw == 1 && VECTOR && b - a >= ConvVectorRows.LANES) {
            ConvVectorRows.copy(image, src + a, col, dst + a, b - a);
        } else if (sw == 1 && b > a) {
            // Not for an empty segment: src + a may then lie before the image (a padded column).
            System.arraycopy(image, src + a, col, dst + a, b - a);
        } else {
            for (int ow = a; ow < b; ow++) {
                col[dst + ow] = image[src + ow * sw];
            }
        }
        for (int ow = b; ow < ow1; ow++) {
            col[dst + ow] = 0f;
        }
    }

    /** {@code image[src + ow*sw] += col[dst + ow]} for {@code ow} in {@code [a, b)}: the adjoint of gatherRow. */
    private static void scatterRow(float[] image, int src, int sw, float[] col, int dst, int a, int b) {
        int ow = a;
        if (sw == 1 && VECTOR) {
            ow += ConvVectorRows.addRun(image, src + a, col, dst + a, b - a);
        }
        for (; ow < b; ow++) {
            image[src + ow * sw] += col[dst + ow];
        }
    }

    /** Sizes of one convolution and its tiling. */
    private static final class Geometry {
        final ConvOptions o;
        final int n, cIn, h, w, hw, cOut, kh, kw, oh, ow, ohw, groups, cOutPerGroup, kPerGroup;
        /** True when the input is its own im2col matrix (1×1 kernel, stride 1, no padding). */
        final boolean direct;
        /** Output positions per tile, and tiles per batch item. */
        final int tile, tilesPerItem;
        /** Per tap column j: output columns {@code [colLo[j], colHi[j])} read inside the input (may be empty). */
        final int[] colLo, colHi;

        /** {@code splitSmallBatch}: cut items into at least one tile per thread when the batch is smaller. */
        Geometry(int[] xShape, int[] wShape, ConvOptions o, boolean splitSmallBatch) {
            this.o = o;
            n = xShape[0];
            cIn = xShape[1];
            h = xShape[2];
            w = xShape[3];
            hw = h * w;
            cOut = wShape[0];
            kh = wShape[2];
            kw = wShape[3];
            oh = ConvOptions.outSize(h, kh, o.strideH(), o.padH(), o.dilationH());
            ow = ConvOptions.outSize(w, kw, o.strideW(), o.padW(), o.dilationW());
            ohw = oh * ow;
            groups = o.groups();
            cOutPerGroup = cOut / groups;
            kPerGroup = wShape[1] * kh * kw;
            direct = kh == 1 && kw == 1 && o.strideH() == 1 && o.strideW() == 1 && o.padH() == 0 && o.padW() == 0;

            int rows = cIn * kh * kw;
            int tiles = direct ? 1 : Math.ceilDiv(ohw, Math.max(1, TILE_FLOATS / rows));
            if (splitSmallBatch && n > 0 && n < Parallel.threads()) {
                tiles = Math.max(tiles, Math.ceilDiv(Parallel.threads(), n));
            }
            tiles = Math.clamp(tiles, 1, Math.max(1, ohw));
            tile = Math.max(1, Math.ceilDiv(ohw, tiles));
            tilesPerItem = Math.max(1, Math.ceilDiv(ohw, tile));

            colLo = new int[kw];
            colHi = new int[kw];
            for (int j = 0; j < kw; j++) {
                int shift = j * o.dilationW() - o.padW();
                colLo[j] = Math.max(0, Math.ceilDiv(-shift, o.strideW()));
                colHi[j] = Math.min(ow, Math.floorDiv(w - 1 - shift, o.strideW()) + 1);
            }
        }

        int colFloats() {
            return cIn * kh * kw * tile;
        }
    }
}
