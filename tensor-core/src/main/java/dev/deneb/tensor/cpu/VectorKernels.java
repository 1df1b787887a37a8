package dev.deneb.tensor.cpu;

import dev.deneb.tensor.BinaryOp;
import dev.deneb.tensor.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * f32 loops over runs of elements, written with the Vector API, each with a scalar twin used for the tail and when
 * vectors are switched off ({@code -Ddeneb.vector=false}). The vector width is {@code -Ddeneb.vector.bits} (128,
 * 256 or 512; default: the CPU's preferred width).
 */
final class VectorKernels {
    static final VectorSpecies<Float> SPECIES = species();
    static final int LANES = SPECIES.length();
    static final boolean ENABLED = !"false".equals(System.getProperty("deneb.vector")) && LANES >= 4;

    private VectorKernels() {}

    private static VectorSpecies<Float> species() {
        String bits = System.getProperty("deneb.vector.bits", "");
        return switch (bits) {
            case "128" -> FloatVector.SPECIES_128;
            case "256" -> FloatVector.SPECIES_256;
            case "512" -> FloatVector.SPECIES_512;
            default -> FloatVector.SPECIES_PREFERRED;
        };
    }

    /**
     * Ops with a vector form (a case in {@link #unary}'s switch or in {@code mapRun}); the others run the scalar loop,
     * {@link #unaryScalar}, whose default is the op's own reference definition. Exhaustive on purpose: a new op does
     * not compile until it is put on one side.
     */
    static boolean vectorizable(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, RELU, STEP, EXP, SQRT, RSQRT, TANH, SIGMOID, SILU, RECIPROCAL -> true;
            // No Vector API operator (erf, floor, ceil, rint, trunc), or not worth one (sign). LOG, LOG1P, SIN and
            // COS have one, but its compiled form (a vector math library) and its interpreted form (Math per lane)
            // round differently, so results would depend on when the JIT compiled the loop: same seed, other bits.
            case SIGN, ERF, GELU, FLOOR, CEIL, ROUND, TRUNC, HARDSWISH, LOG, LOG1P, SIN, COS, SOFTPLUS -> false;
        };
    }

    // ---- unary: y[yOff + i] = op(x[xOff + i]) for i < n ----
    //
    // Why one small method per loop, with the op's vector code written inside the loop body: the Vector API only
    // compiles to SIMD instructions when every call is inlined into the method holding the loop. A shared helper
    // such as apply(op, v), or a long method with many loops, is not inlined (too large, or its call site too cold
    // in the profile), and then every vector is boxed and every lane op runs the Java fallback, 10-50x slower.

    static void unary(UnaryOp op, float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        if (ENABLED && vectorizable(op)) {
            i = switch (op) {
                case TANH -> tanhRun(x, xOff, y, yOff, n);
                case SIGMOID -> sigmoidRun(x, xOff, y, yOff, n);
                case SILU -> siluRun(x, xOff, y, yOff, n);
                case EXP -> expRun(x, xOff, y, yOff, n);
                default -> mapRun(op, x, xOff, y, yOff, n);
            };
        }
        for (; i < n; i++) {
            y[yOff + i] = unaryScalar(op, x[xOff + i]);
        }
    }

    /** {@code unary(SIGMOID, ...)} without the op switch, for fused kernels: a caller compiled with the switch
     *  inlines every op's loop, and past C2's node budget the innermost vector helpers are left out of line. */
    static void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = ENABLED ? sigmoidRun(x, xOff, y, yOff, n) : 0;
        for (; i < n; i++) {
            y[yOff + i] = unaryScalar(UnaryOp.SIGMOID, x[xOff + i]);
        }
    }

    /** {@code unary(TANH, ...)} without the op switch (see {@link #sigmoid}). */
    static void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = ENABLED ? tanhRun(x, xOff, y, yOff, n) : 0;
        for (; i < n; i++) {
            y[yOff + i] = unaryScalar(UnaryOp.TANH, x[xOff + i]);
        }
    }

    private static int tanhRun(float[] x, int xOff, float[] y, int yOff, int n) {
        int bound = SPECIES.loopBound(n);
        for (int i = 0; i < bound; i += LANES) {
            VectorMath.tanh(x, xOff + i, y, yOff + i);
        }
        return bound;
    }

    private static int expRun(float[] x, int xOff, float[] y, int yOff, int n) {
        int bound = SPECIES.loopBound(n);
        for (int i = 0; i < bound; i += LANES) {
            VectorMath.exp(x, xOff + i, y, yOff + i);
        }
        return bound;
    }

    private static int sigmoidRun(float[] x, int xOff, float[] y, int yOff, int n) {
        int bound = SPECIES.loopBound(n);
        for (int i = 0; i < bound; i += LANES) {
            VectorMath.sigmoid(x, xOff + i, y, yOff + i);
        }
        return bound;
    }

    private static int siluRun(float[] x, int xOff, float[] y, int yOff, int n) {
        int bound = SPECIES.loopBound(n);
        for (int i = 0; i < bound; i += LANES) {
            VectorMath.silu(x, xOff + i, y, yOff + i);
        }
        return bound;
    }

    /** The cheap ops, each exact in every lane. */
    private static int mapRun(UnaryOp op, float[] x, int xOff, float[] y, int yOff, int n) {
        int bound = SPECIES.loopBound(n);
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        for (int i = 0; i < bound; i += LANES) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, xOff + i);
            FloatVector r = switch (op) {
                case NEG -> v.neg();
                case ABS -> v.abs();
                // x <= 0 (including -0.0) becomes 0.0, NaN stays NaN: the reference's x > 0 ? x : 0, with an
                // intrinsified compare and blend (FloatVector.max takes a slow path for Java's NaN rules).
                case RELU -> v.blend(zero, v.compare(VectorOperators.LE, zero));
                case STEP -> zero.blend(one, v.compare(VectorOperators.GT, zero));
                case SQRT -> v.sqrt();
                case RSQRT -> one.div(v.sqrt());
                case RECIPROCAL -> one.div(v);
                default -> throw new IllegalStateException(op + " has no loop here");
            };
            r.intoArray(y, yOff + i);
        }
        return bound;
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

    /** Ops with a case in the three vector loops below; the others run {@link #binaryScalar}. Exhaustive, as
     *  {@link #vectorizable(UnaryOp)}. Comparisons never come here (FastCpuBackend sends them to Comparisons). */
    static boolean vectorizable(BinaryOp op) {
        return switch (op) {
            case ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM -> true;
            // No Vector API form of pow or fmod.
            case POW, REMAINDER, FMOD -> false;
            case EQ, NE, LT, LE, GT, GE -> false;
        };
    }

    static void binary(BinaryOp op, float[] a, int aOff, int aStep, float[] b, int bOff, int bStep,
                       float[] out, int outOff, int n) {
        int i = 0;
        if (ENABLED && vectorizable(op)) {
            if (aStep == 1 && bStep == 1) {
                i = binaryRun(op, a, aOff, b, bOff, out, outOff, n);
            } else if (aStep == 1 && bStep == 0) {
                i = binaryScalarRight(op, a, aOff, b[bOff], out, outOff, n);
            } else if (aStep == 0 && bStep == 1) {
                i = binaryScalarLeft(op, a[aOff], b, bOff, out, outOff, n);
            }
        }
        for (; i < n; i++) {
            out[outOff + i] = binaryScalar(op, a[aOff + i * aStep], b[bOff + i * bStep]);
        }
    }

    // The three loops below repeat the same switch inside their bodies on purpose (see the note at unary).

    private static int binaryRun(BinaryOp op, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff,
                                 int n) {
        int bound = SPECIES.loopBound(n);
        for (int i = 0; i < bound; i += LANES) {
            FloatVector x = FloatVector.fromArray(SPECIES, a, aOff + i);
            FloatVector y = FloatVector.fromArray(SPECIES, b, bOff + i);
            FloatVector r = switch (op) {
                case ADD -> x.add(y);
                case SUB -> x.sub(y);
                case MUL -> x.mul(y);
                case DIV -> x.div(y);
                case MAXIMUM -> x.max(y);
                case MINIMUM -> x.min(y);
                default -> throw new IllegalStateException(op + " has no vector form");
            };
            r.intoArray(out, outOff + i);
        }
        return bound;
    }

    private static int binaryScalarRight(BinaryOp op, float[] a, int aOff, float b, float[] out, int outOff, int n) {
        int bound = SPECIES.loopBound(n);
        FloatVector y = FloatVector.broadcast(SPECIES, b);
        for (int i = 0; i < bound; i += LANES) {
            FloatVector x = FloatVector.fromArray(SPECIES, a, aOff + i);
            FloatVector r = switch (op) {
                case ADD -> x.add(y);
                case SUB -> x.sub(y);
                case MUL -> x.mul(y);
                case DIV -> x.div(y);
                case MAXIMUM -> x.max(y);
                case MINIMUM -> x.min(y);
                default -> throw new IllegalStateException(op + " has no vector form");
            };
            r.intoArray(out, outOff + i);
        }
        return bound;
    }

    private static int binaryScalarLeft(BinaryOp op, float a, float[] b, int bOff, float[] out, int outOff, int n) {
        int bound = SPECIES.loopBound(n);
        FloatVector x = FloatVector.broadcast(SPECIES, a);
        for (int i = 0; i < bound; i += LANES) {
            FloatVector y = FloatVector.fromArray(SPECIES, b, bOff + i);
            FloatVector r = switch (op) {
                case ADD -> x.add(y);
                case SUB -> x.sub(y);
                case MUL -> x.mul(y);
                case DIV -> x.div(y);
                case MAXIMUM -> x.max(y);
                case MINIMUM -> x.min(y);
                default -> throw new IllegalStateException(op + " has no vector form");
            };
            r.intoArray(out, outOff + i);
        }
        return bound;
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

    /** Sum of a run: float lanes within blocks of {@link #SUM_BLOCK}, the block sums in double, so long runs
     *  (millions of elements) keep their precision. */
    static float sum(float[] x, int off, int n) {
        double total = 0;
        for (int b = 0; b < n; b += SUM_BLOCK) {
            total += blockSum(x, off + b, Math.min(SUM_BLOCK, n - b));
        }
        return (float) total;
    }

    static final int SUM_BLOCK = 4096;

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

    private static float blockSum(float[] x, int off, int n) {
        int i = 0;
        float s = 0f;
        if (ENABLED) {
            FloatVector acc0 = FloatVector.zero(SPECIES);
            FloatVector acc1 = FloatVector.zero(SPECIES);
            for (int bound = n - 2 * LANES; i <= bound; i += 2 * LANES) {
                acc0 = acc0.add(FloatVector.fromArray(SPECIES, x, off + i));
                acc1 = acc1.add(FloatVector.fromArray(SPECIES, x, off + i + LANES));
            }
            float[] lanes = new float[LANES];
            acc0.add(acc1).intoArray(lanes, 0);
            s = sumInLaneOrder(lanes);
        }
        for (; i < n; i++) {
            s += x[off + i];
        }
        return s;
    }

    /** Max (or min) of a run, NaN if any element is NaN; n >= 1. */
    static float extreme(float[] x, int off, int n, boolean max) {
        int i = 0;
        float m = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        boolean nan = false;
        if (ENABLED && n >= LANES) {
            FloatVector acc = FloatVector.broadcast(SPECIES, m);
            for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
                FloatVector v = FloatVector.fromArray(SPECIES, x, off + i);
                acc = max ? acc.max(v) : acc.min(v);
            }
            VectorMask<Float> isNan = acc.test(VectorOperators.IS_NAN);
            nan = isNan.anyTrue();
            m = max ? acc.reduceLanes(VectorOperators.MAX) : acc.reduceLanes(VectorOperators.MIN);
        }
        for (; i < n; i++) {
            m = max ? Math.max(m, x[off + i]) : Math.min(m, x[off + i]);
        }
        return nan ? Float.NaN : m;
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
        if (ENABLED) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
                VectorMath.expShifted(x, xOff + i, m, y, yOff + i);
                acc = acc.add(FloatVector.fromArray(SPECIES, y, yOff + i));
            }
            float[] lanes = new float[LANES];
            acc.intoArray(lanes, 0);
            s = sumInLaneOrder(lanes);
        }
        for (; i < n; i++) {
            float e = (float) Math.exp(x[xOff + i] - m);
            y[yOff + i] = e;
            s += e;
        }
        return s;
    }
}
