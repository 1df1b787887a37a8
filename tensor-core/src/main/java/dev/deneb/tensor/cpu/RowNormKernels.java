package dev.deneb.tensor.cpu;

import jdk.incubator.vector.FloatVector;

/**
 * The fused f32 row normalisation ({@link dev.deneb.tensor.RowNorm}) on one contiguous row of length n: two passes
 * forward (mean, then the centred squares while writing nothing), one more to write; one reduction pass and one
 * writing pass backward. The composed form makes eight passes forward and allocates a tensor for each.
 */
final class RowNormKernels {
    private RowNormKernels() {}

    /** Writes the normalised row to {@code y[yOff..]} and returns its reciprocal standard deviation. */
    static float forwardRow(float[] x, int xOff, int n, float eps, float[] y, int yOff) {
        float mean = VectorKernels.sum(x, xOff, n) / n;
        float rstd = (float) (1.0 / Math.sqrt(centredSquares(x, xOff, n, mean) / n + eps));
        int j = VectorKernels.ENABLED ? scaleRun(x, xOff, n, mean, rstd, y, yOff) : 0;
        for (; j < n; j++) {
            y[yOff + j] = (x[xOff + j] - mean) * rstd;
        }
        return rstd;
    }

    /** Σ (x − mean)², in double across vector blocks so a long row keeps its precision. */
    private static double centredSquares(float[] x, int off, int n, float mean) {
        int j = 0;
        double total = 0;
        if (VectorKernels.ENABLED) {
            var sp = VectorKernels.SPECIES;
            FloatVector m = FloatVector.broadcast(sp, mean);
            FloatVector acc = FloatVector.zero(sp);
            for (int bound = sp.loopBound(n); j < bound; j += sp.length()) {
                FloatVector d = FloatVector.fromArray(sp, x, off + j).sub(m);
                acc = d.fma(d, acc);
            }
            float[] lanes = new float[sp.length()];
            acc.intoArray(lanes, 0);
            total = VectorKernels.sumInLaneOrder(lanes);
        }
        for (; j < n; j++) {
            float d = x[off + j] - mean;
            total += d * d;
        }
        return total;
    }

    private static int scaleRun(float[] x, int xOff, int n, float mean, float rstd, float[] y, int yOff) {
        var sp = VectorKernels.SPECIES;
        FloatVector m = FloatVector.broadcast(sp, mean);
        FloatVector r = FloatVector.broadcast(sp, rstd);
        int bound = sp.loopBound(n);
        for (int j = 0; j < bound; j += sp.length()) {
            FloatVector.fromArray(sp, x, xOff + j).sub(m).mul(r).intoArray(y, yOff + j);
        }
        return bound;
    }

    /** {@code dx = rstd · (g − mean(g) − x̂ · mean(g · x̂))} for one row. */
    static void backwardRow(float[] g, int gOff, float[] xh, int xOff, int n, float rstd, float[] dx, int dOff) {
        float[] sums = sums(g, gOff, xh, xOff, n);
        float meanG = sums[0] / n;
        float meanGx = sums[1] / n;
        int j = VectorKernels.ENABLED ? backwardRun(g, gOff, xh, xOff, n, rstd, meanG, meanGx, dx, dOff) : 0;
        for (; j < n; j++) {
            dx[dOff + j] = (g[gOff + j] - meanG - xh[xOff + j] * meanGx) * rstd;
        }
    }

    /** {Σ g, Σ g·x̂} over a row. */
    private static float[] sums(float[] g, int gOff, float[] xh, int xOff, int n) {
        int j = 0;
        float sg = 0f;
        float sgx = 0f;
        if (VectorKernels.ENABLED) {
            var sp = VectorKernels.SPECIES;
            FloatVector accG = FloatVector.zero(sp);
            FloatVector accGx = FloatVector.zero(sp);
            for (int bound = sp.loopBound(n); j < bound; j += sp.length()) {
                FloatVector gv = FloatVector.fromArray(sp, g, gOff + j);
                accG = accG.add(gv);
                accGx = gv.fma(FloatVector.fromArray(sp, xh, xOff + j), accGx);
            }
            float[] lanes = new float[sp.length()];
            accG.intoArray(lanes, 0);
            sg = VectorKernels.sumInLaneOrder(lanes);
            accGx.intoArray(lanes, 0);
            sgx = VectorKernels.sumInLaneOrder(lanes);
        }
        for (; j < n; j++) {
            sg += g[gOff + j];
            sgx += g[gOff + j] * xh[xOff + j];
        }
        return new float[] {sg, sgx};
    }

    private static int backwardRun(float[] g, int gOff, float[] xh, int xOff, int n, float rstd, float meanG,
                                   float meanGx, float[] dx, int dOff) {
        var sp = VectorKernels.SPECIES;
        FloatVector mg = FloatVector.broadcast(sp, meanG);
        FloatVector mgx = FloatVector.broadcast(sp, meanGx);
        FloatVector r = FloatVector.broadcast(sp, rstd);
        int bound = sp.loopBound(n);
        for (int j = 0; j < bound; j += sp.length()) {
            FloatVector gv = FloatVector.fromArray(sp, g, gOff + j).sub(mg);
            gv.sub(FloatVector.fromArray(sp, xh, xOff + j).mul(mgx)).mul(r).intoArray(dx, dOff + j);
        }
        return bound;
    }
}
