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

    /** The dtype of the result for operands (already promoted to) {@code operands}. */
    public DType resultType(DType operands) {
        return comparison ? DType.BOOL : operands;
    }
}
