package dev.deneb.tensor.cpu;

import dev.deneb.tensor.BinaryOp;
import dev.deneb.tensor.UnaryOp;

/**
 * f32 loops over contiguous runs of elements (elementwise ops, sums, extremes, softmax rows): the vector body from
 * {@link VectorKernels} where the Vector API is on ({@link VectorSupport}), then the scalar twin for the tail, or
 * for the whole run when vectors are off ({@code -Ddeneb.vector=false} or the module missing). This class mentions
 * no vector type, so it loads in any JVM; {@link VectorKernels} loads only when {@link #VECTOR} is true.
 */
final class FloatRuns {
    /** Whether the vector bodies run: the module is there, not switched off, and a vector holds at least 4 floats. */
    static final boolean VECTOR = VectorSupport.ENABLED && VectorKernels.LANES >= 4;
    /**
     * The step parallel splits are aligned to, so every element takes the same path (vector body or scalar tail)
     * whatever the thread count: the vector length, or 16 floats (a cache line) for the scalar loops.
     */
    static final int LANES = VECTOR ? VectorKernels.LANES : 16;

    private FloatRuns() {}

    // ---- unary: y[yOff + i] = op(x[xOff + i]) for i < n ----

    static void unary(UnaryOp op, float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        if (VECTOR && VectorKernels.vectorizable(op)) {
            // One small vector loop per op, called straight from here (see VectorKernels on why).
            i = switch (op) {
                case TANH -> VectorKernels.tanhRun(x, xOff, y, yOff, n);
                case SIGMOID -> VectorKernels.sigmoidRun(x, xOff, y, yOff, n);
                case SILU -> VectorKernels.siluRun(x, xOff, y, yOff, n);
                case EXP -> VectorKernels.expRun(x, xOff, y, yOff, n);
                default -> VectorKernels.mapRun(op, x, xOff, y, yOff, n);
            };
        }
        for (; i < n; i++) {
            y[yOff + i] = unaryScalar(op, x[xOff + i]);
        }
    }

