package dev.deneb.tensor;

import static dev.deneb.tensor.testing.Cases.assertBitwise;
import static dev.deneb.tensor.testing.Cases.assertExact;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.testing.Cases;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Package A's ops against hand-checked values (PyTorch's semantics) and independent formulas, on both CPU backends:
 * floor/ceil/round/trunc, remainder/fmod, isnan/isinf/isfinite, nanToNum and any/all; special values (NaN, ±inf,
 * -0.0, ties), integer dtypes, empty and 0-D tensors, and non-contiguous inputs (transposed, stepped, expanded).
 */
class ElementwiseOpsTest {
    static final double NAN = Double.NaN;
    static final double INF = Double.POSITIVE_INFINITY;

    static Stream<Backend> backends() {
        return Stream.of(Backends.reference(), Backends.cpu());
    }

    static Tensor f64(Backend be, double... v) {
        return Cases.upload(be, v, v.length);
    }

    static Tensor f32(Backend be, double... v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return Cases.upload(be, f, f.length);
    }

    static Tensor i64(Backend be, long... v) {
        return Cases.upload(be, v, v.length);
    }

    static Tensor i32(Backend be, int... v) {
        return Cases.upload(be, v, v.length);
    }

    static Tensor bools(Backend be, boolean... v) {
        return Cases.upload(be, v, v.length);
    }

    // =========================================================================================================
    // Rounding
    // =========================================================================================================

    static final double[] ROUNDING_IN = {-2.5, -1.5, -0.5, -0.4, -0.0, 0.0, 0.4, 0.5, 1.5, 2.5, 2.6, -2.6, 7.0,
        NAN, INF, -INF, 1e300, -1e300, 4503599627370497.0};
    // Hand-checked (C floor/ceil/rint/trunc): ties to even for round, -0.0 kept where C keeps it.
    static final double[] FLOOR = {-3, -2, -1, -1, -0.0, 0.0, 0, 0, 1, 2, 2, -3, 7, NAN, INF, -INF, 1e300, -1e300,
        4503599627370497.0};
    static final double[] CEIL = {-2, -1, -0.0, -0.0, -0.0, 0.0, 1, 1, 2, 3, 3, -2, 7, NAN, INF, -INF, 1e300, -1e300,
        4503599627370497.0};
    static final double[] ROUND = {-2, -2, -0.0, -0.0, -0.0, 0.0, 0, 0, 2, 2, 3, -3, 7, NAN, INF, -INF, 1e300, -1e300,
        4503599627370497.0};
    static final double[] TRUNC = {-2, -1, -0.0, -0.0, -0.0, 0.0, 0, 0, 1, 2, 2, -2, 7, NAN, INF, -INF, 1e300, -1e300,
        4503599627370497.0};

    @ParameterizedTest
    @MethodSource("backends")
    void roundingOnSpecialValuesAndTiesF64(Backend be) {
        Tensor x = f64(be, ROUNDING_IN);
        assertBitwise(f64(be, FLOOR), x.floor(), "floor");
        assertBitwise(f64(be, CEIL), x.ceil(), "ceil");
        assertBitwise(f64(be, ROUND), x.round(), "round");
        assertBitwise(f64(be, TRUNC), x.trunc(), "trunc");
        assertSame(be, x.floor().backend());
    }

    /** f32, long enough (39 elements) that the fast backend runs whole vector-width blocks of the scalar loop. */
    @ParameterizedTest
    @MethodSource("backends")
    void roundingF32(Backend be) {
        double[] in = ROUNDING_IN.clone();
        in[in.length - 1] = 8388609.5;   // above 2^23 every f32 is whole; 8388609.5 itself rounds to 8388610 in f32
        double[][] expected = {FLOOR.clone(), CEIL.clone(), ROUND.clone(), TRUNC.clone()};
        for (double[] e : expected) {
            e[e.length - 1] = 8388610;
            e[16] = (float) 1e300;       // inf in f32
            e[17] = (float) -1e300;
        }
        Tensor x = Tensor.cat(0, f32(be, in), f32(be, in)).slice(0, 0, 39, 1);
        x = Tensor.cat(0, x, f32(be, 0.5)); // 39 elements: not a multiple of any vector width
        UnaryOperator<Tensor>[] ops = ops();
        for (int k = 0; k < 4; k++) {
            double[] want = new double[39];
            for (int i = 0; i < 38; i++) {
                want[i] = expected[k][i % in.length];
            }
            want[38] = new double[] {0, 1, 0, 0}[k];
            Tensor got = ops[k].apply(x);
            assertEquals(DType.F32, got.dtype());
            assertBitwise(f32(be, want), got, "op " + k);
        }
    }

