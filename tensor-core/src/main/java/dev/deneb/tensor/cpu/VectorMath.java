package dev.deneb.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp, tanh and sigmoid for f32 vectors, written out: the JDK's EXP and TANH lanes took slow paths here (2.7 and
 * 8 ns per element). exp is Cody–Waite range reduction {@code x = n·ln2 + r} with a degree-6 polynomial for
 * {@code e^r} (the Cephes expf coefficients, about 1 ulp); n is rounded by adding 1.5·2^23, which leaves n in the
 * low mantissa bits, where the scale {@code 2^n} is built from directly. tanh uses an odd polynomial near zero, where
 * {@code 1 - 2/(e^2x + 1)} would lose relative precision, and that identity elsewhere.
 *
 * <p>Callers see one vector's worth of lanes at a time, from array to array ({@link #tanh(float[], int, float[], int)}
 * and its siblings), never a {@code FloatVector} argument or result. C2 stops inlining once a compilation's graph
 * passes its node budget ({@code NodeCountInliningCutoff}), and every Vector API call expands to many nodes: a fused
 * kernel that inlined two sigmoid loops and a tanh (the LSTM step) left the second sigmoid's exp out of line. A
 * helper taking and returning vectors then boxes them and runs the API's Java fallback (measured: LSTM steps going
 * from 30 to 100–170 ms after a recompilation); a helper taking arrays, left out of line, costs one call per vector.
 */
final class VectorMath {
    private static final VectorSpecies<Float> S = VectorKernels.SPECIES;

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2^23: adding it to a float of magnitude below 2^22 rounds it to an integer held in the low bits. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = 0x4B400000;
    private static final float EXP_MAX = 88.72283905206835f;
    private static final float EXP_MIN = -103.97208f;
    /** Beyond this, e^x or e^-x is no longer a normal float; {@link #expNormal} must not be given more. */
    private static final float NORMAL_LIMIT = 87f;

    private VectorMath() {}

    /** {@code y[yi..yi+L) = tanh(x[xi..xi+L))}, L the vector length. */
    static void tanh(float[] x, int xi, float[] y, int yi) {
        tanh(FloatVector.fromArray(S, x, xi)).intoArray(y, yi);
    }

    /** {@code y[yi..yi+L) = e^x[xi..xi+L)}. */
    static void exp(float[] x, int xi, float[] y, int yi) {
        exp(FloatVector.fromArray(S, x, xi)).intoArray(y, yi);
    }

    /** {@code y[yi..yi+L) = σ(x[xi..xi+L))}. */
    static void sigmoid(float[] x, int xi, float[] y, int yi) {
        sigmoid(FloatVector.fromArray(S, x, xi)).intoArray(y, yi);
    }

    /** {@code y[yi..yi+L) = x·σ(x)} over {@code x[xi..xi+L)}. */
    static void silu(float[] x, int xi, float[] y, int yi) {
        FloatVector v = FloatVector.fromArray(S, x, xi);
        v.mul(sigmoid(v)).intoArray(y, yi);
    }

    /** {@code y[yi..yi+L) = e^(x[xi..xi+L) − m)} for a row maximum m (see {@link #expNonPositive}). */
    static void expShifted(float[] x, int xi, float m, float[] y, int yi) {
        expNonPositive(FloatVector.fromArray(S, x, xi).sub(m)).intoArray(y, yi);
    }

    /** e^x for every float: overflow to +inf, underflow through the subnormals to 0, NaN stays NaN. */
    private static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(EXP_MIN).min(EXP_MAX);
        FloatVector t = xc.fma(LOG2E, ROUNDER);
        FloatVector y = expReduced(xc, t.sub(ROUNDER));
        // y · 2^n as y · 2^(n/2) · 2^(n - n/2): each factor is a normal float for n in [-150, 128].
        IntVector n = t.reinterpretAsInts().sub(ROUNDER_BITS);
        IntVector half = n.lanewise(VectorOperators.ASHR, 1);
        FloatVector result = y.mul(pow2(half)).mul(pow2(n.sub(half)));
        result = result.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_MAX));
        return result.blend(0f, x.compare(VectorOperators.LT, EXP_MIN));
    }

    /**
     * e^x for x <= 0 or NaN, as softmax needs after subtracting the row maximum: below -87 it gives 0 (the true
     * value is under 2^-125) instead of exp's subnormals. Half the code of {@link #exp}, which keeps the softmax
     * loop inside C2's inlining budget.
     */
    private static FloatVector expNonPositive(FloatVector x) {
        return expNormal(x.max(-NORMAL_LIMIT)).blend(0f, x.compare(VectorOperators.LT, -NORMAL_LIMIT));
    }

    /** e^x for |x| <= 87 (or NaN), where the result and 2^n are normal floats: no clamping, one scale. */
    private static FloatVector expNormal(FloatVector x) {
        FloatVector t = x.fma(LOG2E, ROUNDER);
        FloatVector y = expReduced(x, t.sub(ROUNDER));
        return y.mul(pow2(t.reinterpretAsInts().sub(ROUNDER_BITS)));
    }

    /** tanh(x): odd polynomial for |x| < 0.625, else sign(x)·(1 − 2/(e^(2|x|) + 1)); NaN stays NaN. */
    private static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector z = x.mul(x);
        FloatVector p = FloatVector.broadcast(S, -5.70498872745e-3f);
        p = p.fma(z, c(2.06390887954e-2f));
        p = p.fma(z, c(-5.37397155531e-2f));
        p = p.fma(z, c(1.33314422036e-1f));
        p = p.fma(z, c(-3.33332819422e-1f));
        FloatVector small = p.mul(z).fma(x, x);
        // e^40 already makes the quotient below exactly 1 in float.
        FloatVector e = expNormal(ax.mul(2f).min(40f));
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector large = one.sub(FloatVector.broadcast(S, 2f).div(e.add(one)));
        large = large.blend(large.neg(), x.compare(VectorOperators.LT, 0f));
        return large.blend(small, ax.compare(VectorOperators.LT, 0.625f));
    }

    /** 1 / (1 + e^-x), exactly 0 below -87 (where the true value is below 2^-125); above 87 e^-87 already gives
     *  exactly 1. */
    private static FloatVector sigmoid(FloatVector x) {
        FloatVector e = expNormal(x.neg().max(-NORMAL_LIMIT).min(NORMAL_LIMIT));
        FloatVector one = FloatVector.broadcast(S, 1f);
        return one.div(e.add(one)).blend(0f, x.compare(VectorOperators.LT, -NORMAL_LIMIT));
    }

    /** e^x / 2^n for n = round(x·log2 e): the polynomial on the reduced argument r = x − n·ln 2. */
    private static FloatVector expReduced(FloatVector x, FloatVector n) {
        FloatVector r = n.fma(c(-LN2_HI), x).add(n.mul(-LN2_LO));
        FloatVector p = FloatVector.broadcast(S, 1.9875691500e-4f);
        p = p.fma(r, c(1.3981999507e-3f));
        p = p.fma(r, c(8.3334519073e-3f));
        p = p.fma(r, c(4.1665795894e-2f));
        p = p.fma(r, c(1.6666665459e-1f));
        p = p.fma(r, c(5.0000001201e-1f));
        return p.fma(r.mul(r), r).add(1f);
    }

    private static FloatVector c(float value) {
        return FloatVector.broadcast(S, value);
    }

    /** 2^n as a float, for n in [-126, 127]. */
    private static FloatVector pow2(IntVector n) {
        return n.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }
}
