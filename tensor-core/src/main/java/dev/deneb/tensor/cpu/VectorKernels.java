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

    /** Ops with a vector form; the rest run the scalar loop. */
    static boolean vectorizable(UnaryOp op) {
        return switch (op) {
            case GELU, SIGN, ERF -> false;
            default -> true;
        };
    }

    // ---- unary: y[yOff + i] = op(x[xOff + i]) for i < n ----

    static void unary(UnaryOp op, float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        if (ENABLED && vectorizable(op)) {
            int bound = SPECIES.loopBound(n);
            // These get loops of their own: through the shared switch their vectors escape and are boxed, which
            // costs more than the arithmetic. (EXP stays with the JDK's: as fast here as our polynomial.)
            switch (op) {
                case TANH -> {
                    for (; i < bound; i += LANES) {
                        VectorMath.tanh(FloatVector.fromArray(SPECIES, x, xOff + i)).intoArray(y, yOff + i);
                    }
                }
                case SIGMOID -> {
                    for (; i < bound; i += LANES) {
                        VectorMath.sigmoid(FloatVector.fromArray(SPECIES, x, xOff + i)).intoArray(y, yOff + i);
                    }
                }
                case SILU -> {
                    for (; i < bound; i += LANES) {
                        FloatVector v = FloatVector.fromArray(SPECIES, x, xOff + i);
                        v.mul(VectorMath.sigmoid(v)).intoArray(y, yOff + i);
                    }
                }
                default -> {
                    for (; i < bound; i += LANES) {
                        apply(op, FloatVector.fromArray(SPECIES, x, xOff + i)).intoArray(y, yOff + i);
                    }
                }
            }
        }
        for (; i < n; i++) {
            y[yOff + i] = unaryScalar(op, x[xOff + i]);
        }
    }

    private static FloatVector apply(UnaryOp op, FloatVector v) {
        return switch (op) {
            case NEG -> v.neg();
            case ABS -> v.abs();
            // x <= 0 (including -0.0) becomes 0.0, NaN stays NaN: the reference's x > 0 ? x : 0, with an
            // intrinsified compare and blend (FloatVector.max takes a slow path for Java's NaN rules).
            case RELU -> v.blend(0f, v.compare(VectorOperators.LE, 0f));
            case STEP -> FloatVector.zero(SPECIES).blend(1f, v.compare(VectorOperators.GT, 0f));
            case EXP -> v.lanewise(VectorOperators.EXP);
            case LOG -> v.lanewise(VectorOperators.LOG);
            case LOG1P -> v.lanewise(VectorOperators.LOG1P);
            case SQRT -> v.sqrt();
            case RSQRT -> FloatVector.broadcast(SPECIES, 1f).div(v.sqrt());
            case SIN -> v.lanewise(VectorOperators.SIN);
            case COS -> v.lanewise(VectorOperators.COS);
            case TANH -> VectorMath.tanh(v);
            case SIGMOID -> sigmoid(v);
            case SILU -> v.mul(sigmoid(v));
            case SOFTPLUS -> v.blend(VectorMath.exp(v).lanewise(VectorOperators.LOG1P),
                    v.compare(VectorOperators.GT, 20f).not());
            case RECIPROCAL -> FloatVector.broadcast(SPECIES, 1f).div(v);
            case GELU, SIGN, ERF -> throw new IllegalStateException(op + " has no vector form");
        };
    }

    /** 1 / (1 + e^-x): e^-x overflows to +inf for very negative x, giving exactly 0 as it should. */
    private static FloatVector sigmoid(FloatVector v) {
        return VectorMath.sigmoid(v);
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

    static boolean vectorizable(BinaryOp op) {
        return switch (op) {
            case ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM -> true;
            default -> false;
        };
    }

    static void binary(BinaryOp op, float[] a, int aOff, int aStep, float[] b, int bOff, int bStep,
                       float[] out, int outOff, int n) {
        int i = 0;
        if (ENABLED && vectorizable(op)) {
            int bound = SPECIES.loopBound(n);
            if (aStep == 1 && bStep == 1) {
                for (; i < bound; i += LANES) {
                    FloatVector x = FloatVector.fromArray(SPECIES, a, aOff + i);
                    FloatVector y = FloatVector.fromArray(SPECIES, b, bOff + i);
                    apply(op, x, y).intoArray(out, outOff + i);
                }
            } else if (aStep == 1 && bStep == 0) {
                FloatVector y = FloatVector.broadcast(SPECIES, b[bOff]);
                for (; i < bound; i += LANES) {
                    apply(op, FloatVector.fromArray(SPECIES, a, aOff + i), y).intoArray(out, outOff + i);
                }
            } else if (aStep == 0 && bStep == 1) {
                FloatVector x = FloatVector.broadcast(SPECIES, a[aOff]);
                for (; i < bound; i += LANES) {
                    apply(op, x, FloatVector.fromArray(SPECIES, b, bOff + i)).intoArray(out, outOff + i);
                }
            }
        }
        for (; i < n; i++) {
            out[outOff + i] = binaryScalar(op, a[aOff + i * aStep], b[bOff + i * bStep]);
        }
    }

    private static FloatVector apply(BinaryOp op, FloatVector x, FloatVector y) {
        return switch (op) {
            case ADD -> x.add(y);
            case SUB -> x.sub(y);
            case MUL -> x.mul(y);
            case DIV -> x.div(y);
            case MAXIMUM -> x.max(y);
            case MINIMUM -> x.min(y);
            default -> throw new IllegalStateException(op + " has no vector form");
        };
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
            s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
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
        // exp(x - m) into y, summing as we go.
        int i = 0;
        float s = 0f;
        if (ENABLED) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
                FloatVector e = FloatVector.fromArray(SPECIES, x, xOff + i).sub(m).lanewise(VectorOperators.EXP);
                e.intoArray(y, yOff + i);
                acc = acc.add(e);
            }
            s = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) {
            float e = (float) Math.exp(x[xOff + i] - m);
            y[yOff + i] = e;
            s += e;
        }
        if (log) {
            float shift = m + (float) Math.log(s);
            binary(BinaryOp.SUB, x, xOff, 1, new float[] {shift}, 0, 0, y, yOff, n);
        } else {
            binary(BinaryOp.MUL, y, yOff, 1, new float[] {1f / s}, 0, 0, y, yOff, n);
        }
    }
}
