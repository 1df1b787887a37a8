package dev.deneb.tensor.cpu;

import jdk.incubator.vector.FloatVector;

/**
 * The vector bodies of {@link GruKernels}' rows. Loaded only when {@link FloatRuns#VECTOR} is true (see
 * {@link VectorSupport}); each returns how many leading columns it did, and the caller finishes the row. They call
 * only the {@link VectorMath} helpers (never the op switch of {@link FloatRuns#unary}), so C2 inlines the whole
 * loop body and keeps the vectors in registers.
 */
final class GruVectorRuns {
    private GruVectorRuns() {}

    /** {@code act[a + j] = σ(gi[i + j] + gh[g + j])} for the vector part of {@code n}; returns how many it did. */
    static int gatesRun(int n, float[] gi, int i, float[] gh, int g, float[] act, int a) {
        var sp = VectorKernels.SPECIES;
        int bound = sp.loopBound(n);
        for (int j = 0; j < bound; j += sp.length()) {
            FloatVector.fromArray(sp, gi, i + j).add(FloatVector.fromArray(sp, gh, g + j)).intoArray(act, a + j);
            VectorMath.sigmoid(act, a + j, act, a + j);
        }
        return bound;
    }

    /** The vector part of the candidate and the state update; returns how many columns it did. */
    static int newStateRun(int hs, float[] gi, int i, float[] gh, int g, float[] hp, int p, float[] act, int a,
                           float[] hy, int s) {
        var sp = VectorKernels.SPECIES;
        int bound = sp.loopBound(hs);
        for (int j = 0; j < bound; j += sp.length()) {
            FloatVector rg = FloatVector.fromArray(sp, act, a + j);
            FloatVector zg = FloatVector.fromArray(sp, act, a + hs + j);
            rg.mul(FloatVector.fromArray(sp, gh, g + 2 * hs + j)).add(FloatVector.fromArray(sp, gi, i + 2 * hs + j))
                    .intoArray(act, a + 2 * hs + j);
            VectorMath.tanh(act, a + 2 * hs + j, act, a + 2 * hs + j);
            FloatVector n = FloatVector.fromArray(sp, act, a + 2 * hs + j);
            FloatVector.fromArray(sp, hp, p + j).sub(n).mul(zg).add(n).intoArray(hy, s + j);
        }
        return bound;
    }

    /** The vector part of a backward row; returns how many columns it did. */
    static int backwardRun(int hs, float[] act, int a, float[] gh, int g, float[] hp, int p, float[] dh, int q,
                           float[] dGi, float[] dGh, int d, float[] dhPrev, int s) {
        var sp = VectorKernels.SPECIES;
        FloatVector one = FloatVector.broadcast(sp, 1f);
        int bound = sp.loopBound(hs);
        for (int j = 0; j < bound; j += sp.length()) {
            FloatVector rg = FloatVector.fromArray(sp, act, a + j);
            FloatVector zg = FloatVector.fromArray(sp, act, a + hs + j);
            FloatVector n = FloatVector.fromArray(sp, act, a + 2 * hs + j);
            FloatVector gy = FloatVector.fromArray(sp, dh, q + j);
            FloatVector gz = gy.mul(zg);
            FloatVector dz = gy.mul(FloatVector.fromArray(sp, hp, p + j).sub(n)).mul(zg).mul(one.sub(zg));
            FloatVector dn = gy.sub(gz).mul(one.sub(n.mul(n)));
            FloatVector dr = dn.mul(FloatVector.fromArray(sp, gh, g + j)).mul(rg).mul(one.sub(rg));
            dr.intoArray(dGi, d + j);
            dz.intoArray(dGi, d + hs + j);
            dn.intoArray(dGi, d + 2 * hs + j);
            dr.intoArray(dGh, d + j);
            dz.intoArray(dGh, d + hs + j);
            dn.mul(rg).intoArray(dGh, d + 2 * hs + j);
            gz.intoArray(dhPrev, s + j);
        }
        return bound;
    }
}
