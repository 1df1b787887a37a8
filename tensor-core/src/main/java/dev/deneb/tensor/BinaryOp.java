package dev.deneb.tensor;

/**
 * Elementwise functions of two arguments. Comparisons return 1 or 0 (their results are BOOL tensors).
 * {@code MAXIMUM} and {@code MINIMUM} propagate NaN, as in PyTorch.
 */
public enum BinaryOp {
    ADD {
        public double apply(double a, double b) { return a + b; }
        public long applyLong(long a, long b) { return a + b; }
    },
    SUB {
        public double apply(double a, double b) { return a - b; }
        public long applyLong(long a, long b) { return a - b; }
    },
    MUL {
        public double apply(double a, double b) { return a * b; }
        public long applyLong(long a, long b) { return a * b; }
    },
    /** True division; integer inputs are converted to floating point before it runs. */
    DIV {
        public double apply(double a, double b) { return a / b; }
        public long applyLong(long a, long b) { throw new UnsupportedOperationException("DIV on integers"); }
    },
    POW {
        // C99 (and NumPy, PyTorch, CUDA): 1^y = 1 for any y, and (-1)^±inf = 1; Java's Math.pow says NaN.
        public double apply(double a, double b) { return a == 1 || (a == -1 && Double.isInfinite(b)) ? 1 : Math.pow(a, b); }
        public long applyLong(long a, long b) {
            if (b < 0) {
                throw new IllegalArgumentException("pow: integers to negative integer powers are not allowed (exponent "
                        + b + ")");
            }
            long r = 1;
            for (long i = 0; i < b; i++) {
                r *= a;
            }
            return r;
        }
    },
    MAXIMUM {
        public double apply(double a, double b) { return Math.max(a, b); }
        public long applyLong(long a, long b) { return Math.max(a, b); }
    },
    MINIMUM {
        public double apply(double a, double b) { return Math.min(a, b); }
        public long applyLong(long a, long b) { return Math.min(a, b); }
    },
    /**
     * Python's (and torch.remainder's) modulo: {@code a - floor(a / b) * b}, with the sign of the divisor; NaN for a
     * float divisor 0. Integer inputs need non-zero divisors ({@link #isIntegerDivision()}).
     */
    REMAINDER {
        public double apply(double a, double b) {
            // As PyTorch computes it: the exact fmod, moved by one divisor when the signs differ.
            double m = a % b;
            return m != 0 && (m < 0) != (b < 0) ? m + b : m;
        }
        public long applyLong(long a, long b) {
            long m = a % nonZero("remainder", b);
            return m != 0 && (m < 0) != (b < 0) ? m + b : m;
        }
    },
    /** C's fmod (torch.fmod): {@code a - trunc(a / b) * b}, with the sign of the dividend; NaN for a float divisor
     *  0. Integer inputs need non-zero divisors. */
    FMOD {
        public double apply(double a, double b) { return a % b; }
        public long applyLong(long a, long b) { return a % nonZero("fmod", b); }
    },
    EQ(true) {
        public double apply(double a, double b) { return a == b ? 1 : 0; }
        public long applyLong(long a, long b) { return a == b ? 1 : 0; }
    },
    NE(true) {
        public double apply(double a, double b) { return a != b ? 1 : 0; }
        public long applyLong(long a, long b) { return a != b ? 1 : 0; }
    },
    LT(true) {
        public double apply(double a, double b) { return a < b ? 1 : 0; }
        public long applyLong(long a, long b) { return a < b ? 1 : 0; }
    },
    LE(true) {
        public double apply(double a, double b) { return a <= b ? 1 : 0; }
        public long applyLong(long a, long b) { return a <= b ? 1 : 0; }
    },
    GT(true) {
        public double apply(double a, double b) { return a > b ? 1 : 0; }
        public long applyLong(long a, long b) { return a > b ? 1 : 0; }
    },
    GE(true) {
        public double apply(double a, double b) { return a >= b ? 1 : 0; }
        public long applyLong(long a, long b) { return a >= b ? 1 : 0; }
    };

    private final boolean comparison;
    private final String opName = name().toLowerCase(java.util.Locale.ROOT);

    BinaryOp() {
        this(false);
    }

    BinaryOp(boolean comparison) {
        this.comparison = comparison;
    }

    /** The name used in error messages, e.g. "add". */
    public String opName() {
        return opName;
    }

    public abstract double apply(double a, double b);

    public abstract long applyLong(long a, long b);

    public boolean isComparison() {
        return comparison;
    }

    /** True for the ops that divide integers exactly (remainder, fmod): an integer divisor must not be 0, which
     *  {@code Tensor} checks before any kernel runs. */
    public boolean isIntegerDivision() {
        return this == REMAINDER || this == FMOD;
    }

    private static long nonZero(String op, long divisor) {
        if (divisor == 0) {
            throw new IllegalArgumentException(op + ": integer division by zero");
        }
        return divisor;
    }

    /** The dtype of the result for operands (already promoted to) {@code operands}. */
    public DType resultType(DType operands) {
        return comparison ? DType.BOOL : operands;
    }
}
