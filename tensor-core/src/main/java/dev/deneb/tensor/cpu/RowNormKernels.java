package dev.deneb.tensor.cpu;

import dev.deneb.tensor.BinaryOp;

/**
 * The fused f32 row normalisation ({@link dev.deneb.tensor.RowNorm}) on one contiguous row of length n: two passes
 * forward (mean, then the centred squares while writing nothing), one more to write; one reduction pass and one
 * writing pass backward. The composed form makes eight passes forward and allocates a tensor for each. The vector
 * bodies are in {@link RowNormVectorRuns}; the loops here are their scalar twins and tails.
 */
final class RowNormKernels {
    private RowNormKernels() {}

    /** Writes the normalised row to {@code y[yOff..]} and returns its reciprocal standard deviation. */
    static float forwardRow(float[] x, int xOff, int n, float eps, float[] y, int yOff) {
        float mean = FloatRuns.sum(x, xOff, n) / n;
        float rstd = (float) (1.0 / Math.sqrt(centredSquares(x, xOff, n, mean) / n + eps));
        int j = FloatRuns.VECTOR ? RowNormVectorRuns.scaleRun(x, xOff, n, mean, rstd, y, yOff) : 0;
        for (; j < n; j++) {
            y[yOff + j] = (x[xOff + j] - mean) * rstd;
        }
        return rstd;
    }

    /** Σ (x − mean)², in double across vector blocks so a long row keeps its precision. */
    private static double centredSquares(float[] x, int off, int n, float mean) {
        int j = 0;
        double total = 0;
        if (FloatRuns.VECTOR) {
            j = n / FloatRuns.LANES * FloatRuns.LANES;
            total = RowNormVectorRuns.centredSquares(x, off, j, mean);
        }
        for (; j < n; j++) {
            float d = x[off + j] - mean;
            total += d * d;
        }
        return total;
    }

    /** {@code dx = rstd · (g − mean(g) − x̂ · mean(g · x̂))} for one row. */
    static void backwardRow(float[] g, int gOff, float[] xh, int xOff, int n, float rstd, float[] dx, int dOff) {
        float[] sums = sums(g, gOff, xh, xOff, n);
        float meanG = sums[0] / n;
        float meanGx = sums[1] / n;
        int j = FloatRuns.VECTOR ? RowNormVectorRuns.backwardRun(g, gOff, xh, xOff, n, rstd, meanG, meanGx, dx, dOff)
                : 0;
        for (; j < n; j++) {
            dx[dOff + j] = (g[gOff + j] - meanG - xh[xOff + j] * meanGx) * rstd;
        }
    }

    /** {Σ g, Σ g·x̂} over a row. */
    private static float[] sums(float[] g, int gOff, float[] xh, int xOff, int n) {
        float[] s = new float[2];
        int j = 0;
        if (FloatRuns.VECTOR) {
            j = n / FloatRuns.LANES * FloatRuns.LANES;
            RowNormVectorRuns.sums(g, gOff, xh, xOff, j, s);
        }
        for (; j < n; j++) {
            s[0] += g[gOff + j];
            s[1] += g[gOff + j] * xh[xOff + j];
        }
        return s;
    }

    /** {@code y = x̂·w + b} for one row: a product then a sum, the composed form's two roundings. */
    static void scaleShiftRow(float[] xh, int xOff, int n, float[] w, int wOff, float[] b, int bOff, float[] y,
                              int yOff) {
        FloatRuns.binary(BinaryOp.MUL, xh, xOff, 1, w, wOff, 1, y, yOff, n);
        FloatRuns.accumulate(BinaryOp.ADD, y, yOff, b, bOff, n);
    }

    /** The input gradient of {@code x̂·w + b} for one row: {@code g·w} into dx, then {@link #backwardRow} in place. */
    static void affineBackwardRow(float[] g, int gOff, float[] xh, int xOff, int n, float rstd, float[] w, int wOff,
                                  float[] dx, int dOff) {
        FloatRuns.binary(BinaryOp.MUL, g, gOff, 1, w, wOff, 1, dx, dOff, n);
        backwardRow(dx, dOff, xh, xOff, n, rstd, dx, dOff); // reads each element before writing it
    }

    /**
     * Columns {@code [c0, c1)} of the weight and bias gradients: {@code dw = Σ g·x̂}, {@code db = Σ g} over all
     * rows in row order, each product rounded before it is added (the composed form's bits).
     */
    static void columnSums(float[] g, int gOff, float[] xh, int xOff, int rows, int n, int c0, int c1, float[] dw,
                           float[] db) {
        int len = c1 - c0;
        float[] product = new float[len];
        FloatRuns.binary(BinaryOp.MUL, g, gOff + c0, 1, xh, xOff + c0, 1, dw, c0, len);
        System.arraycopy(g, gOff + c0, db, c0, len);
        for (int r = 1; r < rows; r++) {
            FloatRuns.binary(BinaryOp.MUL, g, gOff + r * n + c0, 1, xh, xOff + r * n + c0, 1, product, 0, len);
            FloatRuns.accumulate(BinaryOp.ADD, dw, c0, product, 0, len);
            FloatRuns.accumulate(BinaryOp.ADD, db, c0, g, gOff + r * n + c0, len);
        }
    }
}
