package dev.deneb.tensor;

/**
 * Elementwise functions of one argument. Each constant says how to compute one element in double precision (the
 * reference definition every backend must match) and, where it makes sense, on integers.
 */
public enum UnaryOp {
    NEG(true) {
        public double apply(double x) { return -x; }
        public long applyLong(long x) { return -x; }
    },
    ABS(true) {
        public double apply(double x) { return Math.abs(x); }
        public long applyLong(long x) { return Math.abs(x); }
    },
    SIGN(true) {
        public double apply(double x) { return Math.signum(x); }
        public long applyLong(long x) { return Long.signum(x); }
    },
    RELU(true) {
        // x > 0 ? x : 0 keeps NaN as NaN (as PyTorch does) and maps -0.0 to 0.0.
        public double apply(double x) { return x > 0 || Double.isNaN(x) ? x : 0.0; }
        public long applyLong(long x) { return Math.max(x, 0); }
    },
    /** The unit step, 1 where x > 0 and 0 elsewhere (NaN included): the derivative of relu. */
    STEP(true) {
        public double apply(double x) { return x > 0 ? 1 : 0; }
        public long applyLong(long x) { return x > 0 ? 1 : 0; }
    },
    /** Rounds down; integers are returned unchanged (as PyTorch). The derivative is 0. */
    FLOOR(true) {
        public double apply(double x) { return Math.floor(x); }
        public long applyLong(long x) { return x; }
    },
    /** Rounds up; integers unchanged. */
    CEIL(true) {
        public double apply(double x) { return Math.ceil(x); }
        public long applyLong(long x) { return x; }
    },
    /** Rounds to the nearest integer, halves to even (as torch.round and {@link Math#rint}); integers unchanged. */
    ROUND(true) {
        public double apply(double x) { return Math.rint(x); }
        public long applyLong(long x) { return x; }
    },
    /** Rounds toward zero; integers unchanged. */
    TRUNC(true) {
        public double apply(double x) { return x < 0 ? Math.ceil(x) : Math.floor(x); }
        public long applyLong(long x) { return x; }
    },
    EXP { public double apply(double x) { return Math.exp(x); } },
    LOG { public double apply(double x) { return Math.log(x); } },
    LOG1P { public double apply(double x) { return Math.log1p(x); } },
    SQRT { public double apply(double x) { return Math.sqrt(x); } },
    RSQRT { public double apply(double x) { return 1.0 / Math.sqrt(x); } },
    SIN { public double apply(double x) { return Math.sin(x); } },
    COS { public double apply(double x) { return Math.cos(x); } },
    TANH { public double apply(double x) { return Math.tanh(x); } },
    SIGMOID { public double apply(double x) { return sigmoid(x); } },
    ERF { public double apply(double x) { return Erf.erf(x); } },
    /** The exact GELU, {@code x·Φ(x)}, as PyTorch's default. */
    GELU { public double apply(double x) { return 0.5 * x * (1.0 + Erf.erf(x / Math.sqrt(2.0))); } },
    SILU { public double apply(double x) { return x * sigmoid(x); } },
    /** {@code log(1 + e^x)}, linear above 20 as in PyTorch. */
    SOFTPLUS { public double apply(double x) { return x > 20 ? x : Math.log1p(Math.exp(x)); } },
    /** {@code x·relu6(x + 3)/6} (MobileNetV3). */
    HARDSWISH { public double apply(double x) { return x * Math.min(Math.max(x + 3, 0), 6) / 6; } },
    RECIPROCAL { public double apply(double x) { return 1.0 / x; } };

    private final boolean integerOk;
    private final String opName = name().toLowerCase(java.util.Locale.ROOT);

    UnaryOp() {
        this(false);
    }

    UnaryOp(boolean integerOk) {
        this.integerOk = integerOk;
    }

    /** The name used in error messages, e.g. "sigmoid". */
    public String opName() {
        return opName;
    }

    public abstract double apply(double x);

    /** The op on integers; only for ops where {@link #acceptsIntegers()} holds. */
    public long applyLong(long x) {
        throw new UnsupportedOperationException(name() + " is not defined on integers");
    }

    /** True when integer tensors keep their dtype; otherwise they are converted to floating point first. */
    public boolean acceptsIntegers() {
        return integerOk;
    }

    /** Logistic function without overflow for large |x|. */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }
}
