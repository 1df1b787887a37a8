package dev.deneb.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/** Seeded random inputs for the gradient tests (f64, small), and a few assertion helpers. */
final class TestData {
    private final Generator gen;
    private final SplittableRandom random;

    TestData(long seed) {
        this.gen = new Generator(seed);
        this.random = new SplittableRandom(seed * 31 + 7);
    }

    /** Standard normal values, f64. */
    Tensor normal(int... shape) {
        return gen.normal(0, 1, shape).to(DType.F64).reshape(shape);
    }

    /** Uniform in [lo, hi), f64. */
    Tensor uniform(double lo, double hi, int... shape) {
        return gen.uniform(lo, hi, shape).to(DType.F64).reshape(shape);
    }

    /** |x| uniform in [lo, hi) with a random sign: values kept away from zero. */
    Tensor awayFromZero(double lo, double hi, int... shape) {
        double[] v = uniform(lo, hi, shape).toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            if (random.nextBoolean()) {
                v[i] = -v[i];
            }
        }
        return Tensor.of(v).reshape(shape);
    }

    /**
     * {@code unit · k + u} with k a random integer in {@code [-maxK, maxK)} and u uniform in
     * {@code [margin, unit - margin]}: values at least {@code margin} away from every multiple of {@code unit} (where
     * floor-like functions jump).
     */
    Tensor offGrid(double unit, double margin, int maxK, int... shape) {
        double[] v = uniform(margin, unit - margin, shape).toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            v[i] += unit * random.nextInt(-maxK, maxK);
        }
        return Tensor.of(v).reshape(shape);
    }

    /** Normal values (times {@code scale}) moved at least {@code gap} away from each of {@code points}. */
    Tensor normalAvoiding(double scale, double gap, double[] points, int... shape) {
        double[] v = normal(shape).toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            v[i] *= scale;
            for (int pass = 0; pass < 4; pass++) {
                for (double p : points) {
                    if (Math.abs(v[i] - p) < gap) {
                        v[i] = p + (v[i] >= p ? gap : -gap) * 1.5;
                    }
                }
            }
        }
        return Tensor.of(v).reshape(shape);
    }

    /** A random boolean mask. */
    Tensor mask(int... shape) {
        return gen.bernoulli(0.5, shape).reshape(shape);
    }

    /** Integers uniform in [0, high), i64. */
    Tensor indices(long high, int... shape) {
        return gen.randint(0, high, shape).reshape(shape);
    }

    /** A random permutation of 0..n-1, i64. */
    Tensor permutation(int n) {
        return gen.permutation(n);
    }

    int nextInt(int lo, int hiInclusive) {
        return random.nextInt(lo, hiInclusive + 1);
    }

    boolean nextBoolean() {
        return random.nextBoolean();
    }

    /** A random shape of rank in [minRank, maxRank], sizes 1..4, at most {@code maxNumel} elements. */
    int[] shape(int minRank, int maxRank, int maxNumel) {
        while (true) {
            int rank = nextInt(minRank, maxRank);
            int[] s = new int[rank];
            int n = 1;
            for (int d = 0; d < rank; d++) {
                s[d] = nextInt(rank == 1 ? 2 : 1, 4);
                n *= s[d];
            }
            if (n <= maxNumel && (rank == 0 || n >= 2)) {
                return s;
            }
        }
    }

    /**
     * A shape that broadcasts with {@code s}: some leading axes dropped, some sizes set to 1.
     */
    int[] broadcastPartner(int[] s) {
        int drop = s.length == 0 ? 0 : nextInt(0, s.length);
        int[] p = Arrays.copyOfRange(s, drop, s.length);
        for (int d = 0; d < p.length; d++) {
            if (random.nextInt(3) == 0) {
                p[d] = 1;
            }
        }
        return p;
    }

    // ---- assertions ----

    static void assertPasses(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, GradCheck.Options o) {
        GradCheck.Result r = GradCheck.check(f, inputs, o);
        assertTrue(r.elementsChecked() > 0, "nothing was checked: " + r.message());
        assertTrue(r.passed(), r.message());
    }

    static void assertValues(double[] expected, Tensor actual, double tol) {
        assertArrayEquals(expected, actual.toDoubleArray(), tol, () -> "got " + Arrays.toString(actual.toDoubleArray()));
    }

    static Tensor f64(double... v) {
        return Tensor.of(v);
    }

    static Tensor param(double... v) {
        return Tensor.of(v).requiresGrad(true);
    }
}
