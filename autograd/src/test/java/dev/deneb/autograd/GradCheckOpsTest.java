package dev.deneb.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.deneb.tensor.BinaryOp;
import dev.deneb.tensor.ConvOptions;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.PoolOptions;
import dev.deneb.tensor.Primitive;
import dev.deneb.tensor.Tape;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.UnaryOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference checks of every differentiable op of {@link Tensor}, on seeded random small shapes, on
 * broadcasting pairs and on non-contiguous views (the view is taken inside the checked function, because
 * {@link GradCheck} converts its inputs to contiguous f64 copies).
 */
class GradCheckOpsTest {
    private static final GradCheck.Options DEFAULTS = GradCheck.Options.defaults();

    /** One check: a function of the inputs, the inputs, and the options. */
    record Case(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, GradCheck.Options options) {}

    private static Arguments c(String name, Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        return c(name, DEFAULTS, f, inputs);
    }

    private static Arguments c(String name, GradCheck.Options o, Function<List<Tensor>, Tensor> f,
                               Tensor... inputs) {
        String shapes = Arrays.stream(inputs).map(t -> Arrays.toString(t.shape())).reduce((a, b) -> a + "," + b)
                .orElse("");
        return Arguments.of(Named.of(name + " " + shapes, new Case(f, List.of(inputs), o)));
    }

    private static void run(Case c) {
        TestData.assertPasses(c.f(), c.inputs(), c.options());
    }

    private static String str(int[] s) {
        return Arrays.toString(s);
    }

    // =========================================================================================================
    // Elementwise, one input
    // =========================================================================================================

    /** An elementwise op and a generator of inputs on which it is smooth. */
    private record Unary(String name, UnaryOperator<Tensor> op, BiFunction<TestData, int[], Tensor> domain) {}

    private static final BiFunction<TestData, int[], Tensor> ANY = TestData::normal;
    private static final BiFunction<TestData, int[], Tensor> WIDE = (d, s) -> d.normal(s).mul(2.5);
    private static final BiFunction<TestData, int[], Tensor> NON_ZERO = (d, s) -> d.awayFromZero(0.2, 1.5, s);
    private static final BiFunction<TestData, int[], Tensor> POSITIVE = (d, s) -> d.uniform(0.3, 2.0, s);
    /** Values at least 0.1 away from every multiple of 0.5, where floor, ceil, round and trunc jump. */
    private static final BiFunction<TestData, int[], Tensor> OFF_GRID = (d, s) -> d.offGrid(0.5, 0.1, 3, s);

    /**
     * The gradient-check table of every {@link UnaryOp}: its Tensor method and a domain where it is smooth. Every
     * op is checked: one without a row of its own runs on standard normal inputs through {@code map(op)}, and fails
     * here if it is not smooth there until it is given its domain. {@link #everyUnaryOpHasARowThatRecordsIt} checks
     * each row really runs its op.
     */
    private static Unary unaryRow(UnaryOp op) {
        String n = op.opName();
        return switch (op) {
            case NEG -> new Unary(n, Tensor::neg, ANY);
            case ABS -> new Unary(n, Tensor::abs, NON_ZERO);
            case SIGN -> new Unary(n, Tensor::sign, NON_ZERO);
            case RELU -> new Unary(n, Tensor::relu, NON_ZERO);
            case STEP -> new Unary(n, Tensor::step, NON_ZERO);
            case FLOOR -> new Unary(n, Tensor::floor, OFF_GRID);
            case CEIL -> new Unary(n, Tensor::ceil, OFF_GRID);
            case ROUND -> new Unary(n, Tensor::round, OFF_GRID);
            case TRUNC -> new Unary(n, Tensor::trunc, OFF_GRID);
            case EXP -> new Unary(n, Tensor::exp, ANY);
            case LOG -> new Unary(n, Tensor::log, POSITIVE);
            case LOG1P -> new Unary(n, Tensor::log1p, (d, s) -> d.uniform(-0.7, 2.0, s));
            case SQRT -> new Unary(n, Tensor::sqrt, POSITIVE);
            case RSQRT -> new Unary(n, Tensor::rsqrt, POSITIVE);
            case SIN -> new Unary(n, Tensor::sin, WIDE);
            case COS -> new Unary(n, Tensor::cos, WIDE);
            case TANH -> new Unary(n, Tensor::tanh, WIDE);
            case SIGMOID -> new Unary(n, Tensor::sigmoid, WIDE);
            case ERF -> new Unary(n, Tensor::erf, WIDE);
            case GELU -> new Unary(n, Tensor::gelu, WIDE);
            case SILU -> new Unary(n, Tensor::silu, WIDE);
            case SOFTPLUS -> new Unary(n, Tensor::softplus, (d, s) -> d.normal(s).mul(4));
            case RECIPROCAL -> new Unary(n, Tensor::reciprocal, NON_ZERO);
            default -> new Unary(n, x -> x.map(op), ANY);
        };
    }

    @Test
    void everyUnaryOpHasARowThatRecordsIt() {
        TestData d = new TestData(99);
        for (UnaryOp op : UnaryOp.values()) {
            Unary row = unaryRow(op);
            Tensor x = row.domain().apply(d, new int[] {3}).requiresGrad(true);
            Tensor y = row.op().apply(x);
            assertEquals(new Primitive.Unary(op), Tape.node(y).op(), op + "'s row must run " + op);
        }
    }