    @SuppressWarnings("unchecked")
    static UnaryOperator<Tensor>[] ops() {
        return new UnaryOperator[] {(UnaryOperator<Tensor>) Tensor::floor, (UnaryOperator<Tensor>) Tensor::ceil,
            (UnaryOperator<Tensor>) Tensor::round, (UnaryOperator<Tensor>) Tensor::trunc};
    }

    @ParameterizedTest
    @MethodSource("backends")
    void roundingKeepsIntegersUnchanged(Backend be) {
        long[] v = {Long.MIN_VALUE, -7, -1, 0, 1, 9, Long.MAX_VALUE};
        int[] w = {Integer.MIN_VALUE, -3, 0, 5, Integer.MAX_VALUE};
        for (UnaryOperator<Tensor> op : ops()) {
            Tensor r = op.apply(i64(be, v));
            assertEquals(DType.I64, r.dtype());
            assertArrayEquals(v, r.toLongArray());
            Tensor q = op.apply(i32(be, w));
            assertEquals(DType.I32, q.dtype());
            assertArrayEquals(w, q.toIntArray());
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void roundingOnViewsEmptyAnd0D(Backend be) {
        Random r = new Random(11);
        Tensor base = Cases.fromDoubles(be, DType.F32, new int[] {6, 5}, values(r, 30, 4));
        for (UnaryOperator<Tensor> op : ops()) {
            assertBitwise(op.apply(base.contiguous()).t(), op.apply(base.t()), "transposed");
            assertBitwise(op.apply(base.contiguous()).slice(1, 1, 5, 2), op.apply(base.slice(1, 1, 5, 2)), "stepped");
            Tensor row = base.select(0, 2);
            assertBitwise(op.apply(row).unsqueeze(0).expand(3, 5).contiguous(),
                    op.apply(row.unsqueeze(0).expand(3, 5)), "expanded");
            assertArrayEquals(new int[] {0, 3}, op.apply(Tensor.empty(be, DType.F64, 0, 3)).shape());
            Tensor s = Tensor.empty(be, DType.F64);
            be.fill(s, -2.5);
            assertEquals(0, op.apply(s).dim());
        }
        Tensor s = Tensor.empty(be, DType.F64);
        be.fill(s, -2.5);
        assertEquals(-3.0, s.floor().item());
        assertEquals(-2.0, s.round().item());
    }

    /** Values on a grid of quarters in [-scale, scale], so ties and whole numbers are common. */
    static double[] values(Random r, int n, int scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (r.nextInt(8 * scale + 1) - 4 * scale) / 4.0;
        }
        return v;
    }

    // =========================================================================================================
    // remainder and fmod
    // =========================================================================================================

    // {a, b, remainder(a, b), fmod(a, b)}, hand-checked against Python's % and C's fmod
    static final double[][] MOD_TABLE = {
        {5.5, 2, 1.5, 1.5},
        {-5.5, 2, 0.5, -1.5},
        {5.5, -2, -0.5, 1.5},
        {-5.5, -2, -1.5, -1.5},
        {6, 3, 0.0, 0.0},
        {-6, 3, -0.0, -0.0},      // the sign of the exact fmod, as PyTorch's CPU kernel keeps it
        {-0.0, 2, -0.0, -0.0},
        {0.0, -2, 0.0, 0.0},
        {7.5, 2.5, 0.0, 0.0},
        {1, 0, NAN, NAN},
        {-1, -0.0, NAN, NAN},
        {0, 0, NAN, NAN},
        {INF, 2, NAN, NAN},
        {5, INF, 5, 5},
        {-5, INF, INF, -5},
        {5, -INF, -INF, 5},
        {NAN, 1, NAN, NAN},
        {1, NAN, NAN, NAN},
        {1e300, 3, 1e300 % 3, 1e300 % 3},
    };

    @ParameterizedTest
    @MethodSource("backends")
    void remainderAndFmodOnFloatsByHand(Backend be) {
        for (DType t : Cases.FLOAT_DTYPES) {
            double[] a = new double[MOD_TABLE.length];
            double[] b = new double[MOD_TABLE.length];
            double[] rem = new double[MOD_TABLE.length];
            double[] fm = new double[MOD_TABLE.length];
            for (int i = 0; i < MOD_TABLE.length; i++) {
                a[i] = MOD_TABLE[i][0];
                b[i] = MOD_TABLE[i][1];
                rem[i] = MOD_TABLE[i][2];
                fm[i] = MOD_TABLE[i][3];
            }
            Tensor ta = f64(be, a).to(t);
            Tensor tb = f64(be, b).to(t);
            if (t == DType.F64) {
                assertBitwise(f64(be, rem), ta.remainder(tb), "remainder f64");
                assertBitwise(f64(be, fm), ta.fmod(tb), "fmod f64");
            } else {
                // 1e300 is inf in f32: inf % 3 is NaN
                rem[rem.length - 1] = NAN;
                fm[fm.length - 1] = NAN;
                assertBitwise(f32(be, rem), ta.remainder(tb), "remainder f32");
                assertBitwise(f32(be, fm), ta.fmod(tb), "fmod f32");
            }
        }
    }

    /** Against {@code a - floor(a/b)·b} and {@code a - trunc(a/b)·b}, exact on quarters and halves. */
    @ParameterizedTest
    @MethodSource("backends")
    void remainderAndFmodMatchTheirDefinitions(Backend be) {
        Random r = new Random(5);
        int n = 203;
        double[] a = values(r, n, 20);
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            do {
                b[i] = (r.nextInt(33) - 16) / 2.0;
            } while (b[i] == 0);
        }
        double[] rem = new double[n];
        double[] fm = new double[n];
        for (int i = 0; i < n; i++) {
            double q = a[i] / b[i];
            rem[i] = a[i] - Math.floor(q) * b[i];
            fm[i] = a[i] - (q < 0 ? Math.ceil(q) : Math.floor(q)) * b[i];
        }
        for (DType t : Cases.FLOAT_DTYPES) {
            Tensor ta = Cases.fromDoubles(be, t, new int[] {n}, a);
            Tensor tb = Cases.fromDoubles(be, t, new int[] {n}, b);
            // -0.0 and 0.0 are both right here (the definitions do not fix the sign of a zero result)
            assertExact(Cases.fromDoubles(be, t, new int[] {n}, rem), ta.remainder(tb), "remainder " + t);
            assertExact(Cases.fromDoubles(be, t, new int[] {n}, fm), ta.fmod(tb), "fmod " + t);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void remainderAndFmodOnIntegersMatchFloorModAndPercent(Backend be) {
        Random r = new Random(9);
        int n = 300;
        long[] a = new long[n];
        long[] b = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = i % 3 == 0 ? r.nextLong() : r.nextInt(41) - 20;
            do {
                b[i] = i % 5 == 0 ? r.nextLong() : r.nextInt(15) - 7;
            } while (b[i] == 0);
        }
        a[0] = Long.MIN_VALUE;
        b[0] = -1;                 // Java's % gives 0, where C would overflow
        a[1] = Long.MIN_VALUE;
        b[1] = 3;
        a[2] = Long.MAX_VALUE;
        b[2] = Long.MIN_VALUE;
        long[] rem = new long[n];
        long[] fm = new long[n];
        for (int i = 0; i < n; i++) {
            rem[i] = Math.floorMod(a[i], b[i]);
            fm[i] = a[i] % b[i];
        }
        Tensor ta = i64(be, a);
        Tensor tb = i64(be, b);
        assertEquals(DType.I64, ta.remainder(tb).dtype());
        assertArrayEquals(rem, ta.remainder(tb).toLongArray());
        assertArrayEquals(fm, ta.fmod(tb).toLongArray());
        // i32 (small values, so the int and long answers agree)
        int[] ai = new int[n];
        int[] bi = new int[n];
        int[] remI = new int[n];
        int[] fmI = new int[n];
        for (int i = 0; i < n; i++) {
            ai[i] = r.nextInt(201) - 100;
            do {
                bi[i] = r.nextInt(21) - 10;
            } while (bi[i] == 0);
            remI[i] = Math.floorMod(ai[i], bi[i]);
            fmI[i] = ai[i] % bi[i];
        }
        Tensor tai = i32(be, ai);
        Tensor tbi = i32(be, bi);
        assertEquals(DType.I32, tai.fmod(tbi).dtype());
        assertArrayEquals(remI, tai.remainder(tbi).toIntArray());
        assertArrayEquals(fmI, tai.fmod(tbi).toIntArray());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void remainderWithScalarsBroadcastAndPromotion(Backend be) {
        Tensor x = i64(be, -7, -1, 0, 4, 9);
        assertArrayEquals(new long[] {2, 2, 0, 1, 0}, x.remainder(3).toLongArray());
        assertArrayEquals(new long[] {-1, -1, 0, -2, 0}, x.remainder(-3).toLongArray());
        assertArrayEquals(new long[] {-1, -1, 0, 1, 0}, x.fmod(3).toLongArray());
        // a fractional scalar makes an integer tensor f32, as PyTorch does
        Tensor fr = x.remainder(2.5);
        assertEquals(DType.F32, fr.dtype());
        assertArrayEquals(new float[] {0.5f, 1.5f, 0, 1.5f, 1.5f}, fr.toFloatArray());
        // bool operands compute on i64
        Tensor bo = bools(be, true, false, true).remainder(i64(be, 2, 3, -2));
        assertEquals(DType.I64, bo.dtype());
        assertArrayEquals(new long[] {1, 0, -1}, bo.toLongArray());
        // i32 with f64: f64
        Tensor mixed = i32(be, 7, -7).fmod(f64(be, 2.5));
        assertEquals(DType.F64, mixed.dtype());
        assertArrayEquals(new double[] {2, -2}, mixed.toDoubleArray());
        // broadcasting [2, 1] with [3], transposed and stepped operands
        Tensor col = f64(be, 5.5, -5.5).reshape(2, 1);
        Tensor row = f64(be, 2, -2, 4);
        assertArrayEquals(new double[] {1.5, -0.5, 1.5, 0.5, -1.5, 2.5}, col.remainder(row).toDoubleArray());
        Tensor m = f64(be, 1, 2, 3, 4, 5, 6).reshape(2, 3);
        Tensor d = f64(be, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4).reshape(3, 4).slice(1, 0, 4, 2);
        assertArrayEquals(new double[] {1, 0, 2, 1, 3, 2}, m.t().fmod(d).contiguous().toDoubleArray());
        Tensor e = f64(be, 3).expand(2, 3);
        assertArrayEquals(new double[] {1, 2, 0, 1, 2, 0}, m.remainder(e).toDoubleArray());
        // empty and 0-D
        assertArrayEquals(new int[] {0, 3}, Tensor.empty(be, DType.F32, 0, 3).remainder(row.to(DType.F32)).shape());
        Tensor z = Tensor.empty(be, DType.F64);
        be.fill(z, -7);
        assertEquals(1.0, z.remainder(2).item());
        assertEquals(-1.0, z.fmod(2).item());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void integerDivisionByZeroIsRefusedNamingTheOpAndPlace(Backend be) {
        Tensor a = i64(be, 1, 2, 3, 4, 5, 6).reshape(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.remainder(i64(be, 1, 2, 3, 4, 0, 6).reshape(2, 3)));
        assertTrue(e.getMessage().startsWith("remainder: integer division by zero"), e.getMessage());
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("0 at [1, 1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.fmod(0));
        assertTrue(e.getMessage().startsWith("fmod: integer division by zero"), e.getMessage());
        // -0.0 is a whole number: an integer zero divisor
        e = assertThrows(IllegalArgumentException.class, () -> a.remainder(-0.0));
        assertTrue(e.getMessage().startsWith("remainder"), e.getMessage());
        // broadcast divisor, i32, and bool (false is 0)
        e = assertThrows(IllegalArgumentException.class, () -> a.to(DType.I32).fmod(i32(be, 3, 1, 0)));
        assertTrue(e.getMessage().contains("i32 of shape [3]") && e.getMessage().contains("at [2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.remainder(bools(be, true, false, true)));
        assertTrue(e.getMessage().contains("bool"), e.getMessage());
        // nothing to compute: no error, as in PyTorch
        assertEquals(0, Tensor.empty(be, DType.I64, 0, 3).remainder(i64(be, 0, 1, 2)).numel());
        // floats divide by zero into NaN
        assertTrue(Double.isNaN(a.to(DType.F32).remainder(0).toDoubleArray()[0]));
        // the reference kernel itself refuses too (a backend may be called directly)
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class,
                () -> Backends.reference().binary(BinaryOp.FMOD, i64(be, 1).to(Backends.reference()),
                        i64(be, 0).to(Backends.reference())));
        assertTrue(k.getMessage().startsWith("fmod: integer division by zero"), k.getMessage());
    }

    // =========================================================================================================
    // isnan, isinf, isfinite, nanToNum
    // =========================================================================================================

    @ParameterizedTest
    @MethodSource("backends")
    void specialValueMasks(Backend be) {
        double[] v = {1, NAN, INF, -INF, -0.0, 0, -3.5, 1e308};
        for (DType t : Cases.FLOAT_DTYPES) {
            Tensor x = f64(be, v).to(t);
            assertArrayEquals(new boolean[] {false, true, false, false, false, false, false, false},
                    x.isnan().toBooleanArray());
            // 1e308 is inf in f32
            boolean big = t == DType.F32;
            assertArrayEquals(new boolean[] {false, false, true, true, false, false, false, big},
                    x.isinf().toBooleanArray());
            assertArrayEquals(new boolean[] {true, false, false, false, true, true, true, !big},
                    x.isfinite().toBooleanArray());
            assertEquals(DType.BOOL, x.isnan().dtype());
            // views
            Tensor m = x.reshape(2, 4);
            assertArrayEquals(new boolean[] {false, false, true, false, false, false, false, false},
                    m.t().isnan().toBooleanArray());
            assertArrayEquals(new boolean[] {true, true}, m.slice(1, 2, 4, 1).select(0, 0).isinf().toBooleanArray());
            assertArrayEquals(new boolean[] {true, true, true}, x.slice(0, 1, 2, 1).expand(3).isnan()
                    .toBooleanArray());
        }
        for (Tensor ints : new Tensor[] {i64(be, 1, 0, -1), i32(be, 5, 6, 7), bools(be, true, false, true)}) {
            assertArrayEquals(new boolean[3], ints.isnan().toBooleanArray());
            assertArrayEquals(new boolean[3], ints.isinf().toBooleanArray());
            assertArrayEquals(new boolean[] {true, true, true}, ints.isfinite().toBooleanArray());
            assertSame(be, ints.isfinite().backend());
        }
        assertEquals(0, Tensor.empty(be, DType.F32, 0).isnan().numel());
        assertEquals(0, Tensor.empty(be, DType.F32).isnan().dim());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void nanToNumWithDefaultsAndGivenValues(Backend be) {
        double[] v = {NAN, INF, -INF, -0.0, 2.5};
        Tensor x64 = f64(be, v);
        assertBitwise(f64(be, 0, Double.MAX_VALUE, -Double.MAX_VALUE, -0.0, 2.5), x64.nanToNum(), "f64 defaults");
        Tensor x32 = x64.to(DType.F32);
        assertBitwise(f32(be, 0, Float.MAX_VALUE, -Float.MAX_VALUE, -0.0, 2.5), x32.nanToNum(), "f32 defaults");
        assertEquals(DType.F32, x32.nanToNum().dtype());
        assertBitwise(f64(be, -1, 9, -9, -0.0, 2.5), x64.nanToNum(-1, 9, -9), "given");
        // the given values are converted to the dtype: 1e300 is inf in f32
        assertBitwise(f32(be, 7, INF, -1, -0.0, 2.5), x32.nanToNum(7, 1e300, -1), "f32 overflow");
        // views
        assertBitwise(f64(be, 0, -Double.MAX_VALUE), x64.slice(0, 0, 4, 2).nanToNum(), "stepped");
        assertBitwise(f64(be, Double.MAX_VALUE, Double.MAX_VALUE), x64.slice(0, 1, 2, 1).expand(2).nanToNum(),
                "expanded");
        Tensor m = f64(be, NAN, 1, INF, 2).reshape(2, 2);
        assertArrayEquals(new double[] {0, 5, 1, 2}, m.t().nanToNum(0, 5, 0).contiguous().toDoubleArray());
        // integers: a copy
        Tensor i = i64(be, 3, -4);
        Tensor ic = i.nanToNum();
        assertEquals(DType.I64, ic.dtype());
        assertArrayEquals(new long[] {3, -4}, ic.toLongArray());
        assertTrue(ic.storage() != i.storage(), "a copy, not the same storage");
    }

    // =========================================================================================================
    // any, all
    // =========================================================================================================

    @ParameterizedTest
    @MethodSource("backends")
    void anyAndAllOverEverythingAndAxes(Backend be) {
        Tensor x = f64(be, 0, 0, 1, 5, 2, 3, 0, 0, 0).reshape(3, 3);
        assertEquals(DType.BOOL, x.any().dtype());
        assertEquals(0, x.any().dim());
        assertTrue(x.any().toBooleanArray()[0]);
        assertTrue(!x.all().toBooleanArray()[0]);
        assertTrue(x.narrow(0, 1, 1).all().toBooleanArray()[0]);
        assertTrue(!x.narrow(0, 2, 1).any().toBooleanArray()[0]);
        assertArrayEquals(new boolean[] {true, true, false}, x.any(new int[] {1}, false).toBooleanArray());
        assertArrayEquals(new boolean[] {false, true, false}, x.all(new int[] {-1}, false).toBooleanArray());
        assertArrayEquals(new boolean[] {true, true, true}, x.any(new int[] {0}, false).toBooleanArray());
        assertArrayEquals(new boolean[] {false, false, true}, x.narrow(0, 0, 2).all(new int[] {-2}, false)
                .toBooleanArray());
        assertArrayEquals(new int[] {3, 1}, x.any(new int[] {1}, true).shape());
        assertArrayEquals(new boolean[] {true, true, false}, x.any(new int[] {1}, true).toBooleanArray());
        assertArrayEquals(new int[] {1, 1}, x.all(new int[] {0, 1}, true).shape());
        assertArrayEquals(new int[] {}, x.all(new int[0], false).shape());
        // views: transposed, stepped and expanded
        assertArrayEquals(new boolean[] {false, true, false}, x.t().all(new int[] {0}, false).toBooleanArray());
        assertArrayEquals(new boolean[] {true, true, false}, x.t().any(new int[] {0}, false).toBooleanArray());
        assertArrayEquals(new boolean[] {false, true, false}, x.slice(1, 0, 3, 2).all(new int[] {1}, false)
                .toBooleanArray());
        assertArrayEquals(new boolean[] {false, false}, x.select(0, 2).expand(2, 3).any(new int[] {1}, false)
                .toBooleanArray());
        // NaN and -0.0: NaN is true, -0.0 is false
        Tensor s = f64(be, NAN, -0.0);
        assertArrayEquals(new boolean[] {true}, s.slice(0, 0, 1, 1).all().reshape(1).toBooleanArray());
        assertArrayEquals(new boolean[] {false}, s.slice(0, 1, 2, 1).any().reshape(1).toBooleanArray());
        // integer, bool and f32 inputs
        assertTrue(i64(be, 0, 0, -5).any().item() == 1);
        assertTrue(i32(be, 1, 2, 3).all().item() == 1);
        assertTrue(bools(be, true, false).any().item() == 1 && bools(be, true, false).all().item() == 0);
        assertTrue(f32(be, 0.5f, -1).all().item() == 1);
        // empty: any is false, all is true; over an empty axis, per remaining element
        Tensor empty = Tensor.empty(be, DType.F32, 2, 0);
        assertEquals(0.0, empty.any().item());
        assertEquals(1.0, empty.all().item());
        assertArrayEquals(new boolean[] {false, false}, empty.any(new int[] {1}, false).toBooleanArray());
        assertArrayEquals(new boolean[] {true, true}, empty.all(new int[] {1}, false).toBooleanArray());
        assertArrayEquals(new int[] {0}, empty.all(new int[] {0}, false).shape());
        // 0-D
        Tensor z = Tensor.empty(be, DType.I32);
        assertEquals(0.0, z.any().item());
        assertEquals(0.0, z.all().item());
        assertEquals(0, z.all(new int[0], true).dim());
        // results are never recorded
        Tensor g = Cases.upload(be, new double[] {1, 0}, 2).requiresGrad(true);
        assertTrue(!g.any().requiresGrad() && !g.isnan().requiresGrad());
    }

    // =========================================================================================================
    // The façade: every op constant has its Tensor method, and the method runs that op
    // =========================================================================================================

    /** {@code opName()} as a Tensor method: every UnaryOp has {@code x.name()}, every BinaryOp {@code x.name(Tensor)}
     *  and {@code x.name(double)}, each recording its own primitive. A new constant fails here until it has them. */
    @Test
    void everyElementwiseOpHasItsTensorMethods() throws ReflectiveOperationException {
        Backend be = Backends.reference();
        for (UnaryOp op : UnaryOp.values()) {
            java.lang.reflect.Method m = Tensor.class.getMethod(op.opName());
            Tensor x = f64(be, 0.5, 1.5).requiresGrad(true);
            Tensor y = (Tensor) m.invoke(x);
            assertEquals(new Primitive.Unary(op), Tape.node(y).op(), "Tensor." + op.opName() + "() must run " + op);
        }
        for (BinaryOp op : BinaryOp.values()) {
            Tensor a = f64(be, 0.5, 1.5).requiresGrad(true);
            Tensor b = f64(be, 2, 3).requiresGrad(true);
            Tensor y = (Tensor) Tensor.class.getMethod(op.opName(), Tensor.class).invoke(a, b);
            Tensor z = (Tensor) Tensor.class.getMethod(op.opName(), double.class).invoke(a, 2.0);
            if (op.isComparison()) {
                assertEquals(DType.BOOL, y.dtype(), op.name());
                assertEquals(DType.BOOL, z.dtype(), op.name());
            } else {
                assertEquals(new Primitive.Binary(op), Tape.node(y).op(), "Tensor." + op.opName() + "(Tensor)");
                assertEquals(new Primitive.Binary(op), Tape.node(z).op(), "Tensor." + op.opName() + "(double)");
            }
        }
    }

    // =========================================================================================================
    // Bad input
    // =========================================================================================================

    @Test
    void badArgumentsNameTheOp() {
        Tensor x = Tensor.zeros(2, 3);
        BadInputTest.bad(() -> x.any(new int[] {2}, false), "any", "2");
        BadInputTest.bad(() -> x.all(new int[] {0, -2}, false), "all", "twice");
        BadInputTest.bad(() -> x.remainder(Tensor.zeros(4)), "remainder", "[2, 3]", "[4]");
        BadInputTest.bad(() -> x.fmod(Tensor.zeros(3, 2)), "fmod", "[2, 3]", "[3, 2]");
        BadInputTest.bad(() -> x.remainder(Tensor.zeros(2, 3).to(Backends.reference())), "remainder");
    }
}
