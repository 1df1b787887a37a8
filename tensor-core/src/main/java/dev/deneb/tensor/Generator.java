package dev.deneb.tensor;

import java.util.SplittableRandom;

/**
 * A seeded source of random tensors. The same seed gives the same numbers on every run and every thread count,
 * because values are drawn on the calling thread in row-major order.
 */
public final class Generator {
    private static final Generator GLOBAL = new Generator(0x5DEECE66DL);

    private SplittableRandom random;
    private double spareNormal = Double.NaN;

    public Generator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The generator {@link Tensor#rand}, {@link Tensor#randn} and the layers' initialisers use by default. */
    public static Generator global() {
        return GLOBAL;
    }

    /** Restarts the sequence from {@code seed}. */
    public synchronized void reseed(long seed) {
        random = new SplittableRandom(seed);
        spareNormal = Double.NaN;
    }

    /** Uniform in {@code [low, high)}, f32. */
    public synchronized Tensor uniform(double low, double high, int... shape) {
        if (!(low <= high)) {
            throw new IllegalArgumentException("uniform: low " + low + " must not exceed high " + high);
        }
        float[] v = new float[Shapes.numel("uniform", shape)];
        for (int i = 0; i < v.length; i++) {
            float x = (float) (low + (high - low) * random.nextDouble());
            // Rounding to float can land on `high`; keep the interval half-open.
            v[i] = x < high || low == high ? x : Math.nextDown((float) high);
        }
        return Tensor.of(v).reshape(shape);
    }

    /** Normal with the given mean and standard deviation, f32. */
    public synchronized Tensor normal(double mean, double std, int... shape) {
        if (!(std >= 0)) {
            throw new IllegalArgumentException("normal: std must be >= 0, got " + std);
        }
        float[] v = new float[Shapes.numel("normal", shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + std * nextGaussian());
        }
        return Tensor.of(v).reshape(shape);
    }

    /** Integers uniform in {@code [low, high)}, i64. */
    public synchronized Tensor randint(long low, long high, int... shape) {
        if (low >= high) {
            throw new IllegalArgumentException("randint: low " + low + " must be below high " + high);
        }
        long[] v = new long[Shapes.numel("randint", shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextLong(low, high);
        }
        return Tensor.of(v).reshape(shape);
    }

    /** Booleans that are true with probability {@code p}. */
    public synchronized Tensor bernoulli(double p, int... shape) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("bernoulli: p must be in [0, 1], got " + p);
        }
        boolean[] v = new boolean[Shapes.numel("bernoulli", shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextDouble() < p;
        }
        return Tensor.of(v).reshape(shape);
    }

    /** A random permutation of {@code 0 .. n-1}, i64 (Fisher–Yates). */
    public synchronized Tensor permutation(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("permutation: n must be >= 0, got " + n);
        }
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return Tensor.of(v);
    }

    /** One uniform double in [0, 1), for callers that need a scalar draw (dropout masks, shuffles). */
    public synchronized double nextDouble() {
        return random.nextDouble();
    }

    /** Marsaglia's polar method; keeps the second value of each pair. */
    private double nextGaussian() {
        if (!Double.isNaN(spareNormal)) {
            double s = spareNormal;
            spareNormal = Double.NaN;
            return s;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = Math.sqrt(-2 * Math.log(s) / s);
        spareNormal = v * f;
        return u * f;
    }
}
