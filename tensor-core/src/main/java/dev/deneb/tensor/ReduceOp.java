package dev.deneb.tensor;

/** Reductions along axes. Sums and products of integers and booleans accumulate in I64, as in PyTorch. */
public enum ReduceOp {
    SUM(0.0) {
        public double combine(double acc, double x) { return acc + x; }
        public long combineLong(long acc, long x) { return acc + x; }
    },
    PROD(1.0) {
        public double combine(double acc, double x) { return acc * x; }
        public long combineLong(long acc, long x) { return acc * x; }
    },
    MAX(Double.NEGATIVE_INFINITY) {
        public double combine(double acc, double x) { return Math.max(acc, x); }
        public long combineLong(long acc, long x) { return Math.max(acc, x); }
    },
    MIN(Double.POSITIVE_INFINITY) {
        public double combine(double acc, double x) { return Math.min(acc, x); }
        public long combineLong(long acc, long x) { return Math.min(acc, x); }
    };

    private final double identity;

    ReduceOp(double identity) {
        this.identity = identity;
    }

    public double identity() {
        return identity;
    }

    public abstract double combine(double acc, double x);

    public abstract long combineLong(long acc, long x);

    /** The identity for integer accumulation. */
    public long identityLong() {
        return switch (this) {
            case SUM -> 0L;
            case PROD -> 1L;
            case MAX -> Long.MIN_VALUE;
            case MIN -> Long.MAX_VALUE;
        };
    }

    /** The dtype of the result for an input of {@code input}. */
    public DType resultType(DType input) {
        if ((this == SUM || this == PROD) && !input.isFloating()) {
            return DType.I64;
        }
        return input;
    }
}