    /** Further one-input cases: regions of an op's domain, and scalar forms of binary ops. */
    private static List<Unary> unaryOps() {
        List<Unary> ops = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values()) {
            ops.add(unaryRow(op));
        }
        ops.add(new Unary("erf(tails)", Tensor::erf, (d, s) -> d.awayFromZero(2.6, 4.0, s)));
        // |x| / sqrt(2) >= 2.5: the region where gelu's forward goes through erf's continued fraction
        ops.add(new Unary("gelu(tails)", Tensor::gelu, (d, s) -> d.awayFromZero(3.7, 5.0, s)));
        ops.add(new Unary("softplus(linear region)", Tensor::softplus, (d, s) -> d.uniform(20.5, 25, s)));
        ops.add(new Unary("softplus(below threshold)", Tensor::softplus, (d, s) -> d.uniform(14, 19.5, s)));
        ops.add(new Unary("pow(2)", v -> v.pow(2), ANY));
        ops.add(new Unary("pow(3)", v -> v.pow(3), ANY));
        ops.add(new Unary("pow(1)", v -> v.pow(1), ANY));
        ops.add(new Unary("pow(0)", v -> v.pow(0), ANY));
        ops.add(new Unary("pow(0.5)", v -> v.pow(0.5), POSITIVE));
        ops.add(new Unary("pow(-1.5)", v -> v.pow(-1.5), POSITIVE));
        ops.add(new Unary("pow(2.7)", v -> v.pow(2.7), POSITIVE));
        ops.add(new Unary("pow(-2)", v -> v.pow(-2), NON_ZERO));
        ops.add(new Unary("clamp(-0.5,0.5)", v -> v.clamp(-0.5, 0.5),
                (d, s) -> d.normalAvoiding(1, 0.01, new double[] {-0.5, 0.5}, s)));
        ops.add(new Unary("add(2.5)", v -> v.add(2.5), ANY));
        ops.add(new Unary("sub(1.5)", v -> v.sub(1.5), ANY));
        ops.add(new Unary("mul(-3)", v -> v.mul(-3), ANY));
        ops.add(new Unary("div(4)", v -> v.div(4), ANY));
        ops.add(new Unary("maximum(0.3)", v -> v.maximum(0.3),
                (d, s) -> d.normalAvoiding(1, 0.01, new double[] {0.3}, s)));
        ops.add(new Unary("minimum(-0.2)", v -> v.minimum(-0.2),
                (d, s) -> d.normalAvoiding(1, 0.01, new double[] {-0.2}, s)));
        // a / b away from integers: |a| <= 3.7 with fraction in [0.3, 0.7], and |b| in [1, 1.05]
        ops.add(new Unary("remainder(1.3)", v -> v.remainder(1.3), (d, s) -> d.offGrid(1.3, 0.2, 3, s)));
        ops.add(new Unary("remainder(-0.7)", v -> v.remainder(-0.7), (d, s) -> d.offGrid(0.7, 0.1, 4, s)));
        ops.add(new Unary("fmod(1.3)", v -> v.fmod(1.3), (d, s) -> d.offGrid(1.3, 0.2, 3, s)));
        ops.add(new Unary("fmod(-0.7)", v -> v.fmod(-0.7), (d, s) -> d.offGrid(0.7, 0.1, 4, s)));
        ops.add(new Unary("nanToNum (finite values)", Tensor::nanToNum, ANY));
        ops.add(new Unary("nanToNum(1, 2, 3) (finite values)", v -> v.nanToNum(1, 2, 3), WIDE));
        ops.add(new Unary("to(F64) on f64", v -> v.to(DType.F64), ANY));
        return ops;
    }

    static Stream<Arguments> unary() {
        List<Arguments> out = new ArrayList<>();
        long seed = 100;
        for (Unary u : unaryOps()) {
            TestData d = new TestData(seed++);
            UnaryOperator<Tensor> op = u.op();
            // contiguous, random rank 1..3
            int[] s = d.shape(1, 3, 24);
            out.add(c(u.name() + " contiguous", v -> op.apply(v.get(0)), u.domain().apply(d, s)));
            // 0-d
            out.add(c(u.name() + " 0-d", v -> op.apply(v.get(0)), u.domain().apply(d, new int[0])));
            // transposed view
            int r = d.nextInt(2, 4);
            int k = d.nextInt(2, 4);
            out.add(c(u.name() + " transposed", v -> op.apply(v.get(0).t()), u.domain().apply(d, new int[] {r, k})));
            // stepped slice (every other column, starting at 1)
            int cols = 2 * d.nextInt(2, 3) + 1;
            out.add(c(u.name() + " stepped slice", v -> op.apply(v.get(0).slice(1, 1, cols, 2)),
                    u.domain().apply(d, new int[] {3, cols})));
            // broadcast view (stride 0): the gradient sums over the copies
            int n = d.nextInt(2, 4);
            out.add(c(u.name() + " expanded", v -> op.apply(v.get(0).unsqueeze(0).expand(3, n)),
                    u.domain().apply(d, new int[] {n})));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void unary(Case c) {
        run(c);
    }

    /** Casts go through f32, so finite differences need a larger step and tolerance. */
    static Stream<Arguments> casts() {
        GradCheck.Options loose = new GradCheck.Options(1e-2, 1e-3, 1e-2);
        TestData d = new TestData(7);
        return Stream.of(
                c("to(F32) then to(F64), linear", loose, v -> v.get(0).to(DType.F32).mul(3).to(DType.F64),
                        d.normal(3, 4)),
                c("to(F32) times f64 (promotion) then sum", loose,
                        v -> v.get(0).to(DType.F32).mul(v.get(1)).sum(1), d.normal(3, 4), d.normal(4)),
                c("to(F32) transposed, tanh", loose, v -> v.get(0).t().to(DType.F32).tanh().to(DType.F64),
                        d.normal(4, 3)),
                c("to(F32) then cat with f64", loose,
                        v -> Tensor.cat(0, v.get(0).to(DType.F32), v.get(1)).mul(2), d.normal(2, 3),
                        d.normal(1, 3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void casts(Case c) {
        run(c);
    }

    // =========================================================================================================
    // Elementwise, two inputs (broadcasting)
    // =========================================================================================================

    private record Binary(String name, java.util.function.BinaryOperator<Tensor> op,
                          BiFunction<TestData, int[], Tensor> left, BiFunction<TestData, int[], Tensor> right) {}

    /**
     * The gradient-check table of every {@link BinaryOp}: its Tensor method and the domains of both operands, or
     * null for the comparisons, whose bool results are never recorded and have no gradient. An op without a row of its
     * own is checked on standard normal operands; {@link #everyBinaryOpHasARowThatRecordsIt} checks each row.
     */
    private static Binary binaryRow(BinaryOp op) {
        BiFunction<TestData, int[], Tensor> nonZero = (d, s) -> d.awayFromZero(0.3, 1.5, s);
        BiFunction<TestData, int[], Tensor> positive = (d, s) -> d.uniform(0.4, 2.0, s);
        // a / b away from integers, whatever the pairing: a = k + f with |k| <= 3, f in [0.3, 0.7], |b| in [1, 1.05]
        BiFunction<TestData, int[], Tensor> dividend = (d, s) -> d.offGrid(1, 0.3, 3, s);
        BiFunction<TestData, int[], Tensor> divisor = (d, s) -> d.awayFromZero(1, 1.05, s);
        String n = op.opName();
        return switch (op) {
            case ADD -> new Binary(n, Tensor::add, ANY, ANY);
            case SUB -> new Binary(n, Tensor::sub, ANY, ANY);
            case MUL -> new Binary(n, Tensor::mul, ANY, ANY);
            case DIV -> new Binary(n, Tensor::div, ANY, nonZero);
            case POW -> new Binary(n, Tensor::pow, positive, ANY);
            // two independent continuous draws: ties have probability zero (and the values are f32-rounded
            // normals, far apart compared with eps)
            case MAXIMUM -> new Binary(n, Tensor::maximum, ANY, ANY);
            case MINIMUM -> new Binary(n, Tensor::minimum, ANY, ANY);
            case REMAINDER -> new Binary(n, Tensor::remainder, dividend, divisor);
            case FMOD -> new Binary(n, Tensor::fmod, dividend, divisor);
            case EQ, NE, LT, LE, GT, GE -> null;
            default -> new Binary(n, (a, b) -> a.zipWith(op, b), ANY, ANY);
        };
    }

    @Test
    void everyBinaryOpHasARowThatRecordsIt() {
        TestData d = new TestData(98);
        for (BinaryOp op : BinaryOp.values()) {
            Binary row = binaryRow(op);
            if (op.isComparison()) {
                assertNull(row, op + " is a comparison: no gradient row");
                Tensor y = d.normal(3).requiresGrad(true).zipWith(op, d.normal(3));
                assertEquals(DType.BOOL, y.dtype());
                assertFalse(y.requiresGrad(), op + " must not be recorded");
                continue;
            }
            assertNotNull(row, op + " is differentiable and needs a gradient row");
            Tensor a = row.left().apply(d, new int[] {3}).requiresGrad(true);
            Tensor b = row.right().apply(d, new int[] {3}).requiresGrad(true);
            Tensor y = row.op().apply(a, b);
            assertEquals(new Primitive.Binary(op), Tape.node(y).op(), op + "'s row must run " + op);
        }
    }

    private static List<Binary> binaryOps() {
        List<Binary> ops = new ArrayList<>();
        for (BinaryOp op : BinaryOp.values()) {
            if (binaryRow(op) != null) {
                ops.add(binaryRow(op));
            }
        }
        return ops;
    }

    private static final int[][][] FIXED_PAIRS = {
            {{3, 4}, {3, 4}},
            {{3, 4}, {4}},
            {{4}, {3, 4}},
            {{2, 1, 4}, {3, 1}},
            {{}, {2, 3}},
            {{2, 3}, {}},
            {{5, 1}, {1, 4}},
            {{4}, {2, 3, 1}},
            {{1}, {3, 2}},
    };

    static Stream<Arguments> binary() {
        List<Arguments> out = new ArrayList<>();
        long seed = 500;
        for (Binary b : binaryOps()) {
            for (int[][] pair : FIXED_PAIRS) {
                TestData d = new TestData(seed++);
                out.add(c(b.name() + " broadcast", v -> b.op().apply(v.get(0), v.get(1)),
                        b.left().apply(d, pair[0]), b.right().apply(d, pair[1])));
            }
            // seeded random broadcasting pairs, either order
            for (int i = 0; i < 3; i++) {
                TestData d = new TestData(seed++);
                int[] s = d.shape(1, 3, 18);
                int[] p = d.broadcastPartner(s);
                int[] l = d.nextBoolean() ? s : p;
                int[] r = l == s ? p : s;
                out.add(c(b.name() + " random broadcast", v -> b.op().apply(v.get(0), v.get(1)),
                        b.left().apply(d, l), b.right().apply(d, r)));
            }
            // non-contiguous: transposed left, stepped-slice right
            TestData d = new TestData(seed++);
            out.add(c(b.name() + " transposed x sliced",
                    v -> b.op().apply(v.get(0).t(), v.get(1).slice(0, 0, 7, 2)),
                    b.left().apply(d, new int[] {3, 4}), b.right().apply(d, new int[] {7, 3})));
            // same leaf on both sides
            out.add(c(b.name() + " same leaf twice", v -> b.op().apply(v.get(0), v.get(0).mul(0.5).add(0.7)),
                    new TestData(seed++).uniform(0.5, 2.0, 2, 3)));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void binary(Case c) {
        run(c);
    }

    static Stream<Arguments> whereAndMask() {
        TestData d = new TestData(900);
        Tensor cond = d.mask(3, 4);
        Tensor condRow = d.mask(1, 4);
        Tensor mask = d.mask(3, 4);
        Tensor maskCol = d.mask(3, 1);
        return Stream.of(
                c("where same shapes", v -> Tensor.where(cond, v.get(0), v.get(1)), d.normal(3, 4), d.normal(3, 4)),
                c("where broadcast a, b", v -> Tensor.where(cond, v.get(0), v.get(1)), d.normal(4), d.normal(3, 1)),
                c("where broadcast cond", v -> Tensor.where(condRow, v.get(0), v.get(1)), d.normal(3, 4),
                        d.normal(3, 4)),
                c("where scalar b", v -> Tensor.where(cond, v.get(0), v.get(1)), d.normal(3, 4), d.normal()),
                c("where transposed", v -> Tensor.where(cond, v.get(0).t(), v.get(1)), d.normal(4, 3),
                        d.normal(3, 4)),
                c("maskedFill", v -> v.get(0).maskedFill(mask, 2.5), d.normal(3, 4)),
                c("maskedFill broadcast mask", v -> v.get(0).maskedFill(maskCol, -1), d.normal(3, 4)),
                c("maskedFill transposed", v -> v.get(0).t().maskedFill(mask, 0).exp(), d.normal(4, 3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void whereAndMask(Case c) {
        run(c);
    }

    // =========================================================================================================
    // Reductions
    // =========================================================================================================

    private record Reduction(String name, BiFunction<Tensor, int[], Tensor> op, boolean needsAxes,
                             BiFunction<TestData, int[], Tensor> domain) {}

    private static List<Reduction> reductions() {
        BiFunction<TestData, int[], Tensor> any = TestData::normal;
        BiFunction<TestData, int[], Tensor> nonZero = (d, s) -> d.awayFromZero(0.3, 1.5, s);
        List<Reduction> r = new ArrayList<>();
        for (boolean keep : new boolean[] {false, true}) {
            String k = keep ? ", keepdim" : "";
            r.add(new Reduction("sum" + k, (x, ax) -> x.sum(ax, keep), true, any));
            r.add(new Reduction("mean" + k, (x, ax) -> x.mean(ax, keep), true, any));
            r.add(new Reduction("prod" + k, (x, ax) -> x.prod(ax, keep), true, nonZero));
            r.add(new Reduction("amax" + k, (x, ax) -> x.amax(ax, keep), true, any));
            r.add(new Reduction("amin" + k, (x, ax) -> x.amin(ax, keep), true, any));
            r.add(new Reduction("var(c=1)" + k, (x, ax) -> x.var(ax, 1, keep), true, any));
            r.add(new Reduction("var(c=0)" + k, (x, ax) -> x.var(ax, 0, keep), true, any));
            r.add(new Reduction("std(c=1)" + k, (x, ax) -> x.std(ax, 1, keep), true, any));
            r.add(new Reduction("std(c=0)" + k, (x, ax) -> x.std(ax, 0, keep), true, any));
            r.add(new Reduction("logsumexp" + k, (x, ax) -> x.logsumexp(ax, keep), true, any));
            for (double p : new double[] {1, 2, 3, Double.POSITIVE_INFINITY}) {
                r.add(new Reduction("norm(" + p + ")" + k, (x, ax) -> x.norm(p, ax, keep), true, nonZero));
            }
        }
        // single-axis forms
        r.add(new Reduction("sum(axis)", (x, ax) -> x.sum(ax[0]), false, any));
        r.add(new Reduction("mean(axis)", (x, ax) -> x.mean(ax[0]), false, any));
        for (boolean keep : new boolean[] {false, true}) {
            r.add(new Reduction("max(axis).values" + (keep ? ", keepdim" : ""),
                    (x, ax) -> x.max(ax[0], keep).values(), false, any));
            r.add(new Reduction("min(axis).values" + (keep ? ", keepdim" : ""),
                    (x, ax) -> x.min(ax[0], keep).values(), false, any));
        }
        r.add(new Reduction("softmax", (x, ax) -> x.softmax(ax[0]), false, any));
        r.add(new Reduction("logSoftmax", (x, ax) -> x.logSoftmax(ax[0]), false, any));
        return r;
    }

    static Stream<Arguments> reductionsOverAxes() {
        List<Arguments> out = new ArrayList<>();
        long seed = 1000;
        int[][] axesSets = {{}, {0}, {-1}, {1}, {0, 2}, {2, 0}, {0, 1, 2}};
        for (Reduction red : reductions()) {
            TestData d = new TestData(seed++);
            Tensor x3 = red.domain().apply(d, new int[] {2, 3, 4});
            if (red.needsAxes()) {
                for (int[] axes : axesSets) {
                    out.add(c(red.name() + " axes " + str(axes), v -> red.op().apply(v.get(0), axes), x3));
                }
            } else {
                for (int axis : new int[] {0, 1, 2, -1, -2}) {
                    out.add(c(red.name() + " axis " + axis, v -> red.op().apply(v.get(0), new int[] {axis}), x3));
                }
            }
            // on a permuted (non-contiguous) view of a 3-D input, and on a random-shaped 2-D input
            Tensor y = red.domain().apply(d, new int[] {4, 2, 3});
            int[] ax = red.needsAxes() ? new int[] {1} : new int[] {-1};
            out.add(c(red.name() + " permuted view", v -> red.op().apply(v.get(0).permute(1, 2, 0), ax), y));
            int[] s = d.shape(2, 2, 20);
            int[] ax2 = {d.nextInt(0, 1)};
            s[ax2[0]] = Math.max(2, s[ax2[0]]); // var/std with correction 1 need two elements per slice
            out.add(c(red.name() + " random 2-D axis " + ax2[0], v -> red.op().apply(v.get(0), ax2),
                    red.domain().apply(d, s)));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void reductionsOverAxes(Case c) {
        run(c);
    }

    static Stream<Arguments> fullReductions() {
        TestData d = new TestData(1500);
        Tensor nz = d.awayFromZero(0.5, 1.5, 2, 3);
        return Stream.of(
                c("sum()", v -> v.get(0).sum(), d.normal(3, 4)),
                c("sum() transposed", v -> v.get(0).t().sum(), d.normal(3, 4)),
                c("sum() of 0-d", v -> v.get(0).sum(), d.normal()),
                c("mean()", v -> v.get(0).mean(), d.normal(3, 4)),
                c("mean() 0-d", v -> v.get(0).mean(), d.normal()),
                c("prod()", v -> v.get(0).prod(), nz),
                c("prod() 1-D", v -> v.get(0).prod(), d.awayFromZero(0.5, 1.5, 5)),
                c("max()", v -> v.get(0).max(), d.normal(3, 4)),
                c("min()", v -> v.get(0).min(), d.normal(3, 4)),
                c("max() stepped slice", v -> v.get(0).slice(0, 0, 5, 2).max(), d.normal(5, 3)),
                c("var()", v -> v.get(0).var(), d.normal(3, 4)),
                c("std()", v -> v.get(0).std(), d.normal(3, 4)),
                c("std() transposed", v -> v.get(0).t().std(), d.normal(3, 4)),
                c("norm()", v -> v.get(0).norm(), d.normal(3, 4)),
                c("norm() transposed", v -> v.get(0).t().norm(), d.normal(3, 4)),
                c("max(0) of 1-D", v -> v.get(0).max(0, false).values(), d.normal(6)),
                c("min(0, keepdim) of 1-D", v -> v.get(0).min(0, true).values(), d.normal(6)),
                c("softmax 1-D", v -> v.get(0).softmax(0), d.normal(6)),
                c("logSoftmax 1-D", v -> v.get(0).logSoftmax(-1), d.normal(6)),
                c("softmax transposed 2-D", v -> v.get(0).t().softmax(1), d.normal(4, 3)),
                c("logSoftmax transposed 2-D", v -> v.get(0).t().logSoftmax(0), d.normal(4, 3)),
                c("softmax 0-d", v -> v.get(0).softmax(0), d.normal()),
                c("logSoftmax 0-d", v -> v.get(0).logSoftmax(0), d.normal()),
                c("logsumexp all", v -> v.get(0).logsumexp(new int[0], false), d.normal(3, 4).mul(5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void fullReductions(Case c) {
        run(c);
    }

    /** prod with zeros: one zero in a slice (its gradient is the product of the others), two zeros (all zero). */
    static Stream<Arguments> prodWithZeros() {
        TestData d = new TestData(1600);
        double[] v = d.awayFromZero(0.5, 1.5, 4, 4).toDoubleArray();
        v[1] = 0;              // row 0: one zero
        v[4] = 0;              // row 1: two zeros
        v[7] = 0;
        v[8] = 0; v[9] = 0; v[10] = 0; v[11] = 0; // row 2: all zeros; row 3: none
        Tensor x = Tensor.of(v).reshape(4, 4);
        Tensor oneZero = f(new double[] {1.5, 0, -0.7, 1.2});
        Tensor twoZeros = f(new double[] {1.5, 0, -0.7, 0});
        return Stream.of(
                c("prod rows with 1, 2, 4 and no zeros", w -> w.get(0).prod(new int[] {1}, false), x),
                c("prod rows keepdim with zeros", w -> w.get(0).prod(new int[] {1}, true), x),
                c("prod columns with zeros", w -> w.get(0).prod(new int[] {0}, false), x),
                c("prod columns with zeros, transposed view", w -> w.get(0).t().prod(new int[] {1}, false), x),
                c("prod() one zero", w -> w.get(0).prod(), oneZero),
                c("prod() two zeros", w -> w.get(0).prod(), twoZeros),
                c("prod() whole 4x4 with zeros", w -> w.get(0).prod(), x),
                c("prod over (0,1) of 3-D with one zero",
                        w -> w.get(0).reshape(2, 2, 4).prod(new int[] {0, 1}, false), x));
    }

    private static Tensor f(double[] v) {
        return Tensor.of(v);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void prodWithZeros(Case c) {
        run(c);
    }

    // =========================================================================================================
    // Views, joining, splitting
    // =========================================================================================================

    static Stream<Arguments> views() {
        TestData d = new TestData(2000);
        Tensor x = d.normal(2, 3, 4);
        Tensor m = d.normal(3, 4);
        Tensor w = d.normal(4);
        return Stream.of(
                c("reshape", v -> v.get(0).reshape(4, 6).tanh(), x),
                c("reshape -1", v -> v.get(0).reshape(-1, 2).sin(), x),
                c("reshape of transposed (copies)", v -> v.get(0).mT().reshape(6, 4).mul(v.get(0).reshape(6, 4)), x),
                c("view", v -> v.get(0).view(6, 4).exp(), x),
                c("permute", v -> v.get(0).permute(2, 0, 1).mul(v.get(1)), x, d.normal(4, 2, 3)),
                c("permute negative", v -> v.get(0).permute(-1, 0, -2).sin(), x),
                c("transpose", v -> v.get(0).transpose(0, 2).sin(), x),
                c("transpose negative axes", v -> v.get(0).transpose(-1, -3).cos(), x),
                c("t", v -> v.get(0).t().mul(v.get(1)), m, d.normal(4, 3)),
                c("t of 1-D", v -> v.get(0).t().exp(), w),
                c("mT", v -> v.get(0).mT().sin(), x),
                c("slice", v -> v.get(0).slice(2, 1, 3).exp(), x),
                c("slice with step", v -> v.get(0).slice(2, 0, 4, 3).exp(), x),
                c("slice with step 2, negative start", v -> v.get(0).slice(1, -3, 3, 2).sin(), x),
                c("slice of slice", v -> v.get(0).slice(2, 1, 4, 2).slice(1, 1, 3).tanh(), x),
                c("slice clamped end", v -> v.get(0).slice(0, 1, 10).sin(), m),
                c("narrow", v -> v.get(0).narrow(1, 1, 2).exp(), x),
                c("narrow negative axis", v -> v.get(0).narrow(-1, 2, 2).exp(), x),
                c("select", v -> v.get(0).select(1, 2).sin(), x),
                c("select negative index", v -> v.get(0).select(-1, -1).sin(), x),
                c("select to 0-d", v -> v.get(0).select(0, 2).exp(), w),
                c("expand", v -> v.get(0).expand(2, 3, 4).sin().mul(v.get(1)), w, d.normal(2, 3, 4)),
                c("expand size-1 axis", v -> v.get(0).expand(3, 5).sin(), d.normal(3, 1)),
                c("expand with -1", v -> v.get(0).expand(2, -1, 4).sin(), d.normal(3, 1)),
                c("squeeze", v -> v.get(0).squeeze().exp(), d.normal(1, 3, 1, 2)),
                c("squeeze(axis)", v -> v.get(0).squeeze(2).exp(), d.normal(1, 3, 1, 2)),
                c("unsqueeze", v -> v.get(0).unsqueeze(1).mul(v.get(1)), m, d.normal(3, 2, 4)),
                c("unsqueeze negative", v -> v.get(0).unsqueeze(-1).sin(), m),
                c("flatten", v -> v.get(0).flatten().sin(), x),
                c("flatten(start, end)", v -> v.get(0).flatten(1, 2).sin(), x),
                c("flatten of transposed", v -> v.get(0).mT().flatten().sin(), x),
                c("contiguous of transposed", v -> v.get(0).t().contiguous().mul(v.get(1)), m, d.normal(4, 3)),
                c("contiguous of stepped slice", v -> v.get(0).slice(1, 0, 4, 2).contiguous().exp(), m),
                c("contiguous of contiguous", v -> v.get(0).contiguous().exp(), m));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void views(Case c) {
        run(c);
    }

    static Stream<Arguments> joining() {
        TestData d = new TestData(2100);
        return Stream.of(
                c("cat axis 0", v -> Tensor.cat(0, v.get(0), v.get(1), v.get(2)).sin(), d.normal(2, 3),
                        d.normal(1, 3), d.normal(3, 3)),
                c("cat axis 1", v -> Tensor.cat(1, v.get(0), v.get(1)).exp(), d.normal(2, 3), d.normal(2, 2)),
                c("cat axis -1 with transposed part",
                        v -> Tensor.cat(-1, v.get(0).t(), v.get(1)).mul(v.get(2)), d.normal(2, 3),
                        d.normal(3, 1), d.normal(3, 3)),
                c("cat list, same leaf twice", v -> Tensor.cat(0, List.of(v.get(0), v.get(0).exp())).sin(),
                        d.normal(2, 2)),
                c("cat of 1-D", v -> Tensor.cat(0, v.get(0), v.get(1)).pow(2), d.normal(3), d.normal(4)),
                c("stack axis 0", v -> Tensor.stack(0, v.get(0), v.get(1)).sin(), d.normal(2, 3), d.normal(2, 3)),
                c("stack axis 1", v -> Tensor.stack(1, v.get(0), v.get(1), v.get(2)).exp(), d.normal(2, 2),
                        d.normal(2, 2), d.normal(2, 2)),
                c("stack axis -1 of sliced", v -> Tensor.stack(-1, List.of(v.get(0).slice(1, 0, 4, 2),
                        v.get(1))).sin(), d.normal(3, 4), d.normal(3, 2)),
                c("split(size)", v -> weighted(v.get(0).split(2, 1)), d.normal(3, 5)),
                c("split(sizes)", v -> weighted(v.get(0).split(new int[] {1, 3, 1}, 1)), d.normal(3, 5)),
                c("split axis 0 of transposed", v -> weighted(v.get(0).t().split(2, 0)), d.normal(3, 5)),
                c("split, one piece unused", v -> v.get(0).split(2, 0).get(1).exp(), d.normal(5, 2)),
                c("chunk", v -> weighted(v.get(0).chunk(3, 0)), d.normal(7, 2)),
                c("chunk axis -1", v -> weighted(v.get(0).chunk(2, -1)), d.normal(2, 5)));
    }

    /** Pieces mixed with different weights into one flat output, so each piece's gradient is distinct. */
    private static Tensor weighted(List<Tensor> parts) {
        List<Tensor> flat = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            flat.add(parts.get(i).mul(i + 1.5).sin().flatten());
        }
        return Tensor.cat(0, flat);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void joining(Case c) {
        run(c);
    }

    // =========================================================================================================
    // Indexing
    // =========================================================================================================

    static Stream<Arguments> indexing() {
        TestData d = new TestData(2200);
        Tensor rows = Tensor.of(new long[] {2, 0, 2, 1});       // repeated index: gradients add up
        Tensor cols = Tensor.of(new int[] {3, 3, 0});            // i32 index
        Tensor g2 = d.indices(4, 3, 4);                          // gather along 1 of [3,4]
        Tensor g0 = d.indices(3, 2, 4);                          // gather along 0 of [3,4], fewer rows
        Tensor gSmall = d.indices(5, 2, 2);                      // gather along 1 of [3,5] with a smaller index
        // scatter: unique targets per column (a permutation), so the result does not depend on write order
        Tensor perm = Tensor.stack(1, List.of(d.permutation(4), d.permutation(4), d.permutation(4)));
        Tensor permPart = perm.narrow(0, 0, 2);                  // index [2,3] into axis 0 of [4,3]
        Tensor addIdx = d.indices(4, 5, 3);                      // scatterAdd with duplicates
        Tensor emb = d.indices(5, 2, 3);
        Tensor emb1 = Tensor.of(new long[] {4, 4, 0});
        Tensor addIdx1 = d.indices(3, 2, 2);
        return Stream.of(
                c("indexSelect axis 0 repeated", v -> v.get(0).indexSelect(0, rows).sin(), d.normal(3, 4)),
                c("indexSelect axis 1 i32", v -> v.get(0).indexSelect(1, cols).sin(), d.normal(3, 4)),
                c("indexSelect axis -1 of transposed", v -> v.get(0).t().indexSelect(-1, rows.narrow(0, 0, 3))
                        .exp(), d.normal(4, 3)),
                c("indexSelect 3-D axis 1", v -> v.get(0).indexSelect(1, Tensor.of(new long[] {1, 1})).sin(),
                        d.normal(2, 3, 2)),
                c("gather axis 1", v -> v.get(0).gather(1, g2).sin(), d.normal(3, 4)),
                c("gather axis 0 smaller index", v -> v.get(0).gather(0, g0).sin(), d.normal(3, 4)),
                c("gather axis -1 smaller index", v -> v.get(0).gather(-1, gSmall).exp(), d.normal(3, 5)),
                c("gather of transposed", v -> v.get(0).t().gather(1, g2).sin(), d.normal(4, 3)),
                c("scatter", v -> v.get(0).scatter(0, perm, v.get(1)).sin(), d.normal(4, 3), d.normal(4, 3)),
                c("scatter partial (some x kept)", v -> v.get(0).scatter(0, permPart, v.get(1)).sin(),
                        d.normal(4, 3), d.normal(2, 3)),
                c("scatter src larger than index", v -> v.get(0).scatter(0, permPart, v.get(1)).sin(),
                        d.normal(4, 3), d.normal(3, 4)),
                c("scatterAdd with duplicates", v -> v.get(0).scatterAdd(0, addIdx, v.get(1)).sin(),
                        d.normal(4, 3), d.normal(5, 3)),
                c("scatterAdd axis 1 src larger", v -> v.get(0).scatterAdd(1, addIdx1, v.get(1)).exp(),
                        d.normal(2, 3), d.normal(3, 3)),
                c("scatterAdd transposed src", v -> v.get(0).scatterAdd(0, addIdx.narrow(0, 0, 3), v.get(1).t())
                        .sin(), d.normal(4, 3), d.normal(3, 3)),
                c("embedding", v -> Tensor.embedding(v.get(0), emb).sin(), d.normal(5, 3)),
                c("embedding 1-D indices, repeated", v -> Tensor.embedding(v.get(0), emb1).sin(), d.normal(5, 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void indexing(Case c) {
        run(c);
    }

    // =========================================================================================================
    // Matrix products
    // =========================================================================================================

    static Stream<Arguments> matmul() {
        TestData d = new TestData(2300);
        Function<List<Tensor>, Tensor> mm = v -> v.get(0).matmul(v.get(1));
        return Stream.of(
                c("1-D . 1-D", mm, d.normal(4), d.normal(4)),
                c("1-D . 2-D", mm, d.normal(3), d.normal(3, 4)),
                c("2-D . 1-D", mm, d.normal(3, 4), d.normal(4)),
                c("2-D . 2-D", mm, d.normal(3, 4), d.normal(4, 2)),
                c("batched 3-D", mm, d.normal(2, 3, 4), d.normal(2, 4, 2)),
                c("broadcast batch [2,1,3,4].[5,4,2]", mm, d.normal(2, 1, 3, 4), d.normal(5, 4, 2)),
                c("3-D . 2-D", mm, d.normal(2, 3, 4), d.normal(4, 2)),
                c("2-D . 3-D", mm, d.normal(3, 4), d.normal(2, 4, 2)),
                c("1-D . 3-D", mm, d.normal(4), d.normal(2, 4, 3)),
                c("3-D . 1-D", mm, d.normal(2, 3, 4), d.normal(4)),
                c("batch of 1 broadcast", mm, d.normal(1, 3, 4), d.normal(3, 4, 2)),
                c("transposed left", v -> v.get(0).mT().matmul(v.get(1)), d.normal(4, 3), d.normal(4, 2)),
                c("transposed right", v -> v.get(0).matmul(v.get(1).mT()), d.normal(3, 4), d.normal(2, 4)),
                c("both transposed", v -> v.get(0).t().matmul(v.get(1).t()), d.normal(4, 3), d.normal(2, 4)),
                c("batched transposed", v -> v.get(0).mT().matmul(v.get(1).permute(0, 2, 1)), d.normal(2, 4, 3),
                        d.normal(2, 2, 4)),
                c("stepped-slice operand", v -> v.get(0).slice(1, 0, 7, 2).matmul(v.get(1)), d.normal(3, 7),
                        d.normal(4, 2)),
                c("expanded operand", v -> v.get(0).expand(2, 3, 4).matmul(v.get(1)), d.normal(3, 4),
                        d.normal(2, 4, 2)),
                c("same leaf x.xT", v -> v.get(0).matmul(v.get(0).t()), d.normal(3, 4)),
                c("matmul chain with tanh", v -> v.get(0).matmul(v.get(1)).tanh().matmul(v.get(2)),
                        d.normal(2, 3), d.normal(3, 4), d.normal(4)),
                c("linear x.wT + b", v -> Tensor.linear(v.get(0), v.get(1), v.get(2)), d.normal(3, 4), d.normal(2, 4),
                        d.normal(2)),
                c("linear on [2, 3, 4] input", v -> Tensor.linear(v.get(0), v.get(1), v.get(2)), d.normal(2, 3, 4),
                        d.normal(5, 4), d.normal(5)),
                c("linear, transposed weight view", v -> Tensor.linear(v.get(0), v.get(1).t(), v.get(2)),
                        d.normal(3, 4), d.normal(4, 2), d.normal(2)),
                c("linear then tanh, twice", v -> Tensor.linear(Tensor.linear(v.get(0), v.get(1), v.get(2)).tanh(),
                        v.get(1).t().matmul(v.get(1)), v.get(2).sum(0).expand(4)), d.normal(3, 4), d.normal(4, 4),
                        d.normal(4)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void matmul(Case c) {
        run(c);
    }

    // =========================================================================================================
    // Convolution and pooling (batch 2, 2 channels, 5x5, 3x3 kernels)
    // =========================================================================================================

    static Stream<Arguments> convolution() {
        TestData d = new TestData(2500);
        List<Arguments> out = new ArrayList<>();
        Object[][] opts = {
                {"defaults", ConvOptions.defaults(), 3, 2},
                {"stride 2", ConvOptions.of(2, 0, 1, 1), 3, 2},
                {"padding 1", ConvOptions.of(1, 1, 1, 1), 3, 2},
                {"dilation 2 padding 1", ConvOptions.of(1, 1, 2, 1), 3, 2},
                {"groups 2", ConvOptions.of(1, 0, 1, 2), 4, 1},
                {"groups 2 stride 2 padding 1", ConvOptions.of(2, 1, 1, 2), 2, 1},
                {"asymmetric stride/pad/dilation", new ConvOptions(2, 1, 1, 0, 1, 2, 1), 2, 2},
        };
        for (Object[] o : opts) {
            ConvOptions co = (ConvOptions) o[1];
            int cout = (Integer) o[2];
            int cinPerGroup = (Integer) o[3];
            out.add(c("conv2d " + o[0] + " with bias", v -> Tensor.conv2d(v.get(0), v.get(1), v.get(2), co),
                    d.normal(2, 2, 5, 5), d.normal(cout, cinPerGroup, 3, 3), d.normal(cout)));
            out.add(c("conv2d " + o[0] + " no bias", v -> Tensor.conv2d(v.get(0), v.get(1), null, co),
                    d.normal(2, 2, 5, 5), d.normal(cout, cinPerGroup, 3, 3)));
        }
        out.add(c("conv2d 2x3 kernel, non-square input", v -> Tensor.conv2d(v.get(0), v.get(1), v.get(2),
                ConvOptions.of(1, 1, 1, 1)), d.normal(2, 2, 4, 5), d.normal(3, 2, 2, 3), d.normal(3)));
        out.add(c("conv2d of transposed (non-contiguous) input and weight",
                v -> Tensor.conv2d(v.get(0).transpose(2, 3), v.get(1).transpose(2, 3), v.get(2),
                        ConvOptions.of(1, 1, 1, 1)), d.normal(2, 2, 5, 5), d.normal(3, 2, 3, 3), d.normal(3)));
        out.add(c("conv2d of channel-sliced input", v -> Tensor.conv2d(v.get(0).slice(1, 0, 4, 2), v.get(1),
                null, ConvOptions.defaults()), d.normal(2, 4, 5, 5), d.normal(2, 2, 3, 3)));
        out.add(c("conv2d same leaf as input and weight", v -> Tensor.conv2d(v.get(0), v.get(0), null,
                ConvOptions.defaults()), d.normal(2, 2, 3, 3)));
        // conv1d
        out.add(c("conv1d with bias", v -> Tensor.conv1d(v.get(0), v.get(1), v.get(2), ConvOptions.defaults()),
                d.normal(2, 2, 7), d.normal(3, 2, 3), d.normal(3)));
        out.add(c("conv1d stride 2 padding 1", v -> Tensor.conv1d(v.get(0), v.get(1), null, ConvOptions.of(2, 1, 1, 1)),
                d.normal(2, 2, 7), d.normal(3, 2, 3)));
        out.add(c("conv1d dilation 2", v -> Tensor.conv1d(v.get(0), v.get(1), v.get(2), ConvOptions.of(1, 2, 2, 1)),
                d.normal(2, 2, 7), d.normal(2, 2, 3), d.normal(2)));
        out.add(c("conv1d groups 2", v -> Tensor.conv1d(v.get(0), v.get(1), v.get(2), ConvOptions.of(1, 1, 1, 2)),
                d.normal(2, 2, 7), d.normal(4, 1, 3), d.normal(4)));
        out.add(c("conv1d of transposed input", v -> Tensor.conv1d(v.get(0).transpose(1, 2), v.get(1), null,
                ConvOptions.defaults()), d.normal(2, 7, 2), d.normal(3, 2, 3)));
        // transposed convolution (recorded as conv2d's input gradient; weight [C_in, C_out / groups, k...])
        out.add(c("convTranspose2d with bias", v -> Tensor.convTranspose2d(v.get(0), v.get(1), v.get(2),
                ConvOptions.defaults(), 0, 0), d.normal(2, 2, 3, 4), d.normal(2, 3, 3, 2), d.normal(3)));
        out.add(c("convTranspose2d stride 2 padding 1 output padding (1, 0)", v -> Tensor.convTranspose2d(v.get(0),
                v.get(1), v.get(2), ConvOptions.of(2, 1, 1, 1), 1, 0), d.normal(2, 2, 3, 3), d.normal(2, 2, 3, 3),
                d.normal(2)));
        out.add(c("convTranspose2d groups 2 dilation (2, 1) stride (1, 3)", v -> Tensor.convTranspose2d(v.get(0),
                v.get(1), null, new ConvOptions(1, 3, 0, 1, 2, 1, 2), 0, 2), d.normal(1, 4, 3, 3),
                d.normal(4, 1, 2, 3)));
        out.add(c("convTranspose2d output padding beyond the stride (below the dilation)",
                v -> Tensor.convTranspose2d(v.get(0), v.get(1), v.get(2), new ConvOptions(1, 1, 1, 0, 3, 2, 1), 2, 1),
                d.normal(1, 2, 3, 2), d.normal(2, 2, 2, 2), d.normal(2)));
        out.add(c("convTranspose2d of transposed (non-contiguous) input", v -> Tensor.convTranspose2d(
                v.get(0).transpose(2, 3), v.get(1), null, ConvOptions.of(2, 0, 1, 1), 1, 1), d.normal(1, 2, 4, 3),
                d.normal(2, 2, 2, 2)));
        out.add(c("convTranspose1d stride 2 groups 2 output padding 1", v -> Tensor.convTranspose1d(v.get(0),
                v.get(1), v.get(2), ConvOptions.of(2, 1, 1, 2), 1), d.normal(2, 4, 5), d.normal(4, 2, 3),
                d.normal(4)));
        return out.stream();
    }

    /** Gradients of gradients through the transposed convolution (its rules are conv2d's and the weight
     *  gradient's, each with rules of its own). */
    @Test
    void convTransposeSecondOrder() {
        TestData d = new TestData(2550);
        GradCheck.assertSecondOrder(v -> Tensor.convTranspose2d(v.get(0), v.get(1), v.get(2),
                ConvOptions.of(2, 1, 1, 1), 1, 0), d.normal(1, 2, 3, 3), d.normal(2, 2, 3, 3), d.normal(2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void convolution(Case c) {
        run(c);
    }

    static Stream<Arguments> pooling() {
        TestData d = new TestData(2600);
        List<Arguments> out = new ArrayList<>();
        Object[][] opts = {
                {"kernel 2", PoolOptions.of(2)},
                {"kernel 3 stride 2 padding 1", PoolOptions.of(3, 2, 1)},
                {"kernel 3 stride 1 (overlapping)", PoolOptions.of(3, 1, 0)},
                {"kernel 2 ceil mode", new PoolOptions(2, 2, 2, 2, 0, 0, 1, 1, true, true)},
                {"kernel 3 stride 2 pad 1 ceil, pad not counted", new PoolOptions(3, 3, 2, 2, 1, 1, 1, 1, true, false)},
                {"dilation 2", new PoolOptions(2, 2, 1, 1, 0, 0, 2, 2, false, true)},
                {"2x3 window, stride 1x2", new PoolOptions(2, 3, 1, 2, 1, 1, 1, 1, false, false)},
        };
        for (Object[] o : opts) {
            PoolOptions po = (PoolOptions) o[1];
            out.add(c("maxPool2d " + o[0], v -> v.get(0).maxPool2d(po).values(), d.normal(2, 2, 5, 5)));
            if (po.dilationH() == 1 && po.dilationW() == 1) {
                out.add(c("avgPool2d " + o[0], v -> v.get(0).avgPool2d(po), d.normal(2, 2, 5, 5)));
            }
        }
        out.add(c("maxPool2d of transposed input", v -> v.get(0).transpose(2, 3).maxPool2d(PoolOptions.of(2))
                .values(), d.normal(2, 2, 5, 4)));
        out.add(c("avgPool2d of transposed input", v -> v.get(0).transpose(2, 3).avgPool2d(PoolOptions.of(3, 2, 1)),
                d.normal(2, 2, 5, 4)));
        out.add(c("maxPool2dValues (indices only while recording)", v -> v.get(0).maxPool2dValues(PoolOptions.of(2)),
                d.normal(2, 2, 5, 6)));
        out.add(c("maxPool1dValues", v -> v.get(0).maxPool1dValues(PoolOptions.of(2)), d.normal(2, 2, 7)));
        out.add(c("maxPool1d", v -> v.get(0).maxPool1d(PoolOptions.of(2)).values(), d.normal(2, 2, 7)));
        out.add(c("maxPool1d k3 s2 p1 ceil", v -> v.get(0).maxPool1d(PoolOptions.of(3).stride(2).padding(1).ceilMode(true)).values(), d.normal(2, 2, 7)));
        out.add(c("maxPool1d dilation 2", v -> v.get(0).maxPool1d(PoolOptions.of(2).stride(1).dilation(2)).values(), d.normal(2, 2, 7)));
        out.add(c("avgPool1d", v -> v.get(0).avgPool1d(PoolOptions.of(2)), d.normal(2, 2, 7)));
        out.add(c("avgPool1d k3 s2 p1 ceil, pad not counted", v -> v.get(0).avgPool1d(PoolOptions.of(3).stride(2).padding(1).ceilMode(true).countIncludePad(false)),
                d.normal(2, 2, 7)));
        out.add(c("conv2d + relu + maxPool2d + linear", v -> {
            Tensor h = Tensor.conv2d(v.get(0), v.get(1), v.get(2), ConvOptions.of(1, 1, 1, 1)).tanh();
            Tensor p = h.maxPool2d(PoolOptions.of(2)).values();
            return p.flatten(1, 3).matmul(v.get(3));
        }, d.normal(2, 1, 4, 4), d.normal(2, 1, 3, 3), d.normal(2), d.normal(8, 3)));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void pooling(Case c) {
        run(c);
    }

    // =========================================================================================================
    // Composites: several ops chained, as layers use them
    // =========================================================================================================

    static Stream<Arguments> composites() {
        TestData d = new TestData(2400);
        TestData e = new TestData(2401);
        Tensor labels = Tensor.of(new long[] {2, 0, 1});
        return Stream.of(
                c("linear + tanh + layer-norm-like", v -> {
                    Tensor h = v.get(0).matmul(v.get(1)).add(v.get(2)).tanh();
                    Tensor mu = h.mean(new int[] {-1}, true);
                    Tensor sd = h.var(new int[] {-1}, 0, true).add(1e-5).rsqrt();
                    return h.sub(mu).mul(sd);
                }, e.normal(3, 4), e.normal(4, 5).mul(0.5), e.normal(5)),
                c("linear + gelu + layer-norm-like (gelu inputs below 3.5)", v -> {
                    Tensor h = v.get(0).matmul(v.get(1)).add(v.get(2)).gelu();
                    Tensor mu = h.mean(new int[] {-1}, true);
                    Tensor sd = h.var(new int[] {-1}, 0, true).add(1e-5).rsqrt();
                    return h.sub(mu).mul(sd);
                }, e.normal(3, 4).mul(0.4), e.normal(4, 5).mul(0.4), e.normal(5).mul(0.4)),
                c("linear + gelu + layer-norm-like", v -> {
                    Tensor h = v.get(0).matmul(v.get(1)).add(v.get(2)).gelu();
                    Tensor mu = h.mean(new int[] {-1}, true);
                    Tensor sd = h.var(new int[] {-1}, 0, true).add(1e-5).rsqrt();
                    return h.sub(mu).mul(sd);
                }, d.normal(3, 4), d.normal(4, 5), d.normal(5)),
                c("cross entropy via logSoftmax + gather", v -> v.get(0).logSoftmax(1)
                        .gather(1, labels.unsqueeze(1)).mean().neg(), d.normal(3, 4)),
                c("attention-like", v -> {
                    Tensor q = v.get(0);
                    Tensor k = v.get(1);
                    Tensor att = q.matmul(k.mT()).mul(0.5).softmax(-1);
                    return att.matmul(v.get(2));
                }, d.normal(2, 3, 2), d.normal(2, 3, 2), d.normal(2, 3, 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void composites(Case c) {
        run(c);
    }
}
