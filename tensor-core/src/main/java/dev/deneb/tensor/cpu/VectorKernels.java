package dev.deneb.tensor.cpu;

import dev.deneb.tensor.BinaryOp;
import dev.deneb.tensor.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector bodies of {@link FloatRuns}' loops, written with the Vector API. Each returns how many leading elements
 * it did (whole vectors); {@link FloatRuns} holds the scalar twins, runs them on the tail, and calls in here only
 * when {@link FloatRuns#VECTOR} is true, so this class never loads in a JVM without the Vector API module
 * ({@link VectorSupport}). The vector width is {@code -Ddeneb.vector.bits} (128, 256 or 512; default: the CPU's
 * preferred width).
 */
final class VectorKernels {
    static final VectorSpecies<Float> SPECIES = species();
    static final int LANES = SPECIES.length();

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
     * Ops with a vector form (a case in {@link FloatRuns#unary}'s switch or in {@code mapRun}); the others run the
     * scalar loop, {@link FloatRuns#unaryScalar}, whose default is the op's own reference definition. Exhaustive on
     * purpose: a new op does not compile until it is put on one side.
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

    // ---- unary: y[yOff + i] = op(x[xOff + i]) for the first whole vectors of n; each returns how many ----
    //
    // Why one small method per loop, with the op's vector code written inside the loop body: the Vector API only
    // compiles to SIMD instructions when every call is inlined into the method holding the loop. A shared helper
    // such as apply(op, v), or a long method with many loops, is not inlined (too large, or its call site too cold
    // in the profile), and then every vector is boxed and every lane op runs the Java fallback, 10-50x slower.

    static int tanhRun(float[] x, int xOff, float[] y, int yOff, int n) {
        int bound = SPECIES.loopBound(n);
        for (int i = 0; i < bound; i += LANES) {
            VectorMath.tanh(x, xOff + i, y, yOff + i);
        }
        return bound;
    }

    static int expRun(float[] x, int xOff, float[] y, int yOff, int n) {
        int bound = SPECIES.loopBound(n);
        for (int i = 0; i < bound; i += LANES) {
            VectorMath.exp(x, xOff + i, y, yOff + i);
        }
        return bound;
    }

    static int sigmoidRun(float[] x, int xOff, float[] y, int yOff, int n) {
        int bound = SPECIES.loopBound(n);
        for (int i = 0; i < bound; i += LANES) {
            VectorMath.sigmoid(x, xOff + i, y, yOff + i);
        }
        return bound;
    }

    static int siluRun(float[] x, int xOff, float[] y, int yOff, int n) {
        int bound = SPECIES.loopBound(n);
        for (int i = 0; i < bound; i += LANES) {
            VectorMath.silu(x, xOff + i, y, yOff + i);
        }
        return bound;
    }

    /** The cheap ops, each exact in every lane. */
    static int mapRun(UnaryOp op, float[] x, int xOff, float[] y, int yOff, int n) {
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

    // ---- binary over runs: out[i] = op(a[aOff + i], b[bOff + i]), either side possibly one broadcast value ----

    /** Ops with a case in the three vector loops below; the others run {@link FloatRuns#binaryScalar}. Exhaustive,
     *  as {@link #vectorizable(UnaryOp)}. Comparisons never come here (FastCpuBackend sends them to Comparisons). */
    static boolean vectorizable(BinaryOp op) {
        return switch (op) {
            case ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM -> true;
            // No Vector API form of pow or fmod.
            case POW, REMAINDER, FMOD -> false;
            case EQ, NE, LT, LE, GT, GE -> false;
        };
    }

    // The three loops below repeat the same switch inside their bodies on purpose (see the note at the unary loops).

    static int binaryRun(BinaryOp op, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
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

    static int binaryScalarRight(BinaryOp op, float[] a, int aOff, float b, float[] out, int outOff, int n) {
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

    static int binaryScalarLeft(BinaryOp op, float a, float[] b, int bOff, float[] out, int outOff, int n) {
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

    // ---- reductions of one contiguous run ----

    /** The sum of {@code x[off..off+n)}, n a multiple of two vectors: two accumulators, their lanes in lane order
     *  ({@link FloatRuns#sumInLaneOrder}, for the same bits compiled or interpreted). */
    static float pairSum(float[] x, int off, int n) {
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        for (int i = 0; i < n; i += 2 * LANES) {
            acc0 = acc0.add(FloatVector.fromArray(SPECIES, x, off + i));
            acc1 = acc1.add(FloatVector.fromArray(SPECIES, x, off + i + LANES));
        }
        float[] lanes = new float[LANES];
        acc0.add(acc1).intoArray(lanes, 0);
        return FloatRuns.sumInLaneOrder(lanes);
    }

    /** Max (or min) of {@code x[off..off+n)}, n a positive multiple of the vector length; NaN if any is NaN. */
    static float extremeRun(float[] x, int off, int n, boolean max) {
        FloatVector acc = FloatVector.broadcast(SPECIES, max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY);
        for (int i = 0; i < n; i += LANES) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, off + i);
            acc = max ? acc.max(v) : acc.min(v);
        }
        VectorMask<Float> isNan = acc.test(VectorOperators.IS_NAN);
        if (isNan.anyTrue()) {
            return Float.NaN;
        }
        return max ? acc.reduceLanes(VectorOperators.MAX) : acc.reduceLanes(VectorOperators.MIN);
    }

    /** {@code y = e^(x - m)} over {@code n} elements (a multiple of the vector length); returns the sum of y, its
     *  lanes added in lane order. */
    static float expShiftedRun(float[] x, int xOff, float m, float[] y, int yOff, int n) {
        FloatVector acc = FloatVector.zero(SPECIES);
        for (int i = 0; i < n; i += LANES) {
            VectorMath.expShifted(x, xOff + i, m, y, yOff + i);
            acc = acc.add(FloatVector.fromArray(SPECIES, y, yOff + i));
        }
        float[] lanes = new float[LANES];
        acc.intoArray(lanes, 0);
        return FloatRuns.sumInLaneOrder(lanes);
    }
}
