package dev.deneb.tensor;

import static dev.deneb.tensor.testing.Cases.assertBitwise;
import static dev.deneb.tensor.testing.Cases.assertClose;
import static dev.deneb.tensor.testing.Cases.assertCloseScaled;
import static dev.deneb.tensor.testing.Cases.assertExact;
import static dev.deneb.tensor.testing.Cases.assertOn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.cpu.Parallel;
import dev.deneb.tensor.testing.Cases;
import dev.deneb.tensor.testing.Cases.Layout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One suite for every backend: each test builds its inputs on the reference backend, copies them to
 * {@link #backend()} with {@code to(backend)}, applies the same view ops on both sides (so transposed, stepped and
 * expanded inputs reach the kernels), runs the op on both and compares. A new device gets the whole suite by
 * extending this class and naming its backend.
 *
 * <p>Tolerances, stated once (rel = relative to the reference value, abs = absolute); for the elementwise ops the
 * class of each {@link UnaryOp} and {@link BinaryOp} constant is chosen by an exhaustive switch
 * ({@link #unaryTolerance}, {@link #binaryTolerance}), so a new op does not compile until it has one:
 * <ul>
 *   <li>exact: copies, casts, views, fill, comparisons, where, clamp, max/min/argmax/argmin, every integer
 *       and bool op, indexSelect/gather/scatter/oneHot/embedding/maskedFill, cat/stack/split, isnan/isinf/isfinite,
 *       nanToNum, any/all;
 *   <li>bitwise (exact, and the sign of zero too): neg/abs/sign/relu/step, floor/ceil/round/trunc,
 *       add/sub/mul/maximum/minimum (IEEE ops on two operands round the same in f32 and f64), remainder and fmod
 *       (fmod is exact; remainder adds one divisor to it, one rounding);
 *   <li>div: rel 1e-6 (f32) / 1e-15 (f64), so a backend may use a reciprocal-multiply;
 *   <li>transcendental unary ops and pow: rel 1e-5 + abs 1e-6 (f32), rel 1e-10 + abs 1e-12 (f64);
 *   <li>sums, means, norms, matmul: abs 1e-5·S + 1e-6 (f32) or 1e-12·S (f64), where S is the same accumulation
 *       of magnitudes (sum |x|, |A|·|B|): the bound for any summation order;
 *   <li>prod, var/std, logsumexp, softmax/logSoftmax: rel 1e-4 + abs 1e-5 (f32), rel 1e-10 + abs 1e-12 (f64);
 *   <li>argsort/sort/topk (stable, so the indices are unique too), cumsum/cumprod of integers, scatterReduce with
 *       amax/amin or on integers: exact; cumsum and scatterReduce sum/mean of floats: as sums; cumprod: as prod;
 *   <li>inverse, solve, det, slogdet, cholesky, eigenvalues and singular values, on well-conditioned inputs: rel 1e-4
 *       + abs 1e-5 (f32), rel 1e-10 + abs 1e-12 (f64); the slogdet sign exactly; eigenvectors, singular vectors and
 *       QR factors, compared up to the sign of each vector: rel 1e-4 + abs 1e-4 (f32), rel 1e-10 + abs 1e-11 (f64).
 * </ul>
 * Non-finite values (NaN, ±inf) must match exactly in every case.
 */
public abstract class BackendConformance {
    /** The backend under test. */
    protected abstract Backend backend();

    /** Thread counts to run the large cases with; CPU backends honour {@link Parallel#setThreads}. */
    protected int[] threadCounts() {
        return new int[] {1, 2};
    }

    protected static final Backend REF = Backends.reference();

    static Stream<Long> seeds() {
        return IntStream.range(0, 30).mapToObj(i -> 1000L + i);
    }

    // =========================================================================================================
    // Harness
    // =========================================================================================================

    /** The same input on both sides. */
    protected record Pair(Tensor ref, Tensor dev, String desc) {
        Pair map(Function<Tensor, Tensor> f, String what) {
            return new Pair(f.apply(ref), f.apply(dev), desc + "." + what);
        }
    }

    protected Pair pair(Tensor refBase, Layout layout) {
        return new Pair(layout.apply(refBase), layout.apply(refBase.to(backend())),
                refBase.dtype() + Arrays.toString(layout.apply(refBase).shape()) + " as " + layout);
    }

    /** A random input of {@code shape} in a random layout; floats carry special values when asked. */
    protected Pair input(Random r, DType dtype, int[] shape, double[] specials) {
        Layout layout = Cases.layout(r, shape);
        double[] v = Cases.values(r, dtype, Cases.numel(layout.baseShape()));
        if (specials != null && dtype.isFloating()) {
            v = Cases.withSpecials(r, v, 0.15, specials);
        }
        return pair(Cases.fromDoubles(REF, dtype, layout.baseShape(), v), layout);
    }

    protected Pair input(Random r, DType dtype, int[] shape) {
        return input(r, dtype, shape, null);
    }

    /** Runs op on both sides; if the reference rejects the input, the backend must reject it with the same message. */
    protected Tensor[] run(String what, Function<Tensor, Tensor> op, Pair p) {
        Tensor e;
        try {
            e = op.apply(p.ref);
        } catch (IllegalArgumentException refError) {
            IllegalArgumentException devError = assertThrows(IllegalArgumentException.class, () -> op.apply(p.dev),
                    what + " on " + p.desc + ": the reference throws '" + refError.getMessage() + "'");
            assertEquals(refError.getMessage(), devError.getMessage(), what + " on " + p.desc);
            return null;
        }
        Tensor a = op.apply(p.dev);
        assertOn(backend(), a, what + " on " + p.desc);
        return new Tensor[] {e, a};
    }

    protected void checkExact(String what, Function<Tensor, Tensor> op, Pair p) {
        Tensor[] ea = run(what, op, p);
        if (ea != null) {
            assertExact(ea[0], ea[1], what + " on " + p.desc);
        }
    }

    protected void checkClose(String what, Function<Tensor, Tensor> op, Pair p, double rtol, double atol) {
        Tensor[] ea = run(what, op, p);
        if (ea != null) {
            assertClose(ea[0], ea[1], rtol, atol, what + " on " + p.desc);
        }
    }

    /** Accumulations: allowance {@code k · scale(x) + atol} where scale is computed on the reference. */
    protected void checkScaled(String what, Function<Tensor, Tensor> op, Function<Tensor, Tensor> scale, Pair p,
                               double k, double atol) {
        Tensor[] ea = run(what, op, p);
        if (ea != null) {
            assertCloseScaled(ea[0], ea[1], scale.apply(p.ref), k, atol, what + " on " + p.desc);
        }
    }

    static double kSum(DType t) {
        return t == DType.F64 ? 1e-12 : 1e-5;
    }

    static double relTight(DType t) {
        return t == DType.F64 ? 1e-10 : 1e-5;
    }

    static double absTight(DType t) {
        return t == DType.F64 ? 1e-12 : 1e-6;
    }

    static double relLoose(DType t) {
        return t == DType.F64 ? 1e-10 : 1e-4;
    }

    static double absLoose(DType t) {
        return t == DType.F64 ? 1e-12 : 1e-5;
    }

    // =========================================================================================================
    // Storage, copies, casts
    // =========================================================================================================

    @ParameterizedTest
    @MethodSource("seeds")
    void uploadDownloadRoundTripIsExact(long seed) {
        Random r = new Random(seed);
        for (DType t : Cases.ALL_DTYPES) {
            int[] shape = Cases.shape(r);
            Tensor ref = Cases.fromDoubles(REF, t, shape,
                    Cases.withSpecials(r, Cases.values(r, t, Cases.numel(shape)), 0.2));
            Tensor dev = ref.to(backend());
            assertOn(backend(), dev, "to(backend)");
            assertBitwise(ref, dev, "upload " + t + Arrays.toString(shape));
            assertBitwise(ref, dev.to(REF), "download " + t + Arrays.toString(shape));
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void copiesOfViewsAreExact(long seed) {
        Random r = new Random(seed);
        for (DType t : Cases.ALL_DTYPES) {
            Pair p = input(r, t, Cases.shape(r), Cases.SPECIALS);
            checkExact("copy", Tensor::copy, p);
            checkExact("contiguous", Tensor::contiguous, p);
            checkExact("reshape(-1)", x -> x.reshape(-1), p);
            Tensor[] ea = run("copy", Tensor::copy, p);
            assertBitwise(ea[0], ea[1], "copy keeps -0.0 on " + p.desc);
            assertTrue(ea[1].isContiguous(), "copy is contiguous");
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void castsMatchTheReference(long seed) {
        Random r = new Random(seed);
        for (DType from : Cases.ALL_DTYPES) {
            // Values with fractions and signs; no NaN/inf, whose integer conversion is left undefined.
            Pair p = input(r, from, Cases.shape(r, 3), new double[] {-0.0, 0.5, -0.5, 2.75, -2.75, 1e6});
            for (DType to : Cases.ALL_DTYPES) {
                checkExact("to(" + to + ")", x -> x.to(to), p);
            }
        }
        // Float to float keeps NaN, infinities and signed zeros.
        for (DType from : Cases.FLOAT_DTYPES) {
            Pair p = input(r, from, Cases.shape(r, 3), Cases.SPECIALS);
            for (DType to : Cases.FLOAT_DTYPES) {
                Tensor[] ea = run("to(" + to + ")", x -> x.to(to), p);
                assertBitwise(ea[0], ea[1], "to(" + to + ") on " + p.desc);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void fillAndCopyFromWriteOnlyTheViewedElements(long seed) {
        Random r = new Random(seed);
        for (DType t : Cases.ALL_DTYPES) {
            int[] shape = Cases.shape(r, 3);
            Layout layout = r.nextBoolean() ? Cases.transposed(r, shape) : Cases.stepped(r, shape);
            Tensor baseRef = Cases.random(r, t, layout.baseShape());
            Tensor baseDev = baseRef.to(backend());
            double value = r.nextBoolean() ? -3.0 : 1.0;
            layout.apply(baseRef).fill(value);
            layout.apply(baseDev).fill(value);
            assertExact(baseRef, baseDev, "fill(" + value + ") through " + layout);

            int[] srcShape = Cases.broadcastPartner(r, shape);
            DType srcType = Cases.ALL_DTYPES[r.nextInt(Cases.ALL_DTYPES.length)];
            Tensor src = Cases.random(r, srcType, srcShape);
            layout.apply(baseRef).copyFrom(src);
            layout.apply(baseDev).copyFrom(src.to(backend()));
            assertExact(baseRef, baseDev, "copyFrom(" + srcType + Arrays.toString(srcShape) + ") through " + layout);
        }
    }

    // =========================================================================================================
    // Elementwise
    // =========================================================================================================

    /** How closely a backend must match the reference on an elementwise op (see the class comment). */
    protected enum Tolerance { BITWISE, DIVISION, TRANSCENDENTAL, COMPARISON }

    /**
     * Every op is tested (the suite loops over {@code values()}); a new op is held to bitwise equality, which a
     * backend computing it from the reference definition (the scalar path) meets. A backend that approximates it
     * (a vector kernel) fails here until the op is given a looser class below.
     */
    static Tolerance unaryTolerance(UnaryOp op) {
        return switch (op) {
            case RECIPROCAL -> Tolerance.DIVISION;
            case EXP, LOG, LOG1P, SQRT, RSQRT, SIN, COS, TANH, SIGMOID, ERF, GELU, SILU, SOFTPLUS ->
                    Tolerance.TRANSCENDENTAL;
            default -> Tolerance.BITWISE;
        };
    }

    static Tolerance binaryTolerance(BinaryOp op) {
        return switch (op) {
            case DIV -> Tolerance.DIVISION;
            case POW -> Tolerance.TRANSCENDENTAL;
            case EQ, NE, LT, LE, GT, GE -> Tolerance.COMPARISON;
            default -> Tolerance.BITWISE;
        };
    }

    /** Compares a backend's result with the reference's in the op's tolerance class, on floating-point type t. */
    static void assertTolerance(Tolerance tol, Tensor expected, Tensor actual, DType t, String what) {
        switch (tol) {
            case BITWISE -> assertBitwise(expected, actual, what);
            case COMPARISON -> assertExact(expected, actual, what);
            case DIVISION -> assertClose(expected, actual, t == DType.F64 ? 1e-15 : 1e-6, 0, what);
            case TRANSCENDENTAL -> assertClose(expected, actual, relTight(t), absTight(t), what);
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void unaryOpsOnFloats(long seed) {
        Random r = new Random(seed);
        for (DType t : Cases.FLOAT_DTYPES) {
            Pair p = input(r, t, Cases.shape(r), Cases.SPECIALS);
            for (UnaryOp op : UnaryOp.values()) {
                Tensor[] ea = run(op.name(), x -> x.map(op), p);
                assertTolerance(unaryTolerance(op), ea[0], ea[1], t, op + " on " + p.desc);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void unaryOpsOnIntegersAndBools(long seed) {
        Random r = new Random(seed);
        for (DType t : new DType[] {DType.I32, DType.I64, DType.BOOL}) {
            Pair p = input(r, t, Cases.shape(r));
            for (UnaryOp op : UnaryOp.values()) {
                // Integer results are exact; float functions of integers give f32.
                Tensor[] ea = run(op.name(), x -> x.map(op), p);
                assertEquals(op.acceptsIntegers() ? (t == DType.BOOL ? DType.I64 : t) : DType.F32, ea[0].dtype(),
                        op + " on " + p.desc);
                assertTolerance(op.acceptsIntegers() ? Tolerance.BITWISE : unaryTolerance(op), ea[0], ea[1],
                        DType.F32, op + " on " + p.desc);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void binaryOpsBroadcastOnEveryDtype(long seed) {
        Random r = new Random(seed);
        for (DType t : Cases.ALL_DTYPES) {
            int[] sa = Cases.shape(r);
            int[] sb = Cases.broadcastPartner(r, sa);
            boolean swap = r.nextBoolean();
            Pair a = input(r, t, swap ? sb : sa, Cases.SPECIALS);
            Pair b = input(r, t, swap ? sa : sb, Cases.SPECIALS);
            for (BinaryOp op : BinaryOp.values()) {
                Pair rhs = op == BinaryOp.POW && !t.isFloating() ? b.map(Tensor::abs, "abs") : b;
                DType outType = op == BinaryOp.DIV ? t.toFloating() : t;
                String what = op + " on " + a.desc + " and " + rhs.desc;
                if (op.isIntegerDivision() && !t.isFloating()) {
                    // Zero divisors (integers in [-9, 9] have some) are refused alike; then without them.
                    binaryOrSameError(op, a, rhs, what);
                    rhs = rhs.map(x -> Tensor.where(x.eq(0), Tensor.onesLike(x), x), "zeros to 1");
                }
                Tensor e = a.ref.zipWith(op, rhs.ref);
                Tensor d = a.dev.zipWith(op, rhs.dev);
                assertOn(backend(), d, what);
                assertTolerance(binaryTolerance(op), e, d, outType, what);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void binaryOpsPromoteMixedDtypes(long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < 6; i++) {
            DType ta = Cases.ALL_DTYPES[r.nextInt(5)];
            DType tb = Cases.ALL_DTYPES[r.nextInt(5)];
            int[] sa = Cases.shape(r, 3);
            Pair a = input(r, ta, sa);
            Pair b = input(r, tb, Cases.broadcastPartner(r, sa));
            BinaryOp op = BinaryOp.values()[r.nextInt(BinaryOp.values().length)];
            if (op == BinaryOp.POW) {
                b = b.map(Tensor::abs, "abs");
            }
            Tensor[] ed = binaryOrSameError(op, a, b, op + " on " + a.desc + " and " + b.desc);
            if (ed != null) {
                assertClose(ed[0], ed[1], 1e-5, 1e-6, op + " on " + a.desc + " and " + b.desc);
            }
        }
    }

    /** {@code a op b} on both sides, or null when the reference refuses it and the backend refuses it alike. */
    protected Tensor[] binaryOrSameError(BinaryOp op, Pair a, Pair b, String what) {
        Tensor e;
        try {
            e = a.ref.zipWith(op, b.ref);
        } catch (IllegalArgumentException refError) {
            IllegalArgumentException devError = assertThrows(IllegalArgumentException.class,
                    () -> a.dev.zipWith(op, b.dev), what + ": the reference throws '" + refError.getMessage() + "'");
            assertEquals(refError.getMessage(), devError.getMessage(), what);
            return null;
        }
        Tensor d = a.dev.zipWith(op, b.dev);
        assertOn(backend(), d, what);
        return new Tensor[] {e, d};
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void scalarOperands(long seed) {
        Random r = new Random(seed);
        double[] scalars = {2.0, -3.0, 0.5, -0.0, 0.0, Double.NaN, Double.POSITIVE_INFINITY};
        for (DType t : Cases.ALL_DTYPES) {
            Pair p = input(r, t, Cases.shape(r, 3), Cases.NONFINITE);
            double s = scalars[r.nextInt(scalars.length)];
            checkExact("add(" + s + ")", x -> x.add(s), p);
            checkExact("sub(" + s + ")", x -> x.sub(s), p);
            checkExact("mul(" + s + ")", x -> x.mul(s), p);
            checkClose("div(" + s + ")", x -> x.div(s), p, 1e-6, 0);
            checkExact("maximum(" + s + ")", x -> x.maximum(s), p);
            checkExact("lt(" + s + ")", x -> x.lt(s), p);
            checkExact("eq(" + s + ")", x -> x.eq(s), p);
            checkClose("pow(2)", x -> x.pow(2), p, 1e-6, 0);
            // Integer tensors by a whole 0 (or -0.0) are refused alike; NaN and inf divisors make f32.
            checkBitwise("remainder(" + s + ")", x -> x.remainder(s), p);
            checkBitwise("fmod(" + s + ")", x -> x.fmod(s), p);
        }
    }

    protected void checkBitwise(String what, Function<Tensor, Tensor> op, Pair p) {
        Tensor[] ea = run(what, op, p);
        if (ea != null) {
            assertBitwise(ea[0], ea[1], what + " on " + p.desc);
        }
    }

    /** The composites of package A on every dtype with special values: masks of NaN/inf, their replacement, and
     *  any/all over random axes (empty slices included). */
    @ParameterizedTest
    @MethodSource("seeds")
    void specialValueMasksAndTruthReductions(long seed) {
        Random r = new Random(seed);
        for (DType t : Cases.ALL_DTYPES) {
            Pair p = input(r, t, Cases.shape(r), Cases.SPECIALS);
            checkExact("isnan", Tensor::isnan, p);
            checkExact("isinf", Tensor::isinf, p);
            checkExact("isfinite", Tensor::isfinite, p);
            checkBitwise("nanToNum()", Tensor::nanToNum, p);
            checkBitwise("nanToNum(1, 2, -3)", x -> x.nanToNum(1.5, 2, -3), p);
            checkExact("any()", Tensor::any, p);
            checkExact("all()", Tensor::all, p);
            int[] axes = Cases.axes(r, p.ref.dim());
            boolean keep = r.nextBoolean();
            checkExact("any(" + Arrays.toString(axes) + ", " + keep + ")", x -> x.any(axes, keep), p);
            checkExact("all(" + Arrays.toString(axes) + ", " + keep + ")", x -> x.all(axes, keep), p);
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void whereClampAndMaskedFill(long seed) {
        Random r = new Random(seed);
        for (DType t : Cases.ALL_DTYPES) {
            int[] s = Cases.shape(r);
            Pair cond = input(r, DType.BOOL, Cases.broadcastPartner(r, s));
            Pair a = input(r, t, s, Cases.SPECIALS);
            Pair b = input(r, t, Cases.broadcastPartner(r, s), Cases.SPECIALS);
            Tensor e = Tensor.where(cond.ref, a.ref, b.ref);
            Tensor d = Tensor.where(cond.dev, a.dev, b.dev);
            assertOn(backend(), d, "where");
            assertBitwise(e, d, "where(" + cond.desc + ", " + a.desc + ", " + b.desc + ")");
            double lo = -1.5;
            double hi = r.nextBoolean() ? 2.0 : 2.5;
            checkExact("clamp(" + lo + ", " + hi + ")", x -> x.clamp(lo, hi), a);
            double fillValue = t.isFloating() && r.nextBoolean() ? Double.NEGATIVE_INFINITY : 7;
            Tensor em = a.ref.maskedFill(cond.ref, fillValue);
            Tensor dm = a.dev.maskedFill(cond.dev, fillValue);
            assertBitwise(em, dm, "maskedFill on " + a.desc + " mask " + cond.desc);
        }
    }

    // =========================================================================================================
    // Reductions
    // =========================================================================================================

    @ParameterizedTest
    @MethodSource("seeds")
    void sumProdMaxMinOverRandomAxes(long seed) {
        Random r = new Random(seed);
        for (DType t : Cases.ALL_DTYPES) {
            int[] s = Cases.shape(r);
            int[] axes = Cases.axes(r, s.length);
            boolean keep = r.nextBoolean();
            String ax = Arrays.toString(axes) + (keep ? " keepdim" : "");
            Pair p = input(r, t, s, Cases.NONFINITE);
            if (t.isFloating()) {
                checkScaled("sum" + ax, x -> x.sum(axes, keep), x -> x.abs().sum(axes, keep), p, kSum(t),
                        absTight(t));
                checkScaled("mean" + ax, x -> x.mean(axes, keep), x -> x.abs().mean(axes, keep), p, kSum(t),
                        absTight(t));
            } else {
                checkExact("sum" + ax, x -> x.sum(axes, keep), p);
            }
            checkExact("amax" + ax, x -> x.amax(axes, keep), p);
            checkExact("amin" + ax, x -> x.amin(axes, keep), p);
            checkExact("max()", Tensor::max, p);
            // Factors near 1 so products stay finite in f32 whatever the order.
            Layout layout = Cases.layout(r, s);
            double[] v = new double[Cases.numel(layout.baseShape())];
            for (int i = 0; i < v.length; i++) {
                v[i] = t.isFloating() ? 0.7 + 0.6 * r.nextDouble() : r.nextInt(5) - 2;
            }
            if (t.isFloating()) {
                v = Cases.withSpecials(r, v, 0.05, Cases.NONFINITE);
            }
            Pair q = pair(Cases.fromDoubles(REF, t, layout.baseShape(), v), layout);
            checkClose("prod" + ax, x -> x.prod(axes, keep), q, t.isFloating() ? relLoose(t) : 0, 0);
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void varStdLogsumexpNorm(long seed) {
        Random r = new Random(seed);
        for (DType t : Cases.FLOAT_DTYPES) {
            int[] s = Cases.shape(r);
            int[] axes = Cases.axes(r, s.length);
            boolean keep = r.nextBoolean();
            int correction = r.nextInt(2);
            String ax = Arrays.toString(axes) + (keep ? " keepdim" : "");
            Pair p = input(r, t, s, r.nextBoolean() ? Cases.NONFINITE : null);
            checkClose("var" + ax + " c=" + correction, x -> x.var(axes, correction, keep), p, relLoose(t),
                    absLoose(t));
            checkClose("std" + ax, x -> x.std(axes, correction, keep), p, relLoose(t), absLoose(t));
            checkClose("logsumexp" + ax, x -> x.logsumexp(axes, keep), p, relLoose(t), absLoose(t));
            checkScaled("norm(2)" + ax, x -> x.norm(2, axes, keep), x -> x.norm(2, axes, keep), p, kSum(t),
                    absTight(t));
            checkScaled("norm(1)" + ax, x -> x.norm(1, axes, keep), x -> x.norm(1, axes, keep), p, kSum(t),
                    absTight(t));
            checkExact("norm(inf)" + ax, x -> x.norm(Double.POSITIVE_INFINITY, axes, keep), p);
            checkClose("norm(3)" + ax, x -> x.norm(3, axes, keep), p, relLoose(t), absLoose(t));
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void argMaxMinWithTiesAndNaN(long seed) {
        Random r = new Random(seed);
        for (DType t : Cases.ALL_DTYPES) {
            int[] s = Cases.shape(r);
            if (s.length == 0) {
                s = new int[] {Cases.dim(r)};
            }
            int axis = r.nextInt(s.length) - (r.nextBoolean() ? s.length : 0);
            boolean keep = r.nextBoolean();
            // Few distinct values, so ties are common; NaN sometimes.
            Layout layout = Cases.layout(r, s);
            double[] v = new double[Cases.numel(layout.baseShape())];
            for (int i = 0; i < v.length; i++) {
                v[i] = t == DType.BOOL ? r.nextInt(2) : r.nextInt(4) - 1;
                if (t.isFloating() && r.nextInt(12) == 0) {
                    v[i] = Cases.NONFINITE[r.nextInt(Cases.NONFINITE.length)];
                }
            }
            Pair p = pair(Cases.fromDoubles(REF, t, layout.baseShape(), v), layout);
            String ax = "(" + axis + (keep ? ", keepdim)" : ")");
            checkExact("max" + ax + ".values", x -> x.max(axis, keep).values(), p);
            checkExact("max" + ax + ".indices", x -> x.max(axis, keep).indices(), p);
            checkExact("min" + ax + ".values", x -> x.min(axis, keep).values(), p);
            checkExact("min" + ax + ".indices", x -> x.min(axis, keep).indices(), p);
            checkExact("argmax" + ax, x -> x.argmax(axis, keep), p);
            checkExact("argmin()", Tensor::argmin, p);
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void softmaxAndLogSoftmax(long seed) {
        Random r = new Random(seed);
        for (DType t : Cases.FLOAT_DTYPES) {
            int[] s = Cases.shape(r);
            int axis = s.length == 0 ? 0 : r.nextInt(s.length);
            Pair p = input(r, t, s, r.nextBoolean() ? Cases.NONFINITE : null);
            checkClose("softmax(" + axis + ")", x -> x.softmax(axis), p, relLoose(t), absTight(t));
            checkClose("logSoftmax(" + axis + ")", x -> x.logSoftmax(axis), p, relLoose(t), absLoose(t));
            // Large logits: stable kernels give finite results.
            Pair big = p.map(x -> x.mul(50.0), "mul(50)");
            checkClose("softmax(" + axis + ") of large logits", x -> x.softmax(axis), big, relLoose(t), absTight(t));
        }
    }

    // =========================================================================================================
    // Indexing
    // =========================================================================================================

    @ParameterizedTest
    @MethodSource("seeds")
    void indexSelectGatherScatter(long seed) {
        Random r = new Random(seed);
        for (DType t : Cases.ALL_DTYPES) {
            int[] s = Cases.nonEmptyShape(r, 4);
            if (s.length == 0) {
                s = new int[] {1 + r.nextInt(5)};
            }
            int axis = r.nextInt(s.length);
            int n = s[axis];
            Pair x = input(r, t, s, Cases.SPECIALS);
            DType it = r.nextBoolean() ? DType.I64 : DType.I32;

            int k = r.nextInt(6);
            double[] sel = new double[k];
            for (int i = 0; i < k; i++) {
                sel[i] = r.nextInt(n);
            }
            Tensor selIdx = Cases.fromDoubles(REF, it, new int[] {k}, sel);
            Tensor selIdxDev = selIdx.to(backend());
            assertBitwise(x.ref.indexSelect(axis, selIdx), x.dev.indexSelect(axis, selIdxDev),
                    "indexSelect(" + axis + ", " + Arrays.toString(sel) + ") on " + x.desc);

            // gather: index no larger than x off the axis, any size along it.
            int[] is = s.clone();
            for (int d = 0; d < is.length; d++) {
                is[d] = d == axis ? r.nextInt(5) : 1 + r.nextInt(s[d]);
            }
            Layout il = Cases.layout(r, is);
            double[] gi = new double[Cases.numel(il.baseShape())];
            for (int i = 0; i < gi.length; i++) {
                gi[i] = r.nextInt(n);
            }
            Tensor gIdx = il.apply(Cases.fromDoubles(REF, it, il.baseShape(), gi)); // possibly a strided view
            Tensor gIdxDev = gIdx.to(backend());
            assertBitwise(x.ref.gather(axis, gIdx), x.dev.gather(axis, gIdxDev),
                    "gather(" + axis + ", index " + Arrays.toString(is) + ") on " + x.desc);

            // scatterAdd with repeated indices (integers exact; floats order-dependent, so scaled).
            Pair src = input(r, t, is, null);
            Tensor eAdd = x.ref.scatterAdd(axis, gIdx, src.ref);
            Tensor dAdd = x.dev.scatterAdd(axis, gIdxDev, src.dev);
            if (t.isFloating()) {
                assertCloseScaled(eAdd, dAdd, x.ref.abs().scatterAdd(axis, gIdx, src.ref.abs()), kSum(t),
                        absTight(t), "scatterAdd on " + x.desc);
            } else {
                assertExact(eAdd, dAdd, "scatterAdd on " + x.desc);
            }

            // scatter without repeats along the axis (repeats leave the winner unspecified).
            int[] us = is.clone();
            us[axis] = r.nextInt(n + 1);
            double[] ui = new double[Cases.numel(us)];
            int lines = us[axis] == 0 ? 0 : ui.length / us[axis];
            int inner = 1;
            for (int d = axis + 1; d < us.length; d++) {
                inner *= us[d];
            }
            for (int line = 0; line < lines; line++) {
                int[] perm = Cases.permutation(r, n);
                int outer = line / inner;
                int in = line % inner;
                for (int j = 0; j < us[axis]; j++) {
                    ui[(outer * us[axis] + j) * inner + in] = perm[j];
                }
            }
            Tensor uIdx = Cases.fromDoubles(REF, it, us, ui);
            Pair usrc = input(r, t, us, Cases.SPECIALS);
            assertBitwise(x.ref.scatter(axis, uIdx, usrc.ref), x.dev.scatter(axis, uIdx.to(backend()), usrc.dev),
                    "scatter(" + axis + ", index " + Arrays.toString(us) + ") on " + x.desc);
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void oneHotEmbeddingMaskedFill(long seed) {
        Random r = new Random(seed);
        int classes = 1 + r.nextInt(6);
        int[] ls = Cases.shape(r, 3);
        DType it = r.nextBoolean() ? DType.I64 : DType.I32;
        Layout layout = Cases.layout(r, ls);
        double[] bv = new double[Cases.numel(layout.baseShape())];
        for (int i = 0; i < bv.length; i++) {
            bv[i] = r.nextInt(classes);
        }
        Pair labels = pair(Cases.fromDoubles(REF, it, layout.baseShape(), bv), layout);
        checkExact("oneHot(" + classes + ")", x -> x.oneHot(classes), labels);

        for (DType t : Cases.FLOAT_DTYPES) {
            Pair weight = input(r, t, new int[] {classes, Cases.dim(r)}, Cases.SPECIALS);
            Tensor e = Tensor.embedding(weight.ref, labels.ref);
            Tensor d = Tensor.embedding(weight.dev, labels.dev);
            assertOn(backend(), d, "embedding");
            assertBitwise(e, d, "embedding(" + weight.desc + ", " + labels.desc + ")");
        }
    }

    // =========================================================================================================
    // Matmul
    // =========================================================================================================

    /** A random operand of the given logical shape, stored transposed (last two axes) half of the time. */
    Pair matOperand(Random r, DType t, int[] shape) {
        if (shape.length >= 2 && r.nextBoolean()) {
            int[] st = shape.clone();
            st[st.length - 1] = shape[shape.length - 2];
            st[st.length - 2] = shape[shape.length - 1];
            Pair p = input(r, t, st);
            return p.map(Tensor::mT, "mT");
        }
        return input(r, t, shape);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void matmulAllRanksBroadcastAndTransposed(long seed) {
        Random r = new Random(seed);
        for (DType t : Cases.FLOAT_DTYPES) {
            int m = Cases.dim(r) + r.nextInt(20);
            int k = Cases.dim(r) + r.nextInt(20);
            int n = Cases.dim(r) + r.nextInt(20);
            int ra = 1 + r.nextInt(4);
            int rb = 1 + r.nextInt(4);
            int[] batch = Cases.shape(r, 2);
            int[] sa = matShape(r, ra, batch, m, k, true);
            int[] sb = matShape(r, rb, batch, k, n, false);
            Pair a = matOperand(r, t, sa);
            Pair b = matOperand(r, t, sb);
            Tensor e = a.ref.matmul(b.ref);
            Tensor d = a.dev.matmul(b.dev);
            assertOn(backend(), d, "matmul");
            assertCloseScaled(e, d, a.ref.abs().matmul(b.ref.abs()), kSum(t), absTight(t),
                    "matmul " + a.desc + " @ " + b.desc);
        }
    }

    /** A matmul operand shape: 1-D, 2-D, or batched with a broadcast-compatible tail of {@code batch}. */
    static int[] matShape(Random r, int rank, int[] batch, int rows, int cols, boolean left) {
        if (rank == 1) {
            return new int[] {left ? cols : rows};
        }
        int[] b = Cases.broadcastPartner(r, batch);
        b = Arrays.copyOfRange(b, Math.max(0, b.length - (rank - 2)), b.length);
        int[] s = Arrays.copyOf(b, b.length + 2);
        s[b.length] = rows;
        s[b.length + 1] = cols;
        return s;
    }

    // =========================================================================================================
    // Decompositions and solvers
    // =========================================================================================================

    /** Normal values for a batch of matrices, as doubles: {@code count} matrices of {@code rows × cols}. */
    private static double[] normals(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }

    /** Random matrices plus n·I, some rows negated (either sign of det): well conditioned. */
    private static double[] wellConditioned(Random r, int count, int n) {
        double[] v = normals(r, count * n * n);
        for (int b = 0; b < count; b++) {
            for (int i = 0; i < n; i++) {
                v[(b * n + i) * n + i] += n;
                if (r.nextInt(3) == 0) {
                    for (int j = 0; j < n; j++) {
                        v[(b * n + i) * n + j] = -v[(b * n + i) * n + j];
                    }
                }
            }
        }
        return v;
    }

    /** M·Mᵀ + n·I for random M, exactly symmetric. */
    private static double[] positiveDefinite(Random r, int count, int n) {
        double[] m = normals(r, count * n * n);
        double[] v = new double[m.length];
        for (int b = 0; b < count; b++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    double s = i == j ? n : 0;
                    for (int k = 0; k < n; k++) {
                        s += m[(b * n + i) * n + k] * m[(b * n + j) * n + k];
                    }
                    v[(b * n + i) * n + j] = s;
                    v[(b * n + j) * n + i] = s;
                }
            }
        }
        return v;
    }

    private static int[] matrixShape(int[] batch, int rows, int cols) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = rows;
        s[batch.length + 1] = cols;
        return s;
    }

    /**
     * The matrices {@code values} (shape {@code [..., m, n]}) on both sides, seen through a random layout whose view
     * holds exactly these values: contiguous, transposed (the base holds the transposes), every other column of a
     * wider base, or (the first matrix) expanded over the batch.
     */
    protected Pair matrices(Random r, DType t, int[] shape, double[] values) {
        return matrices(r, t, shape, values, true);
    }

    /** As above; without the expanded layout when {@code expandable} is false (the view holds all the values). */
    protected Pair matrices(Random r, DType t, int[] shape, double[] values, boolean expandable) {
        int rank = shape.length;
        Tensor v = Cases.fromDoubles(REF, t, shape, values);
        switch (r.nextInt(expandable ? 4 : 3)) {
            case 1 -> {
                Tensor base = v.mT().contiguous();
                return pair(base, new Layout("mT", base.shape(), Tensor::mT));
            }
            case 2 -> {
                int[] bs = shape.clone();
                bs[rank - 1] = 2 * shape[rank - 1] + 1;
                Tensor base = Tensor.empty(REF, t, bs);
                base.slice(-1, 1, bs[rank - 1], 2).copyFrom(v);
                return pair(base, new Layout("columns 1::2", bs, x -> x.slice(-1, 1, bs[rank - 1], 2)));
            }
            case 3 -> {
                if (rank > 2 && shape[0] > 0) {
                    Tensor base = v.narrow(0, 0, 1).contiguous();
                    return pair(base, new Layout("expand", base.shape(), x -> x.expand(shape)));
                }
                return pair(v, Cases.contiguous(shape));
            }
            default -> {
                return pair(v, Cases.contiguous(shape));
            }
        }
    }

    /** Vectors (the columns of {@code expected} and {@code actual}, compared on the reference in f64) are unique only
     *  up to sign: the signs ({@code [..., 1, k]}) that align the backend's columns with the reference's. */
    private static Tensor alignment(Tensor expected, Tensor actual) {
        Tensor dot = expected.to(DType.F64).mul(actual.to(REF).to(DType.F64)).sum(new int[] {-2}, true);
        return dot.ge(0.0).to(DType.F64).mul(2).sub(1);
    }

    private void assertCloseAligned(Tensor expected, Tensor actual, Tensor signs, double rtol, double atol,
                                    String what) {
        assertOn(backend(), actual, what);
        assertClose(expected.to(DType.F64), actual.to(REF).to(DType.F64).mul(signs), rtol, atol, what);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void inverseSolveAndDeterminants(long seed) {
        Random r = new Random(seed);
        for (DType t : Cases.FLOAT_DTYPES) {
            int n = Cases.dim(r);
            int[] batch = Cases.shape(r, 2);
            int count = Cases.numel(batch);
            int[] shape = matrixShape(batch, n, n);
            Pair a = matrices(r, t, shape, wellConditioned(r, count, n));
            checkClose("inverse", Tensor::inverse, a, relLoose(t), absLoose(t));
            checkClose("det", Tensor::det, a, relLoose(t), absLoose(t));
            checkExact("slogdet sign", x -> x.slogdet().sign(), a);
            checkClose("slogdet logAbsDet", x -> x.slogdet().logAbsDet(), a, relLoose(t), absLoose(t));
            int[] bBatch = Cases.broadcastPartner(r, batch);
            int k = Cases.dim(r);
            int[] bShape = matrixShape(bBatch, n, k);
            Pair b = matrices(r, t, bShape, normals(r, Cases.numel(bShape)));
            checkClose("solve with B " + Arrays.toString(bShape), x -> Tensor.solve(x, side(b, x)), a, relLoose(t),
                    absLoose(t));
            Pair bv = input(r, t, Arrays.copyOf(shape, shape.length - 1));
            checkClose("solve with vectors", x -> Tensor.solve(x, side(bv, x)), a, relLoose(t), absLoose(t));
            if (n > 0 && count > 0) {
                // One singular matrix in the batch: both backends refuse it with the same message.
                double[] v = wellConditioned(r, count, n);
                int bad = r.nextInt(count);
                int row = r.nextInt(n);
                // A zero row: some pivot of any LU factorisation with partial pivoting is exactly zero.
                Arrays.fill(v, (bad * n + row) * n, (bad * n + row + 1) * n, 0.0);
                Pair s = matrices(r, t, shape, v, false);
                assertThrows(IllegalArgumentException.class, s.ref::inverse, "reference accepts a singular matrix");
                checkClose("inverse of singular", Tensor::inverse, s, 0, 0);
                checkClose("solve with singular", x -> Tensor.solve(x, side(bv, x)), s, 0, 0);
                checkExact("slogdet sign of singular", x -> x.slogdet().sign(), s);
                checkClose("det of singular", Tensor::det, s, relLoose(t), absLoose(t));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void choleskyAndEigh(long seed) {
        Random r = new Random(seed);
        for (DType t : Cases.FLOAT_DTYPES) {
            int n = Cases.dim(r);
            int[] batch = Cases.shape(r, 2);
            int count = Cases.numel(batch);
            int[] shape = matrixShape(batch, n, n);
            double[] spd = positiveDefinite(r, count, n);
            Pair a = matrices(r, t, shape, spd);
            checkClose("cholesky", Tensor::cholesky, a, relLoose(t), absLoose(t));
            checkClose("eigenvalues", x -> x.eigh().eigenvalues(), a, relLoose(t), absLoose(t));
            // Symmetric, indefinite, with distinct eigenvalues (almost surely), so eigenvectors are unique up to sign.
            double[] sym = normals(r, count * n * n);
            for (int b = 0; b < count; b++) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < i; j++) {
                        sym[(b * n + j) * n + i] = sym[(b * n + i) * n + j];
                    }
                }
            }
            Pair s = matrices(r, t, shape, sym);
            Linalg.Eigh e = s.ref.eigh();
            Linalg.Eigh d = s.dev.eigh();
            assertCloseAligned(e.eigenvalues(), d.eigenvalues(), Tensor.ones(DType.F64).to(REF), relLoose(t),
                    absLoose(t), "eigenvalues on " + s.desc);
            assertCloseAligned(e.eigenvectors(), d.eigenvectors(), alignment(e.eigenvectors(), d.eigenvectors()),
                    relLoose(t), 10 * absLoose(t), "eigenvectors on " + s.desc);
            if (n > 0 && count > 0) {
                // Not positive-definite: both backends refuse it with the same message.
                for (int i = 0; i < spd.length; i++) {
                    spd[i] = -spd[i];
                }
                Pair neg = matrices(r, t, shape, spd);
                assertThrows(IllegalArgumentException.class, neg.ref::cholesky, "reference accepts -A");
                checkClose("cholesky of negative definite", Tensor::cholesky, neg, 0, 0);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void qrAndSvd(long seed) {
        Random r = new Random(seed);
        for (DType t : Cases.FLOAT_DTYPES) {
            int m = Cases.dim(r);
            int n = Cases.dim(r);
            int[] batch = Cases.shape(r, 2);
            int[] shape = matrixShape(batch, m, n);
            Pair a = matrices(r, t, shape, normals(r, Cases.numel(shape)));
            Linalg.Qr eq = a.ref.qr();
            Linalg.Qr dq = a.dev.qr();
            Tensor qs = alignment(eq.q(), dq.q());
            assertCloseAligned(eq.q(), dq.q(), qs, relLoose(t), 10 * absLoose(t), "qr Q on " + a.desc);
            assertCloseAligned(eq.r(), dq.r(), qs.mT(), relLoose(t), 10 * absLoose(t), "qr R on " + a.desc);
            Linalg.Svd es = a.ref.svd();
            Linalg.Svd ds = a.dev.svd();
            assertCloseAligned(es.s(), ds.s(), Tensor.ones(DType.F64).to(REF), relLoose(t), absLoose(t),
                    "singular values on " + a.desc);
            Tensor us = alignment(es.u(), ds.u());
            assertCloseAligned(es.u(), ds.u(), us, relLoose(t), 10 * absLoose(t), "svd U on " + a.desc);
            assertCloseAligned(es.vh(), ds.vh(), us.mT(), relLoose(t), 10 * absLoose(t), "svd Vh on " + a.desc);
        }
    }

    // =========================================================================================================
    // Joining
    // =========================================================================================================

    @ParameterizedTest
    @MethodSource("seeds")
    void catStackSplit(long seed) {
        Random r = new Random(seed);
        for (DType t : Cases.ALL_DTYPES) {
            int[] s = Cases.shape(r, 3);
            if (s.length == 0) {
                s = new int[] {Cases.dim(r)};
            }
            int axis = r.nextInt(s.length);
            List<Tensor> refs = new ArrayList<>();
            List<Tensor> devs = new ArrayList<>();
            for (int i = 0; i < 1 + r.nextInt(3); i++) {
                int[] si = s.clone();
                si[axis] = Cases.dim(r);
                Pair p = input(r, t, si, Cases.SPECIALS);
                refs.add(p.ref);
                devs.add(p.dev);
            }
            Tensor e = Tensor.cat(axis, refs);
            Tensor d = Tensor.cat(axis, devs);
            assertOn(backend(), d, "cat");
            assertBitwise(e, d, "cat(" + axis + ") of " + refs.size() + " " + t);
            List<Tensor> sameRefs = new ArrayList<>();
            List<Tensor> sameDevs = new ArrayList<>();
            for (int i = 0; i < refs.size(); i++) {
                sameRefs.add(refs.get(0));
                sameDevs.add(devs.get(0));
            }
            assertBitwise(Tensor.stack(axis, sameRefs), Tensor.stack(axis, sameDevs), "stack(" + axis + ")");
            int chunks = 1 + r.nextInt(3);
            List<Tensor> pe = e.chunk(chunks, axis);
            List<Tensor> pd = d.chunk(chunks, axis);
            assertEquals(pe.size(), pd.size(), "chunk count");
            for (int i = 0; i < pe.size(); i++) {
                assertBitwise(pe.get(i).contiguous(), pd.get(i).contiguous(), "chunk " + i);
            }
        }
    }

    // =========================================================================================================
    // Sorting, scans, scatter reductions
    // =========================================================================================================

    @ParameterizedTest
    @MethodSource("seeds")
    void argsortSortAndTopkWithTiesAndNaN(long seed) {
        Random r = new Random(seed);
        for (DType t : Cases.ALL_DTYPES) {
            int[] s = Cases.shape(r);
            if (s.length > 0 && r.nextInt(3) == 0) {
                s[r.nextInt(s.length)] = 17 + r.nextInt(60); // rows longer than the small-run sort
            }
            int rank = Math.max(1, s.length);
            int axis = r.nextInt(rank) - (r.nextBoolean() ? rank : 0);
            boolean desc = r.nextBoolean();
            // Few distinct values, so ties are common; NaN, infinities and -0.0 sometimes.
            Layout layout = Cases.layout(r, s);
            double[] v = new double[Cases.numel(layout.baseShape())];
            for (int i = 0; i < v.length; i++) {
                v[i] = t == DType.BOOL ? r.nextInt(2) : r.nextInt(5) - 2;
                if (t.isFloating() && r.nextInt(10) == 0) {
                    v[i] = Cases.SPECIALS[r.nextInt(Cases.SPECIALS.length)];
                }
            }
            Pair p = pair(Cases.fromDoubles(REF, t, layout.baseShape(), v), layout);
            String ax = "(" + axis + (desc ? ", descending)" : ")");
            checkExact("argsort" + ax, x -> x.argsort(axis, desc), p);
            checkExact("sort" + ax + ".values", x -> x.sort(axis, desc).values(), p);
            int n = s.length == 0 ? 1 : s[(axis + rank) % rank];
            int k = r.nextInt(n + 1);
            checkExact("topk(" + k + ")" + ax + ".indices", x -> x.topk(k, axis, !desc, true).indices(), p);
            checkExact("topk(" + k + ")" + ax + ".values", x -> x.topk(k, axis, !desc, true).values(), p);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void argsortOfLargeInputsAcrossTheThreadingThreshold(int which) {
        int threads = threadCounts()[Math.min(which, threadCounts().length - 1)];
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            Random r = new Random(91 + which);
            String tag = " with " + threads + " thread(s)";
            // Rows of 301 (or 40 along axis 0) cost enough that 40 (or 301) of them are split between threads.
            int[] s = {40, 301};
            for (DType t : new DType[] {DType.F32, DType.F64, DType.I64, DType.I32}) {
                double[] v = new double[Cases.numel(s)];
                for (int i = 0; i < v.length; i++) {
                    v[i] = r.nextInt(100) - 50;
                }
                if (t.isFloating()) {
                    v = Cases.withSpecials(r, v, 0.01, Cases.SPECIALS);
                }
                Pair x = pair(Cases.fromDoubles(REF, t, s, v), Cases.contiguous(s));
                for (int axis : new int[] {0, 1}) {
                    checkExact(t + " argsort(" + axis + ")" + tag, u -> u.argsort(axis, false), x);
                    checkExact(t + " argsort(" + axis + ", descending)" + tag, u -> u.argsort(axis, true), x);
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void cumsumAndCumprod(long seed) {
        Random r = new Random(seed);
        for (DType t : Cases.ALL_DTYPES) {
            int[] s = Cases.shape(r);
            int rank = Math.max(1, s.length);
            int axis = r.nextInt(rank) - (r.nextBoolean() ? rank : 0);
            Pair p = input(r, t, s, Cases.NONFINITE);
            if (t.isFloating()) {
                checkScaled("cumsum(" + axis + ")", x -> x.cumsum(axis), x -> x.abs().cumsum(axis), p, kSum(t),
                        absTight(t));
            } else {
                checkExact("cumsum(" + axis + ")", x -> x.cumsum(axis), p);
            }
            // Factors near 1 so products stay finite in f32 whatever the order; some zeros.
            Layout layout = Cases.layout(r, s);
            double[] v = new double[Cases.numel(layout.baseShape())];
            for (int i = 0; i < v.length; i++) {
                v[i] = t.isFloating() ? 0.7 + 0.6 * r.nextDouble() : r.nextInt(5) - 2;
                if (r.nextInt(15) == 0) {
                    v[i] = 0;
                }
            }
            if (t.isFloating()) {
                v = Cases.withSpecials(r, v, 0.05, Cases.NONFINITE);
            }
            Pair q = pair(Cases.fromDoubles(REF, t, layout.baseShape(), v), layout);
            checkClose("cumprod(" + axis + ")", x -> x.cumprod(axis), q, t.isFloating() ? relLoose(t) : 0, 0);
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void scatterReduceEveryReductionWithRepeatedIndices(long seed) {
        Random r = new Random(seed);
        for (DType t : Cases.ALL_DTYPES) {
            int[] s = Cases.nonEmptyShape(r, 4);
            if (s.length == 0 && r.nextBoolean()) {
                s = new int[] {1 + r.nextInt(5)};
            }
            int rank = Math.max(1, s.length);
            int axis = r.nextInt(rank);
            int n = s.length == 0 ? 1 : s[axis];
            Pair x = input(r, t, s, Cases.SPECIALS);
            // index no larger than x off the axis, any size along it, values repeating; maybe a strided view.
            int[] is = new int[rank];
            for (int d = 0; d < rank; d++) {
                is[d] = d == axis ? r.nextInt(7) : 1 + r.nextInt(s[d]);
            }
            if (s.length == 0) {
                is = new int[] {r.nextInt(4)};
            }
            Layout il = Cases.layout(r, is);
            double[] iv = new double[Cases.numel(il.baseShape())];
            for (int i = 0; i < iv.length; i++) {
                iv[i] = r.nextInt(n);
            }
            Pair idx = pair(Cases.fromDoubles(REF, r.nextBoolean() ? DType.I64 : DType.I32, il.baseShape(), iv), il);
            Pair src = input(r, t, is, r.nextBoolean() ? Cases.SPECIALS : null);
            for (ScatterReduction red : ScatterReduction.values()) {
                for (boolean self : new boolean[] {true, false}) {
                    String what = "scatterReduce(" + axis + ", index " + Arrays.toString(is) + ", " + red.opName()
                            + (self ? ")" : ", includeSelf = false)") + " with index " + idx.desc;
                    Function<Tensor, Tensor> op = v -> v.scatterReduce(axis, side(idx, v), side(src, v), red, self);
                    if (!t.isFloating() || red == ScatterReduction.AMAX || red == ScatterReduction.AMIN) {
                        checkExact(what, op, x);
                    } else {
                        checkScaled(what, op, v -> v.abs().scatterReduce(axis, idx.ref, src.ref.abs(), red, self),
                                x, kSum(t), absTight(t));
                    }
                }
            }
        }
    }

    // =========================================================================================================
    // Large inputs: across the threading threshold, with each thread count
    // =========================================================================================================

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void largeInputsCrossTheThreadingThreshold(int which) {
        int threads = threadCounts()[Math.min(which, threadCounts().length - 1)];
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            Random r = new Random(77 + which);
            String tag = " with " + threads + " thread(s)";
            // 257 x 301 = 77,357 elements: above Parallel.DEFAULT_GRAIN, and not a multiple of any vector width.
            int[] s = {257, 301};
            assertTrue(Cases.numel(s) > Parallel.DEFAULT_GRAIN);
            Pair x = pair(Cases.fromDoubles(REF, DType.F32, s,
                    Cases.withSpecials(r, Cases.values(r, DType.F32, Cases.numel(s)), 0.001)), Cases.contiguous(s));
            Layout tl = Cases.transposed(r, s);
            Pair xt = pair(Cases.random(r, DType.F32, tl.baseShape()), tl); // a transposed view
            Pair row = input(r, DType.F32, new int[] {301});
            checkExact("copy of transposed" + tag, Tensor::contiguous, xt);
            checkExact("to(f64) of transposed" + tag, v -> v.to(DType.F64), xt);
            for (UnaryOp op : new UnaryOp[] {UnaryOp.NEG, UnaryOp.RELU, UnaryOp.ABS}) {
                checkExact(op + tag, v -> v.map(op), x);
            }
            for (UnaryOp op : new UnaryOp[] {UnaryOp.EXP, UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.GELU, UnaryOp.LOG}) {
                checkClose(op + tag, v -> v.map(op), x, 1e-5, 1e-6);
                checkClose(op + " on transposed" + tag, v -> v.map(op), xt, 1e-5, 1e-6);
            }
            // Ops without a vector form: the scalar loop over long runs, split across threads.
            for (UnaryOp op : new UnaryOp[] {UnaryOp.FLOOR, UnaryOp.ROUND, UnaryOp.TRUNC}) {
                checkBitwise(op + tag, v -> v.map(op), x);
            }
            checkBitwise("remainder transposed" + tag, v -> v.mul(7).remainder(v.backend() == REF ? xt.ref : xt.dev), x);
            checkBitwise("fmod broadcast row" + tag, v -> v.mul(7).fmod(row.ref.to(v.backend())), x);
            checkExact("add broadcast row" + tag, v -> v.add(row.ref.to(v.backend())), x);
            checkExact("mul transposed" + tag, v -> v.mul(v.backend() == REF ? xt.ref : xt.dev), x);
            checkExact("maximum" + tag, v -> v.maximum(0.5), xt);
            checkExact("gt" + tag, v -> v.gt(0.0), x);
            for (int axis : new int[] {0, 1}) {
                int[] ax = {axis};
                checkScaled("sum(" + axis + ")" + tag, v -> v.sum(ax, false), v -> v.abs().sum(ax, false), xt,
                        1e-5, 1e-6);
                checkExact("amax(" + axis + ")" + tag, v -> v.amax(ax, true), x);
                checkExact("argmax(" + axis + ")" + tag, v -> v.argmax(axis, false), x);
                checkClose("softmax(" + axis + ")" + tag, v -> v.softmax(axis), xt, 1e-4, 1e-6);
                checkClose("logsumexp(" + axis + ")" + tag, v -> v.logsumexp(ax, false), xt, 1e-4, 1e-5);
            }
            checkScaled("sum()" + tag, Tensor::sum, v -> v.abs().sum(), xt, 1e-5, 1e-6);
            checkClose("var()" + tag, Tensor::var, xt, 1e-4, 1e-5);
            Pair a = input(r, DType.F32, new int[] {67, 129});
            Pair b = matOperand(r, DType.F32, new int[] {129, 71});
            Tensor e = a.ref.matmul(b.ref);
            Tensor d = a.dev.matmul(b.dev);
            assertCloseScaled(e, d, a.ref.abs().matmul(b.ref.abs()), 1e-5, 1e-6, "matmul 67x129x71" + tag);
            Tensor idx = Cases.fromDoubles(REF, DType.I64, new int[] {400},
                    IntStream.range(0, 400).mapToDouble(i -> (i * 37) % 257).toArray());
            Tensor ed = x.ref.indexSelect(0, idx);
            assertExact(ed, x.dev.indexSelect(0, idx.to(backend())), "indexSelect" + tag);
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCountBeyondRounding() {
        int saved = Parallel.threads();
        Random r = new Random(5);
        Tensor x = Cases.random(r, DType.F32, 311, 263).to(backend());
        Tensor a = Cases.random(r, DType.F32, 96, 200).to(backend());
        Tensor b = Cases.random(r, DType.F32, 200, 88).to(backend());
        // Elementwise ops, copies and max/argmax must be bitwise the same; accumulations may differ by rounding.
        List<Function<Tensor, Tensor>> exact = List.of(Tensor::exp, v -> v.mT().contiguous(),
                v -> v.argmax(0, false), v -> v.amax(new int[] {1}, false), v -> v.mul(v.select(0, 3)), Tensor::gelu);
        List<Function<Tensor, Tensor>> summed = List.of(v -> v.sum(new int[] {0}, false), Tensor::sum,
                v -> v.sum(new int[] {1}, true), v -> v.norm());
        try {
            Parallel.setThreads(1);
            List<Tensor> one = new ArrayList<>();
            exact.forEach(op -> one.add(op.apply(x)));
            summed.forEach(op -> one.add(op.apply(x)));
            Tensor soft1 = x.softmax(1);
            Tensor mm1 = a.matmul(b);
            Parallel.setThreads(2);
            for (int i = 0; i < exact.size(); i++) {
                assertBitwise(one.get(i), exact.get(i).apply(x), "exact op " + i + ": 1 thread vs 2 threads");
            }
            for (int i = 0; i < summed.size(); i++) {
                assertCloseScaled(one.get(exact.size() + i), summed.get(i).apply(x), summed.get(i).apply(x.abs()),
                        1e-5, 1e-6, "accumulating op " + i + ": 1 thread vs 2 threads");
            }
            assertClose(soft1, x.softmax(1), 1e-5, 1e-7, "softmax: 1 thread vs 2 threads");
            assertCloseScaled(mm1, a.matmul(b), a.abs().matmul(b.abs()), 1e-5, 1e-6, "matmul: 1 vs 2 threads");
        } finally {
            Parallel.setThreads(saved);
        }
    }

    // =========================================================================================================
    // Fused steps: each must match the composition of ordinary ops that defines it
    // =========================================================================================================

    /** The other operand of a multi-input op, on the same side (reference or backend) as {@code v}. */
    private static Tensor side(Pair p, Tensor v) {
        return v.backend() == REF ? p.ref : p.dev;
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void fusedLstmStepMatchesItsComposition(long seed) {
        Random r = new Random(seed);
        int b = 1 + r.nextInt(7);
        int h = new int[] {1, 3, 8, 13, 32}[r.nextInt(5)];
        Pair gates = input(r, DType.F32, new int[] {b, 4 * h});
        Pair cPrev = input(r, DType.F32, new int[] {b, h});
        Pair tanhC = input(r, DType.F32, new int[] {b, h});
        Pair dh = input(r, DType.F32, new int[] {b, h});
        Pair dc = input(r, DType.F32, new int[] {b, h});
        List<Function<LstmPointwise.Step, Tensor>> parts = List.of(LstmPointwise.Step::activations,
                LstmPointwise.Step::cell, LstmPointwise.Step::tanhCell, LstmPointwise.Step::hidden);
        for (int k = 0; k < parts.size(); k++) {
            Function<LstmPointwise.Step, Tensor> part = parts.get(k);
            checkClose("lstm step output " + k, v -> part.apply(LstmPointwise.forward(v, side(cPrev, v))), gates,
                    1e-5, 1e-6);
        }
        // Backward from activations in their real ranges: sigmoid/tanh of the random gates.
        Pair act = gates.map(v -> LstmPointwise.forward(v, side(cPrev, v)).activations(), "activations");
        checkClose("lstm step gate gradients", v -> LstmPointwise.backward(v, side(cPrev, v), side(tanhC, v),
                side(dh, v), side(dc, v)).gates(), act, 1e-5, 1e-6);
        checkClose("lstm step cell gradient", v -> LstmPointwise.backward(v, side(cPrev, v), side(tanhC, v),
                side(dh, v), side(dc, v)).cellPrev(), act, 1e-5, 1e-6);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void fusedGruStepMatchesItsComposition(long seed) {
        Random r = new Random(seed);
        int b = 1 + r.nextInt(7);
        int h = new int[] {1, 3, 8, 13, 32}[r.nextInt(5)];
        Pair gi = input(r, DType.F32, new int[] {b, 3 * h});
        Pair gh = input(r, DType.F32, new int[] {b, 3 * h});
        Pair hPrev = input(r, DType.F32, new int[] {b, h});
        Pair dh = input(r, DType.F32, new int[] {b, h});
        checkClose("gru step activations",
                v -> GruPointwise.forward(v, side(gh, v), side(hPrev, v)).activations(), gi, 1e-5, 1e-6);
        checkClose("gru step hidden", v -> GruPointwise.forward(v, side(gh, v), side(hPrev, v)).hidden(), gi,
                1e-5, 1e-6);
        // Backward from activations in their real ranges: the forward step's on the random gates.
        Pair act = gi.map(v -> GruPointwise.forward(v, side(gh, v), side(hPrev, v)).activations(), "activations");
        checkGruBackward(act, gh, hPrev, dh);
    }

    /** The GRU step on the views the scan passes it: steps of a {@code [T, B, 3H]} block (contiguous, offset). */
    @ParameterizedTest
    @MethodSource("seeds")
    void fusedGruStepOnScanViews(long seed) {
        Random r = new Random(seed);
        int t = 2 + r.nextInt(4);
        int b = 1 + r.nextInt(9);
        int h = new int[] {1, 5, 16, 37, 128}[r.nextInt(5)];
        int step = 1 + r.nextInt(t - 1);
        Pair gi = pair(Cases.fromDoubles(REF, DType.F32, new int[] {t, b, 3 * h},
                Cases.values(r, DType.F32, t * b * 3 * h)), Cases.contiguous(new int[] {t, b, 3 * h}))
                .map(v -> v.select(0, step), "select(0, " + step + ")");
        Pair gh = input(r, DType.F32, new int[] {b, 3 * h}, null);
        Pair states = pair(Cases.fromDoubles(REF, DType.F32, new int[] {t + 1, b, h},
                Cases.values(r, DType.F32, (t + 1) * b * h)), Cases.contiguous(new int[] {t + 1, b, h}));
        Pair hPrev = states.map(v -> v.select(0, step), "h");
        Pair dh = states.map(v -> v.select(0, t), "dh");
        checkClose("gru step activations",
                v -> GruPointwise.forward(v, side(gh, v), side(hPrev, v)).activations(), gi, 1e-5, 1e-6);
        checkClose("gru step hidden", v -> GruPointwise.forward(v, side(gh, v), side(hPrev, v)).hidden(), gi,
                1e-5, 1e-6);
        Pair act = gi.map(v -> GruPointwise.forward(v, side(gh, v), side(hPrev, v)).activations(), "activations");
        Pair actBlock = act.map(v -> Tensor.stack(0, List.of(v.neg(), v)), "stacked").map(v -> v.select(0, 1),
                "select(0, 1)");
        checkGruBackward(actBlock, gh, hPrev, dh);
    }

    private void checkGruBackward(Pair act, Pair gh, Pair hPrev, Pair dh) {
        checkClose("gru step input-gate gradients",
                v -> GruPointwise.backward(v, side(gh, v), side(hPrev, v), side(dh, v)).inputGates(), act, 1e-5,
                1e-6);
        checkClose("gru step hidden-gate gradients",
                v -> GruPointwise.backward(v, side(gh, v), side(hPrev, v), side(dh, v)).hiddenGates(), act, 1e-5,
                1e-6);
        checkClose("gru step hidden gradient",
                v -> GruPointwise.backward(v, side(gh, v), side(hPrev, v), side(dh, v)).hiddenPrev(), act, 1e-5,
                1e-6);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void fusedRowNormMatchesItsComposition(long seed) {
        Random r = new Random(seed);
        int rows = 1 + r.nextInt(9);
        int cols = new int[] {1, 3, 8, 17, 128}[r.nextInt(5)];
        double eps = r.nextBoolean() ? 1e-5 : 0.1;
        Pair x = input(r, DType.F32, new int[] {rows, cols});
        Pair g = input(r, DType.F32, new int[] {rows, cols});
        checkClose("row norm", v -> RowNorm.forward(v, eps).normalized(), x, 1e-4, 1e-5);
        checkClose("row norm rstd", v -> RowNorm.forward(v, eps).rstd(), x, 1e-4, 1e-5);
        // dx = rstd·(g − mean g − x̂·mean(g·x̂)): its rounding error is that of the row means of g, amplified by
        // rstd, which is large for a row of equal values (rstd = 1/√eps). Allowance: k·rstd·max|g| per row.
        checkScaled("row norm backward", v -> {
            RowNorm.Result f = RowNorm.forward(v, eps);
            return RowNorm.backward(side(g, v), f.normalized(), f.rstd());
        }, v -> RowNorm.forward(v, eps).rstd().mul(side(g, v).abs().amax(new int[] {1}, true))
                .expand(rows, cols).contiguous(), x, 1e-5, 1e-5);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void fusedSoftmaxBackwardMatchesItsComposition(long seed) {
        Random r = new Random(seed);
        int rows = 1 + r.nextInt(9);
        int cols = new int[] {1, 3, 8, 17, 128}[r.nextInt(5)];
        int[] shape = r.nextBoolean() ? new int[] {rows, cols} : new int[] {2, rows, cols};
        int axis = r.nextInt(4) == 0 ? 0 : shape.length - 1;
        boolean log = r.nextBoolean();
        Pair x = input(r, DType.F32, shape);
        Pair g = input(r, DType.F32, shape);
        // Σ g·y (or Σ g) rounds like a row sum of g: allowance k·max|g| along the axis.
        checkScaled((log ? "log-softmax" : "softmax") + " backward, axis " + axis, v -> {
            Tensor y = log ? v.logSoftmax(axis) : v.softmax(axis);
            return SoftmaxGrad.backward(side(g, v), y, axis, log);
        }, v -> side(g, v).abs().amax(new int[] {axis}, true).expand(shape).contiguous(), x, 1e-5, 1e-6);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void fusedAffineRowNormMatchesItsComposition(long seed) {
        Random r = new Random(seed);
        int rows = r.nextInt(10);
        int cols = new int[] {1, 3, 8, 17, 128}[r.nextInt(5)];
        double eps = r.nextBoolean() ? 1e-5 : 0.1;
        Pair x = input(r, DType.F32, new int[] {rows, cols});
        Pair w = input(r, DType.F32, new int[] {cols});
        Pair b = input(r, DType.F32, new int[] {cols});
        Pair g = input(r, DType.F32, new int[] {rows, cols});
        checkClose("layer norm", v -> RowNorm.affine(v, side(w, v), side(b, v), eps), x, 1e-4, 1e-4);
        // As the plain row norm's backward: allowance k·rstd·max|g·w| per row for dx, k·Σ|g| for dw and db.
        checkScaled("layer norm backward, input", v -> {
            RowNorm.Result f = RowNorm.forward(v, eps);
            return RowNorm.affineBackward(side(g, v), f.normalized(), f.rstd(), side(w, v)).input();
        }, v -> RowNorm.forward(v, eps).rstd().mul(side(g, v).mul(side(w, v)).abs().amax(new int[] {1}, true))
                .expand(rows, cols).contiguous(), x, 1e-5, 1e-5);
        checkScaled("layer norm backward, weight", v -> {
            RowNorm.Result f = RowNorm.forward(v, eps);
            return RowNorm.affineBackward(side(g, v), f.normalized(), f.rstd(), side(w, v)).weight();
        }, v -> side(g, v).abs().sum(new int[] {0}, false).mul(4), x, 1e-5, 1e-5);
        checkScaled("layer norm backward, bias", v -> {
            RowNorm.Result f = RowNorm.forward(v, eps);
            return RowNorm.affineBackward(side(g, v), f.normalized(), f.rstd(), side(w, v)).bias();
        }, v -> side(g, v).abs().sum(new int[] {0}, false), x, 1e-5, 1e-5);
    }
}
