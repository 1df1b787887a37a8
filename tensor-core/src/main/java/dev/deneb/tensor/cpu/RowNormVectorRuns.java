package dev.deneb.tensor.cpu;

import jdk.incubator.vector.FloatVector;

/**
 * The vector bodies of {@link RowNormKernels}. Loaded only when {@link FloatRuns#VECTOR} is true (see
 * {@link VectorSupport}). Lane sums are added in lane order ({@link FloatRuns#sumInLaneOrder}): the same bits
 * whether or not the JIT compiled the loop.
 */
final class RowNormVectorRuns {
    private RowNormVectorRuns() {}

    /** Σ (x − mean)² over {@code x[off..off+n)}, n a multiple of the vector length. */
    static float centredSquares(float[] x, int off, int n, float mean) {
        var sp = VectorKernels.SPECIES;
        FloatVector m = FloatVector.broadcast(sp, mean);
        FloatVector acc = FloatVector.zero(sp);
        for (int j = 0; j < n; j += sp.length()) {
            FloatVector d = FloatVector.fromArray(sp, x, off + j).sub(m);
            acc = d.fma(d, acc);
        }
        float[] lanes = new float[sp.length()];
        acc.intoArray(lanes, 0);
        return FloatRuns.sumInLaneOrder(lanes);
    }

    /** {@code y = (x − mean)·rstd} for the whole vectors of a row of n; returns how many it did. */
    static int scaleRun(float[] x, int xOff, int n, float mean, float rstd, float[] y, int yOff) {
        var sp = VectorKernels.SPECIES;
        FloatVector m = FloatVector.broadcast(sp, mean);
        FloatVector r = FloatVector.broadcast(sp, rstd);
        int bound = sp.loopBound(n);
        for (int j = 0; j < bound; j += sp.length()) {
            FloatVector.fromArray(sp, x, xOff + j).sub(m).mul(r).intoArray(y, yOff + j);
        }
        return bound;
    }

    /** {Σ g, Σ g·x̂} over the first n elements (a multiple of the vector length) into {@code out[0..1]}. */
    static void sums(float[] g, int gOff, float[] xh, int xOff, int n, float[] out) {
        var sp = VectorKernels.SPECIES;
        FloatVector accG = FloatVector.zero(sp);
        FloatVector accGx = FloatVector.zero(sp);
        for (int j = 0; j < n; j += sp.length()) {
            FloatVector gv = FloatVector.fromArray(sp, g, gOff + j);
            accG = accG.add(gv);
            accGx = gv.fma(FloatVector.fromArray(sp, xh, xOff + j), accGx);
        }
        float[] lanes = new float[sp.length()];
        accG.intoArray(lanes, 0);
        out[0] = FloatRuns.sumInLaneOrder(lanes);
        accGx.intoArray(lanes, 0);
        out[1] = FloatRuns.sumInLaneOrder(lanes);
    }

    /** The vector part of {@link RowNormKernels#backwardRow}; returns how many columns it did. */
    static int backwardRun(float[] g, int gOff, float[] xh, int xOff, int n, float rstd, float meanG, float meanGx,
                           float[] dx, int dOff) {
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
