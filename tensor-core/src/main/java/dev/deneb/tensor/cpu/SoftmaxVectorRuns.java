package dev.deneb.tensor.cpu;

import jdk.incubator.vector.FloatVector;

/**
 * The Vector API bodies of {@link SoftmaxKernels}, loaded only when the Vector API is available (see
 * {@link VectorSupport}). Lane sums are added in lane order ({@link FloatRuns#sumInLaneOrder}): the same bits
 * whether or not the JIT compiled the loop.
 */
final class SoftmaxVectorRuns {
    private SoftmaxVectorRuns() {}

    /** Σ g·y over {@code n} elements, a multiple of the vector length. */
    static float dot(float[] g, int gOff, float[] y, int yOff, int n) {
        var sp = VectorKernels.SPECIES;
        FloatVector acc = FloatVector.zero(sp);
        for (int j = 0; j < n; j += sp.length()) {
            acc = FloatVector.fromArray(sp, g, gOff + j).fma(FloatVector.fromArray(sp, y, yOff + j), acc);
        }
        float[] lanes = new float[sp.length()];
        acc.intoArray(lanes, 0);
        return FloatRuns.sumInLaneOrder(lanes);
    }

    /** {@code dx = y·(g − s)} for the whole vectors of a row of n; returns how many it did. */
    static int run(float[] g, int gOff, float[] y, int yOff, int n, float s, float[] dx, int dOff) {
        var sp = VectorKernels.SPECIES;
        int bound = sp.loopBound(n);
        for (int j = 0; j < bound; j += sp.length()) {
            FloatVector gv = FloatVector.fromArray(sp, g, gOff + j);
            FloatVector.fromArray(sp, y, yOff + j).mul(gv.sub(s)).intoArray(dx, dOff + j);
        }
        return bound;
    }

    /** {@code dx = g − e^y·s} for the whole vectors of a row of n; returns how many it did. */
    static int logRun(float[] g, int gOff, float[] y, int yOff, int n, float s, float[] dx, int dOff) {
        var sp = VectorKernels.SPECIES;
        int bound = sp.loopBound(n);
        for (int j = 0; j < bound; j += sp.length()) {
            VectorMath.expShifted(y, yOff + j, 0f, dx, dOff + j); // dx = e^y, read back at once
            FloatVector e = FloatVector.fromArray(sp, dx, dOff + j);
            FloatVector.fromArray(sp, g, gOff + j).sub(e.mul(s)).intoArray(dx, dOff + j);
        }
        return bound;
    }
}