    /** {@code unary(SIGMOID, ...)} without the op switch, for fused kernels: a caller compiled with the switch
     *  inlines every op's loop, and past C2's node budget the innermost vector helpers are left out of line. */
    static void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = VECTOR ? VectorKernels.sigmoidRun(x, xOff, y, yOff, n) : 0;
        for (; i < n; i++) {
            y[yOff + i] = unaryScalar(UnaryOp.SIGMOID, x[xOff + i]);
        }
    }

    /** {@code unary(TANH, ...)} without the op switch (see {@link #sigmoid}). */
    static void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = VECTOR ? VectorKernels.tanhRun(x, xOff, y, yOff, n) : 0;
        for (; i < n; i++) {
            y[yOff + i] = unaryScalar(UnaryOp.TANH, x[xOff + i]);
        }
    }

    static float unaryScalar(UnaryOp op, float x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case RELU -> Math.max(x, 0f);
            case STEP -> x > 0 ? 1f : 0f;
            case SQRT -> (float) Math.sqrt(x);
            case RECIPROCAL -> 1f / x;
            case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-x)));
            default -> (float) op.apply(x);
        };
    }

    // ---- binary over runs: out[i] = op(a[aOff + i*aStep], b[bOff + i*bStep]), steps 0 or 1 ----

    static void binary(BinaryOp op, float[] a, int aOff, int aStep, float[] b, int bOff, int bStep,
                       float[] out, int outOff, int n) {
        int i = 0;
        if (VECTOR && VectorKernels.vectorizable(op)) {
            if (aStep == 1 && bStep == 1) {
                i = VectorKernels.binaryRun(op, a, aOff, b, bOff, out, outOff, n);
            } else if (aStep == 1 && bStep == 0) {
                i = VectorKernels.binaryScalarRight(op, a, aOff, b[bOff], out, outOff, n);
            } else if (aStep == 0 && bStep == 1) {
                i = VectorKernels.binaryScalarLeft(op, a[aOff], b, bOff, out, outOff, n);
            }
        }
        for (; i < n; i++) {
            out[outOff + i] = binaryScalar(op, a[aOff + i * aStep], b[bOff + i * bStep]);
        }
    }

    static float binaryScalar(BinaryOp op, float x, float y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case MAXIMUM -> Math.max(x, y);
            case MINIMUM -> Math.min(x, y);
            default -> (float) op.apply(x, y);
        };
    }

    // ---- reductions of one contiguous run ----

    static final int SUM_BLOCK = 4096;

    /** Sum of a run: float lanes within blocks of {@link #SUM_BLOCK}, the block sums in double, so long runs
     *  (millions of elements) keep their precision. */
    static float sum(float[] x, int off, int n) {
        double total = 0;
        for (int b = 0; b < n; b += SUM_BLOCK) {
            total += blockSum(x, off + b, Math.min(SUM_BLOCK, n - b));
        }
        return (float) total;
    }

    private static float blockSum(float[] x, int off, int n) {
        int i = 0;
        float s = 0f;
        if (VECTOR) {
            i = n / (2 * LANES) * (2 * LANES);
            s = VectorKernels.pairSum(x, off, i);
        }
        for (; i < n; i++) {
            s += x[off + i];
        }
        return s;
    }

    /**
     * The lanes of a vector stored by the caller ({@code v.intoArray(lanes, 0)}), added in lane order. Not
     * {@code reduceLanes(ADD)}: its order is unspecified, and its compiled and interpreted forms add in different
     * orders, so one input would give other bits depending on when the JIT compiled the caller — the same seed must
     * give the same bits. (The caller stores the vector itself: a vector passed to a method C2 does not inline
     * arrives boxed.)
     */
    static float sumInLaneOrder(float[] lanes) {
        float s = 0f;
        for (float x : lanes) {
            s += x;
        }
        return s;
    }

    /** Max (or min) of a run, NaN if any element is NaN; n >= 1. */
    static float extreme(float[] x, int off, int n, boolean max) {
        int i = 0;
        float m = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        if (VECTOR && n >= LANES) {
            i = n / LANES * LANES;
            m = VectorKernels.extremeRun(x, off, i, max);
        }
        for (; i < n; i++) {
            m = max ? Math.max(m, x[off + i]) : Math.min(m, x[off + i]);
        }
        return m;
    }

    /** acc[i] += x[xOff + i] (or max/min into acc), for column reductions. */
    static void accumulate(BinaryOp op, float[] acc, int accOff, float[] x, int xOff, int n) {
        binary(op, acc, accOff, 1, x, xOff, 1, acc, accOff, n);
    }

    // ---- softmax of one contiguous row, in place into y ----

    static void softmaxRow(float[] x, int xOff, float[] y, int yOff, int n, boolean log) {
        float m = extreme(x, xOff, n, true);
        float s = expShifted(x, xOff, m, y, yOff, n);
        if (log) {
            float shift = m + (float) Math.log(s);
            binary(BinaryOp.SUB, x, xOff, 1, new float[] {shift}, 0, 0, y, yOff, n);
        } else {
            binary(BinaryOp.MUL, y, yOff, 1, new float[] {1f / s}, 0, 0, y, yOff, n);
        }
    }

    /** y = e^(x - m) over a run, returning the sum of y. */
    private static float expShifted(float[] x, int xOff, float m, float[] y, int yOff, int n) {
        int i = 0;
        float s = 0f;
        if (VECTOR) {
            i = n / LANES * LANES;
            s = VectorKernels.expShiftedRun(x, xOff, m, y, yOff, i);
        }
        for (; i < n; i++) {
            float e = (float) Math.exp(x[xOff + i] - m);
            y[yOff + i] = e;
            s += e;
        }
        return s;
    }
}
