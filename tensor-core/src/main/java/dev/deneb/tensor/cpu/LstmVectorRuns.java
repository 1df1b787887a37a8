package dev.deneb.tensor.cpu;

import jdk.incubator.vector.FloatVector;

/**
 * The vector bodies of {@link LstmKernels}' rows. Loaded only when {@link FloatRuns#VECTOR} is true (see
 * {@link VectorSupport}); each returns how many leading columns it did, and the caller finishes the row.
 */
final class LstmVectorRuns {
    private LstmVectorRuns() {}

    /** The vector part of the state update; returns how many columns it did. */
    static int combineRun(int hs, float[] act, int a, float[] cPrev, int cp, float[] c, float[] tc, float[] h,
                          int s) {
        var sp = VectorKernels.SPECIES;
        int bound = sp.loopBound(hs);
        for (int j = 0; j < bound; j += sp.length()) {
            FloatVector i = FloatVector.fromArray(sp, act, a + j);
            FloatVector f = FloatVector.fromArray(sp, act, a + hs + j);
            FloatVector g = FloatVector.fromArray(sp, act, a + 2 * hs + j);
            FloatVector o = FloatVector.fromArray(sp, act, a + 3 * hs + j);
            f.fma(FloatVector.fromArray(sp, cPrev, cp + j), i.mul(g)).intoArray(c, s + j);
            VectorMath.tanh(c, s + j, tc, s + j);
            o.mul(FloatVector.fromArray(sp, tc, s + j)).intoArray(h, s + j);
        }
        return bound;
    }

    /** The vector part of a backward row; returns how many columns it did. */
    static int backwardRun(int hs, float[] act, int a, float[] cPrev, int cp, float[] tc, int tOff, float[] dh,
                           int hOff, float[] dcIn, int cOff, float[] dGates, int d, float[] dcPrev, int s) {
        var sp = VectorKernels.SPECIES;
        FloatVector one = FloatVector.broadcast(sp, 1f);
        int bound = sp.loopBound(hs);
        for (int j = 0; j < bound; j += sp.length()) {
            FloatVector i = FloatVector.fromArray(sp, act, a + j);
            FloatVector f = FloatVector.fromArray(sp, act, a + hs + j);
            FloatVector g = FloatVector.fromArray(sp, act, a + 2 * hs + j);
            FloatVector o = FloatVector.fromArray(sp, act, a + 3 * hs + j);
            FloatVector t = FloatVector.fromArray(sp, tc, tOff + j);
            FloatVector gh = FloatVector.fromArray(sp, dh, hOff + j);
            FloatVector dc = gh.mul(o).mul(one.sub(t.mul(t))).add(FloatVector.fromArray(sp, dcIn, cOff + j));
            dc.mul(g).mul(i.mul(one.sub(i))).intoArray(dGates, d + j);
            dc.mul(FloatVector.fromArray(sp, cPrev, cp + j)).mul(f.mul(one.sub(f))).intoArray(dGates, d + hs + j);
            dc.mul(i).mul(one.sub(g.mul(g))).intoArray(dGates, d + 2 * hs + j);
            gh.mul(t).mul(o.mul(one.sub(o))).intoArray(dGates, d + 3 * hs + j);
            dc.mul(f).intoArray(dcPrev, s + j);
        }
        return bound;
    }
}
