package dev.deneb.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.testing.Cases;
import dev.deneb.tensor.testing.Cases.Layout;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * argsort/sort/topk, cumsum/cumprod, scatterReduce, unique/searchsorted/bucketize on both CPU backends: hand-checked
 * values (PyTorch's semantics: stable ties, NaN largest, i64 accumulation, floor division of integer means),
 * properties checked independently on random strided inputs, and the messages of bad inputs.
 */
class SortScanScatterSetOpsTest {
    static final double NAN = Double.NaN;
    static final double INF = Double.POSITIVE_INFINITY;

    static Stream<Backend> backends() {
        return Stream.of(Backends.reference(), Backends.cpu());
    }

    static Stream<Arguments> seedsAndBackends() {
        return IntStream.range(0, 20).boxed().flatMap(i -> Stream.of(
                Arguments.of(5000L + i, Backends.reference()), Arguments.of(5000L + i, Backends.cpu())));
    }

    static Tensor f64(Backend be, double... v) {
        return Cases.upload(be, v, v.length);
    }

    static Tensor f32(Backend be, double... v) {
        return f64(be, v).to(DType.F32);
    }

    static Tensor i64(Backend be, long... v) {
        return Cases.upload(be, v, v.length);
    }

    static Tensor i32(Backend be, int... v) {
        return Cases.upload(be, v, v.length);
    }

    static void assertLongs(long[] expected, Tensor actual, Backend be, String what) {
        assertEquals(DType.I64, actual.dtype(), what + ": dtype");
        assertSame(be, actual.backend(), what + ": backend");
        assertArrayEquals(expected, actual.toLongArray(), () -> what + ": got " + Arrays.toString(actual.toLongArray()));
    }

    /** Doubles compared bitwise (NaN equal to NaN, -0.0 different from 0.0). */
    static void assertDoubles(double[] expected, Tensor actual, String what) {
        double[] a = actual.toDoubleArray();
        assertEquals(expected.length, a.length, what + ": length");
        for (int i = 0; i < a.length; i++) {
            assertEquals(Double.doubleToLongBits(expected[i]), Double.doubleToLongBits(a[i]),
                    what + " at " + i + ": expected " + Arrays.toString(expected) + ", got " + Arrays.toString(a));
        }
    }

    static void bad(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message \"" + e.getMessage() + "\" should mention \"" + f + "\"");
        }
    }

    // =========================================================================================================
    // argsort, sort, topk
    // =========================================================================================================

    @ParameterizedTest
    @MethodSource("backends")
    void argsortIsStableAndPutsNaNLast(Backend be) {
        double[] v = {3, NAN, 1, 3, -0.0, 0.0, 2, NAN};
        for (DType t : Cases.FLOAT_DTYPES) {
            Tensor x = f64(be, v).to(t);
            assertLongs(new long[] {4, 5, 2, 6, 0, 3, 1, 7}, x.argsort(), be, t + " ascending");
            // Descending is not the reverse: ties (3, 3), (-0.0, 0.0) and (NaN, NaN) keep their order.
            assertLongs(new long[] {1, 7, 0, 3, 6, 2, 4, 5}, x.argsort(0, true), be, t + " descending");
            ValuesIndices s = x.sort(0, true);
            assertDoubles(new double[] {NAN, NAN, 3, 3, 2, 1, -0.0, 0.0}, s.values(), t + " sort values");
            assertEquals(t, s.values().dtype());
            assertLongs(new long[] {1, 7, 0, 3, 6, 2, 4, 5}, s.indices(), be, t + " sort indices");
        }
        Tensor inf = f64(be, INF, -INF, NAN, 1e308, -1e308);
        assertLongs(new long[] {1, 4, 3, 0, 2}, inf.argsort(), be, "infinities");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void argsortOfIntegersAndBools(Backend be) {
        // Values a double cannot tell apart: the sort must compare them as longs.
        long big = Long.MAX_VALUE;
        Tensor l = i64(be, big, big - 1, Long.MIN_VALUE, 0, big - 1, -1);
        assertLongs(new long[] {2, 5, 3, 1, 4, 0}, l.argsort(), be, "i64");
        assertLongs(new long[] {0, 1, 4, 3, 5, 2}, l.argsort(0, true), be, "i64 descending");
        Tensor i = i32(be, 5, -2, 5, Integer.MIN_VALUE, Integer.MAX_VALUE);
        assertLongs(new long[] {3, 1, 0, 2, 4}, i.argsort(), be, "i32");
        ValuesIndices s = i.sort(0, true);
        assertEquals(DType.I32, s.values().dtype());
        assertArrayEquals(new int[] {Integer.MAX_VALUE, 5, 5, -2, Integer.MIN_VALUE}, s.values().toIntArray());
        Tensor b = Cases.upload(be, new boolean[] {true, false, true, false}, 4);
        assertLongs(new long[] {1, 3, 0, 2}, b.argsort(), be, "bool");
        assertLongs(new long[] {0, 2, 1, 3}, b.argsort(0, true), be, "bool descending");
        assertArrayEquals(new boolean[] {true, true, false, false}, b.sort(0, true).values().toBooleanArray());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void argsortAlongAnyAxisOfStridedInputs(Backend be) {
        // [[5, 1, 5], [0, 7, 1]]
        Tensor x = f64(be, 5, 1, 5, 0, 7, 1).reshape(2, 3);
        assertLongs(new long[] {1, 0, 2, 0, 2, 1}, x.argsort(), be, "last axis");
        assertLongs(new long[] {1, 0, 1, 0, 1, 0}, x.argsort(0, false), be, "axis 0");
        assertLongs(new long[] {0, 1, 0, 1, 0, 1}, x.argsort(-2, true), be, "axis -2 descending");
        assertLongs(new long[] {1, 0, 0, 1, 1, 0}, x.t().argsort(), be, "transposed");
        assertLongs(new long[] {0, 1, 0, 1}, x.slice(1, 0, 3, 2).argsort(), be, "stepped slice [[5,5],[0,1]]");
        assertLongs(new long[] {0, 1, 2, 0, 1, 2}, f64(be, 4).expand(2, 3).argsort(), be, "expanded ties");
        ValuesIndices s = x.sort(1, false);
        assertDoubles(new double[] {1, 5, 5, 0, 1, 7}, s.values(), "sort values");
        assertArrayEquals(new int[] {2, 3}, s.values().shape());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void zeroDimAndEmptyInputs(Backend be) {
        Tensor s = Tensor.full(2.5, DType.F64).to(be);
        assertEquals(0, s.argsort().dim());
        assertEquals(0L, s.argsort(0, true).toLongArray()[0]);
        ValuesIndices v = s.sort();
        assertEquals(0, v.values().dim());
        assertEquals(2.5, v.values().item());
        ValuesIndices top = s.topk(1);
        assertEquals(0, top.values().dim());
        assertEquals(0, top.indices().dim());
        assertArrayEquals(new int[] {0}, s.topk(0).values().shape());
        bad(() -> s.argsort(1, false), "argsort", "axis 1");

        Tensor e = Tensor.empty(be, DType.F32, 2, 0);
        assertArrayEquals(new int[] {2, 0}, e.argsort().shape());
        assertArrayEquals(new int[] {2, 0}, e.argsort(0, false).shape());
        assertArrayEquals(new int[] {2, 0}, e.sort(1, true).values().shape());
        assertArrayEquals(new int[] {0, 0}, e.topk(0, 0, true, true).values().shape());
        assertArrayEquals(new int[] {0}, Tensor.empty(be, DType.I64, 0).argsort().shape());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void topkLargestAndSmallestWithTies(Backend be) {
        Tensor x = f64(be, 1, 9, 3, 9, NAN, 3, 0);
        ValuesIndices largest = x.topk(4);
        assertDoubles(new double[] {NAN, 9, 9, 3}, largest.values(), "largest values");
        assertLongs(new long[] {4, 1, 3, 2}, largest.indices(), be, "largest indices (ties in index order)");
        ValuesIndices smallest = x.topk(3, 0, false, true);
        assertDoubles(new double[] {0, 1, 3}, smallest.values(), "smallest values");
        assertLongs(new long[] {6, 0, 2}, smallest.indices(), be, "smallest indices");
        assertLongs(new long[] {6, 0, 2, 5, 1, 3, 4}, x.topk(7, -1, false, false).indices(), be, "k = n");
        // Along axis 0 of a transposed 2-D input: [[4, 1], [2, 8], [4, 0]] as x.t() of [[4, 2, 4], [1, 8, 0]].
        Tensor m = f64(be, 4, 2, 4, 1, 8, 0).reshape(2, 3).t();
        ValuesIndices t = m.topk(2, 0, true, true);
        assertArrayEquals(new int[] {2, 2}, t.values().shape());
        assertDoubles(new double[] {4, 8, 4, 1}, t.values(), "transposed values");
        assertLongs(new long[] {0, 1, 2, 0}, t.indices(), be, "transposed indices");
        Tensor ints = i32(be, 3, 7, 7, -1);
        assertArrayEquals(new int[] {7, 7}, ints.topk(2).values().toIntArray());
        assertLongs(new long[] {1, 2}, ints.topk(2).indices(), be, "i32 ties");
    }

    /** Random strided inputs with many ties and NaNs: the result is a permutation that orders each line, and equal
     *  values keep their original order (checked without the library's sort). */
    @ParameterizedTest
    @MethodSource("seedsAndBackends")
    void argsortPropertiesOnRandomStridedInputs(long seed, Backend be) {
        Random r = new Random(seed);
        for (DType t : Cases.ALL_DTYPES) {
            int[] s = Cases.shape(r, 3);
            if (s.length == 0) {
                s = new int[] {Cases.dim(r)};
            }
            if (r.nextInt(4) == 0) {
                s[r.nextInt(s.length)] = 40 + r.nextInt(40); // long lines for the merge sort
            }
            Layout layout = Cases.layout(r, s);
            double[] v = new double[Cases.numel(layout.baseShape())];
            for (int i = 0; i < v.length; i++) {
                v[i] = t == DType.BOOL ? r.nextInt(2) : r.nextInt(5) - 2;
                if (t.isFloating() && r.nextInt(8) == 0) {
                    v[i] = Cases.SPECIALS[r.nextInt(Cases.SPECIALS.length)];
                }
            }
            Tensor x = layout.apply(Cases.fromDoubles(be, t, layout.baseShape(), v));
            int axis = r.nextInt(s.length);
            boolean desc = r.nextBoolean();
            String what = t + Arrays.toString(s) + " as " + layout + " axis " + axis + (desc ? " desc" : "");
            Tensor idx = x.argsort(axis, desc);
            assertArrayEquals(s, idx.shape(), what);
            assertStableOrder(x, axis, desc, idx, what);
            ValuesIndices sorted = x.sort(axis, desc);
            assertArrayEquals(idx.toLongArray(), sorted.indices().toLongArray(), what + ": sort indices");
            int k = r.nextInt(s[axis] + 1);
            ValuesIndices top = x.topk(k, axis, desc, true);
            assertArrayEquals(idx.narrow(axis, 0, k).toLongArray(), top.indices().toLongArray(), what + ": topk " + k);
            assertArrayEquals(x.gather(axis, top.indices()).toDoubleArray(), top.values().toDoubleArray(), 0,
                    what + ": topk values");
        }
    }

    private static void assertStableOrder(Tensor x, int axis, boolean desc, Tensor idx, String what) {
        int last = x.dim() - 1;
        Tensor xl = x.transpose(axis, last).contiguous();
        long[] p = idx.transpose(axis, last).contiguous().toLongArray();
        boolean floating = x.dtype().isFloating();
        double[] d = xl.toDoubleArray();
        long[] l = xl.toLongArray();
        int len = x.shape()[axis];
        for (int line = 0; len > 0 && line < p.length / len; line++) {
            boolean[] seen = new boolean[len];
            for (int i = 0; i < len; i++) {
                long at = p[line * len + i];
                assertTrue(at >= 0 && at < len && !seen[(int) at], what + ": not a permutation");
                seen[(int) at] = true;
                if (i > 0) {
                    int a = line * len + (int) p[line * len + i - 1];
                    int b = line * len + (int) at;
                    int c = floating ? naNLast(d[a], d[b]) : Long.compare(l[a], l[b]);
                    c = desc ? -c : c;
                    assertTrue(c < 0 || (c == 0 && p[line * len + i - 1] < at),
                            what + ": line " + line + " out of order at " + i);
                }
            }
        }
    }

    private static int naNLast(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Boolean.compare(Double.isNaN(a), Double.isNaN(b));
        }
        return a < b ? -1 : a > b ? 1 : 0;
    }

    @Test
    void sortBadInputs() {
        Tensor x = Tensor.zeros(2, 3);
        bad(() -> x.argsort(2, false), "argsort", "axis 2", "rank 2");
        bad(() -> x.sort(-3, true), "sort", "axis -3");
        bad(() -> x.topk(4), "topk", "k = 4", "axis 1 of size 3", "[2, 3]");
        bad(() -> x.topk(-1, 0, true, true), "topk", "k = -1", "axis 0 of size 2");
        bad(() -> x.topk(1, 5, true, true), "topk", "axis 5");
    }

    // =========================================================================================================
    // cumsum, cumprod
    // =========================================================================================================

    @ParameterizedTest
    @MethodSource("backends")
    void cumsumAndCumprodValues(Backend be) {
        for (DType t : Cases.FLOAT_DTYPES) {
            Tensor x = f64(be, 1, 2, -3, 0.5, 4).to(t);
            Tensor c = x.cumsum(0);
            assertEquals(t, c.dtype());
            assertSame(be, c.backend());
            assertDoubles(new double[] {1, 3, 0, 0.5, 4.5}, c, t + " cumsum");
            assertDoubles(new double[] {1, 2, -6, -3, -12}, x.cumprod(-1), t + " cumprod");
        }
        Tensor special = f64(be, 1, NAN, 2, INF, -INF);
        assertDoubles(new double[] {1, NAN, NAN, NAN, NAN}, special.cumsum(0), "NaN propagates");
        assertDoubles(new double[] {1, INF, NAN}, f64(be, 1, INF, -INF).cumsum(0), "inf - inf");
        assertDoubles(new double[] {2, 0, 0, -0.0}, f64(be, 2, 0, 5, -1).cumprod(0), "zeros stay");
        // [[1, 2, 3], [4, 5, 6]] along both axes, and transposed.
        Tensor m = f64(be, 1, 2, 3, 4, 5, 6).reshape(2, 3);
        assertDoubles(new double[] {1, 3, 6, 4, 9, 15}, m.cumsum(1), "axis 1");
        assertDoubles(new double[] {1, 2, 3, 5, 7, 9}, m.cumsum(0), "axis 0");
        assertDoubles(new double[] {1, 2, 3, 4, 10, 18}, m.cumprod(-2), "cumprod axis -2");
        assertDoubles(new double[] {1, 5, 2, 7, 3, 9}, m.t().cumsum(1), "transposed");
        assertDoubles(new double[] {1, 3, 5, 9}, m.slice(1, 0, 3, 2).cumsum(0), "stepped [[1, 3], [4, 6]]");
        assertDoubles(new double[] {2, 4, 6, 2, 4, 6}, f64(be, 2).expand(2, 3).cumsum(1), "expanded");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void integerScansAccumulateInI64(Backend be) {
        Tensor i = i32(be, Integer.MAX_VALUE, Integer.MAX_VALUE, 2);
        Tensor c = i.cumsum(0);
        assertLongs(new long[] {Integer.MAX_VALUE, 2L * Integer.MAX_VALUE, 2L * Integer.MAX_VALUE + 2}, c, be,
                "i32 cumsum (no overflow)");
        assertLongs(new long[] {Integer.MAX_VALUE, (long) Integer.MAX_VALUE * Integer.MAX_VALUE,
                2L * Integer.MAX_VALUE * Integer.MAX_VALUE}, i.cumprod(0), be, "i32 cumprod");
        // Large i64 values must not pass through doubles.
        assertLongs(new long[] {Long.MAX_VALUE - 1, Long.MAX_VALUE, Long.MIN_VALUE}, i64(be, Long.MAX_VALUE - 1, 1, 1)
                .cumsum(0), be, "i64 wraps like two's complement");
        Tensor b = Cases.upload(be, new boolean[] {true, false, true, true}, 4);
        assertLongs(new long[] {1, 1, 2, 3}, b.cumsum(0), be, "bool cumsum");
        assertLongs(new long[] {1, 0, 0, 0}, b.cumprod(0), be, "bool cumprod");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void scansOfZeroDimAndEmpty(Backend be) {
        Tensor s = Tensor.full(3, DType.F32).to(be);
        assertEquals(0, s.cumsum(0).dim());
        assertEquals(3.0, s.cumprod(-1).item());
        assertEquals(DType.I64, Tensor.full(3, DType.I32).to(be).cumsum(0).dtype());
        bad(() -> s.cumsum(1), "cumsum", "axis 1");
        Tensor e = Tensor.empty(be, DType.F64, 0, 3);
        assertArrayEquals(new int[] {0, 3}, e.cumsum(0).shape());
        assertArrayEquals(new int[] {0, 3}, e.cumprod(1).shape());
        assertEquals(DType.I64, Tensor.empty(be, DType.BOOL, 0).cumsum(0).dtype());
    }

    /** cumsum on random strided inputs against running sums computed here in long arithmetic. */
    @ParameterizedTest
    @MethodSource("seedsAndBackends")
    void cumsumMatchesARunningSumOnRandomStridedInputs(long seed, Backend be) {
        Random r = new Random(seed);
        int[] s = Cases.shape(r, 3);
        if (s.length == 0) {
            return;
        }
        Layout layout = Cases.layout(r, s);
        Tensor x = layout.apply(Cases.random(r, be, DType.I64, layout.baseShape()));
        int axis = r.nextInt(s.length);
        long[] got = x.cumsum(axis).transpose(axis, -1).contiguous().toLongArray();
        long[] in = x.transpose(axis, -1).contiguous().toLongArray();
        int len = s[axis];
        for (int i = 0; i < in.length; i++) {
            long expected = in[i] + (i % len == 0 ? 0 : got[i - 1]);
            assertEquals(expected, got[i], "cumsum(" + axis + ") of " + Arrays.toString(s) + " as " + layout);
        }
        Tensor f = x.to(DType.F64);
        assertArrayEquals(f.cumsum(axis).toDoubleArray(), x.cumsum(axis).toDoubleArray(), 0, "f64 agrees with i64");
    }

    // =========================================================================================================
    // scatterReduce
    // =========================================================================================================

    @ParameterizedTest
    @MethodSource("backends")
    void scatterReduceEveryReduction(Backend be) {
        Tensor x = f64(be, 10, 20, 30, 40);
        Tensor idx = i64(be, 0, 1, 0, 1, 3);
        Tensor src = f64(be, 1, 2, 3, 4, 50);
        assertDoubles(new double[] {14, 26, 30, 90}, x.scatterReduce(0, idx, src, ScatterReduction.SUM), "sum");
        assertDoubles(new double[] {4, 6, 30, 50},
                x.scatterReduce(0, idx, src, ScatterReduction.SUM, false), "sum without self");
        assertDoubles(new double[] {14.0 / 3, 26.0 / 3, 30, 45}, x.scatterReduce(0, idx, src, ScatterReduction.MEAN),
                "mean");
        assertDoubles(new double[] {2, 3, 30, 50},
                x.scatterReduce(0, idx, src, ScatterReduction.MEAN, false), "mean without self");
        assertDoubles(new double[] {10, 20, 30, 50}, x.scatterReduce(0, idx, src, ScatterReduction.AMAX), "amax");
        assertDoubles(new double[] {3, 4, 30, 50},
                x.scatterReduce(0, idx, src, ScatterReduction.AMAX, false), "amax without self");
        assertDoubles(new double[] {1, 2, 30, 40}, x.scatterReduce(0, idx, src, ScatterReduction.AMIN), "amin");
        assertDoubles(new double[] {1, 2, 30, 50},
                x.scatterReduce(0, idx, src, ScatterReduction.AMIN, false), "amin without self");
        // NaN propagates through amax/amin, from x or from src.
        Tensor xn = f64(be, NAN, 1, 1);
        Tensor sn = f64(be, 5, NAN, 0);
        Tensor in = i64(be, 0, 1, 2);
        assertDoubles(new double[] {NAN, NAN, 1}, xn.scatterReduce(0, in, sn, ScatterReduction.AMAX), "amax NaN");
        assertDoubles(new double[] {5, NAN, 0}, xn.scatterReduce(0, in, sn, ScatterReduction.AMIN, false),
                "amin NaN without self");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void scatterReduceAlongAnAxisOfStridedInputs(Backend be) {
        // x [[0, 0, 0], [1, 1, 1]] as the transpose of a [3, 2]; index along axis 1, src larger than index.
        Tensor x = f64(be, 0, 1, 0, 1, 0, 1).reshape(3, 2).t();
        Tensor idx = i64(be, 2, 2, 0, 1).reshape(2, 2);
        Tensor src = f64(be, 1, 2, 99, 3, 4, 99).reshape(2, 3);
        assertDoubles(new double[] {0, 0, 3, 4, 5, 1}, x.scatterReduce(1, idx, src, ScatterReduction.SUM), "sum");
        assertDoubles(new double[] {0, 0, 2, 3, 4, 1},
                x.scatterReduce(1, idx, src, ScatterReduction.AMAX, false), "amax without self");
        assertDoubles(new double[] {0, 0, 1, 2, 2.5, 1},
                x.scatterReduce(-1, idx, src, ScatterReduction.MEAN), "mean");
        // An expanded index and a stepped src.
        Tensor eIdx = i64(be, 1).reshape(1, 1).expand(2, 2);
        Tensor sSrc = f64(be, 1, 0, 2, 0, 3, 0, 4, 0).reshape(2, 4).slice(1, 0, 4, 2);
        assertDoubles(new double[] {0, 3, 0, 1, 8, 1}, x.scatterReduce(1, eIdx, sSrc, ScatterReduction.SUM),
                "expanded index, stepped src");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void scatterReduceOnIntegers(Backend be) {
        Tensor x = i64(be, 0, 0, 7);
        Tensor idx = i64(be, 0, 0, 1, 1, 2);
        Tensor src = i64(be, 1, 2, -1, -2, Long.MIN_VALUE);
        // means floor-divide, as PyTorch's do: 3 / 2 = 1, -3 / 2 = -2, (7 + MIN) / 2 rounded down
        assertLongs(new long[] {1, -2, Long.MIN_VALUE},
                x.scatterReduce(0, idx, src, ScatterReduction.MEAN, false), be, "mean without self");
        assertLongs(new long[] {1, -1, Math.floorDiv(7 + Long.MIN_VALUE, 2)},
                x.scatterReduce(0, idx, src, ScatterReduction.MEAN), be, "mean (0 + 1 + 2) / 3, (0 - 3) / 3");
        assertLongs(new long[] {2, 0, 7}, x.scatterReduce(0, idx, src, ScatterReduction.AMAX), be, "amax");
        assertLongs(new long[] {0, -2, Long.MIN_VALUE}, x.scatterReduce(0, idx, src, ScatterReduction.AMIN), be,
                "amin");
        Tensor xi = i32(be, 1, 2);
        Tensor r = xi.scatterReduce(0, i64(be, 1, 1), i32(be, 5, 6), ScatterReduction.SUM);
        assertEquals(DType.I32, r.dtype());
        assertArrayEquals(new int[] {1, 13}, r.toIntArray());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void scatterReduceZeroDimAndEmpty(Backend be) {
        Tensor s = Tensor.full(2, DType.F64).to(be);
        Tensor r = s.scatterReduce(0, i64(be, 0, 0), f64(be, 5, 1), ScatterReduction.MEAN);
        assertEquals(0, r.dim());
        assertEquals(8.0 / 3, r.item(), 1e-15);
        Tensor x = f64(be, 1, 2);
        assertDoubles(new double[] {1, 2}, x.scatterReduce(0, i64(be), f64(be), ScatterReduction.AMAX, false),
                "empty index leaves x");
    }

    @Test
    void scatterReduceBadInputs() {
        Tensor x = Tensor.zeros(2, 3);
        Tensor src = Tensor.ones(2, 3);
        bad(() -> x.scatterReduce(1, Tensor.of(new long[] {0, 3}).reshape(1, 2), src, ScatterReduction.SUM),
                "scatterReduce", "index 3 is out of range", "axis 1 of size 3");
        bad(() -> x.scatterReduce(1, Tensor.of(new long[] {-1}).reshape(1, 1), src, ScatterReduction.AMAX),
                "scatterReduce", "index -1");
        bad(() -> x.scatterReduce(0, Tensor.of(new long[] {0}), src, ScatterReduction.MEAN),
                "scatterReduce", "same rank", "[2, 3]");
        bad(() -> x.scatterReduce(0, Tensor.zeros(1, 1), src, ScatterReduction.SUM), "scatterReduce", "i32 or i64");
        bad(() -> x.scatterReduce(0, Tensor.zeros(DType.I64, 2, 4), Tensor.ones(2, 4), ScatterReduction.SUM),
                "scatterReduce", "larger than the input", "axis 1");
        bad(() -> x.scatterReduce(0, Tensor.zeros(DType.I64, 2, 3), Tensor.ones(1, 3), ScatterReduction.SUM),
                "scatterReduce", "larger than src");
        bad(() -> x.scatterReduce(2, Tensor.zeros(DType.I64, 2, 3), src, ScatterReduction.SUM),
                "scatterReduce", "axis 2");
        bad(() -> x.scatterReduce(0, Tensor.zeros(DType.I64, 2, 3), src, null), "scatterReduce", "sum, mean");
    }

    // =========================================================================================================
    // unique, searchsorted, bucketize
    // =========================================================================================================

    @ParameterizedTest
    @MethodSource("backends")
    void uniqueSortedAndInOrderOfAppearance(Backend be) {
        // [[3, 1], [3, NaN], [NaN, 1]] flattened: NaNs stay apart and sort last.
        Tensor x = f64(be, 3, 1, 3, NAN, NAN, 1).reshape(3, 2);
        UniqueResult u = x.unique(true, true, true);
        assertDoubles(new double[] {1, 3, NAN, NAN}, u.values(), "values");
        assertLongs(new long[] {1, 0, 1, 2, 3, 0}, u.inverse().reshape(-1), be, "inverse");
        assertArrayEquals(new int[] {3, 2}, u.inverse().shape());
        assertLongs(new long[] {2, 2, 1, 1}, u.counts(), be, "counts");
        UniqueResult first = x.unique(false, true, true);
        assertDoubles(new double[] {3, 1, NAN, NAN}, first.values(), "values in order of appearance");
        assertLongs(new long[] {0, 1, 0, 2, 3, 1}, first.inverse().reshape(-1), be, "inverse in order of appearance");
        assertLongs(new long[] {2, 2, 1, 1}, first.counts(), be, "counts in order of appearance");
        UniqueResult plain = x.unique(true, false, false);
        assertNull(plain.inverse());
        assertNull(plain.counts());
        assertEquals(DType.F64, x.unique().dtype());
        assertSame(be, x.unique().backend());
        // -0.0 equals 0.0; values are reconstructed exactly: inverse gathers the input back.
        Tensor z = f32(be, 0.0, -0.0, 2, 0.0, -5);
        UniqueResult uz = z.unique(true, true, true);
        assertDoubles(new double[] {-5, 0.0, 2}, uz.values(), "zeros merged (the first one kept)");
        assertEquals(DType.F32, uz.values().dtype());
        assertLongs(new long[] {1, 3, 1}, uz.counts(), be, "zero counts");
        assertArrayEquals(z.toDoubleArray(), uz.values().indexSelect(0, uz.inverse()).toDoubleArray(), 0);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void uniqueOfIntegersBoolsZeroDimAndEmpty(Backend be) {
        Tensor l = i64(be, Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MAX_VALUE, 4);
        UniqueResult u = l.unique(true, true, true);
        assertLongs(new long[] {4, Long.MAX_VALUE - 1, Long.MAX_VALUE}, u.values(), be, "i64 values");
        assertLongs(new long[] {2, 1, 2, 0}, u.inverse(), be, "i64 inverse");
        assertLongs(new long[] {1, 1, 2}, u.counts(), be, "i64 counts");
        Tensor b = Cases.upload(be, new boolean[] {true, true, false}, 3);
        assertArrayEquals(new boolean[] {false, true}, b.unique().toBooleanArray());
        assertArrayEquals(new boolean[] {true, false}, b.unique(false, false, false).values().toBooleanArray());
        Tensor s = Tensor.full(7, DType.I32).to(be);
        UniqueResult us = s.unique(true, true, true);
        assertArrayEquals(new int[] {1}, us.values().shape());
        assertEquals(DType.I32, us.values().dtype());
        assertEquals(0, us.inverse().dim());
        assertLongs(new long[] {1}, us.counts(), be, "0-D counts");
        Tensor e = Tensor.empty(be, DType.F32, 0, 2);
        UniqueResult ue = e.unique(true, true, true);
        assertArrayEquals(new int[] {0}, ue.values().shape());
        assertArrayEquals(new int[] {0, 2}, ue.inverse().shape());
        assertArrayEquals(new int[] {0}, ue.counts().shape());
        // A strided input.
        Tensor m = f64(be, 2, 1, 2, 5, 2, 1).reshape(2, 3).t();
        UniqueResult um = m.unique(false, true, true);
        assertDoubles(new double[] {2, 5, 1}, um.values(), "transposed, by first appearance in [[2,5],[1,2],[2,1]]");
        assertLongs(new long[] {0, 1, 2, 0, 0, 2}, um.inverse().reshape(-1), be, "transposed inverse");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void searchsortedLeftAndRight(Backend be) {
        Tensor seq = f64(be, 1, 2, 2, 3, NAN);
        Tensor v = f64(be, 2, 0, 5, NAN, 1, 3.5, -INF, INF);
        assertLongs(new long[] {1, 0, 4, 4, 0, 4, 0, 4}, Tensor.searchsorted(seq, v), be, "left");
        assertLongs(new long[] {3, 0, 4, 5, 1, 4, 0, 4}, Tensor.searchsorted(seq, v, true), be, "right");
        // Values keep their shape; a 0-D value gives a 0-D result.
        Tensor v2 = f64(be, 2, 0, 3, 9).reshape(2, 2);
        Tensor r = Tensor.searchsorted(seq, v2, true);
        assertArrayEquals(new int[] {2, 2}, r.shape());
        assertLongs(new long[] {3, 0, 4, 4}, r.reshape(-1), be, "2-D values");
        assertEquals(0, Tensor.searchsorted(seq, Tensor.full(2.5, DType.F64).to(be)).dim());
        // Batched: each row of values searches its own row of the sequence; stepped and transposed views.
        Tensor rows = f64(be, 1, 3, 5, 7, 10, 20, 30, 40).reshape(2, 4);
        Tensor q = f64(be, 4, 10, 7, 45).reshape(2, 2).t();  // [[4, 7], [10, 45]]
        assertLongs(new long[] {2, 3, 0, 4}, Tensor.searchsorted(rows, q).reshape(-1), be, "batched");
        assertLongs(new long[] {2, 4, 1, 4}, Tensor.searchsorted(rows, q, true).reshape(-1), be, "batched right");
        assertLongs(new long[] {1, 2, 0, 2}, Tensor.searchsorted(rows.slice(1, 0, 4, 2), q).reshape(-1), be,
                "stepped sequence [[1, 5], [10, 30]]");
        // Integers compare exactly.
        long big = Long.MAX_VALUE;
        assertLongs(new long[] {1, 2}, Tensor.searchsorted(i64(be, big - 2, big - 1, big), i64(be, big - 1, big)),
                be, "i64");
        assertLongs(new long[] {0, 0}, Tensor.searchsorted(Tensor.empty(be, DType.F32, 0), f32(be, 1, 2)), be,
                "empty sequence");
        assertArrayEquals(new int[] {0}, Tensor.searchsorted(seq, f64(be)).shape());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void bucketizeMatchesTorch(Backend be) {
        Tensor b = f64(be, 1, 3, 5, 7, 9);
        Tensor x = f64(be, 3, 6, 9, 0, 10).reshape(5, 1).t();
        // torch.bucketize([[3, 6, 9, 0, 10]], [1, 3, 5, 7, 9]) = [[1, 3, 4, 0, 5]]; right=True: [[2, 3, 5, 0, 5]]
        Tensor left = x.bucketize(b);
        assertArrayEquals(new int[] {1, 5}, left.shape());
        assertLongs(new long[] {1, 3, 4, 0, 5}, left.reshape(-1), be, "left");
        assertLongs(new long[] {2, 3, 5, 0, 5}, x.bucketize(b, true).reshape(-1), be, "right");
        assertLongs(new long[] {1, 2}, i32(be, 2, 4).bucketize(b), be, "integer input, float boundaries");
    }

    @Test
    void setOpsBadInputs() {
        bad(() -> Tensor.searchsorted(Tensor.scalar(1), Tensor.zeros(2)), "searchsorted", "sortedSequence",
                "0-D");
        bad(() -> Tensor.searchsorted(Tensor.zeros(2, 3), Tensor.zeros(3, 3)), "searchsorted", "[2, 3]",
                "[3, 3]", "every axis but the last");
        bad(() -> Tensor.searchsorted(Tensor.zeros(2, 3), Tensor.zeros(2)), "searchsorted", "[2]");
        bad(() -> Tensor.zeros(3).bucketize(Tensor.zeros(2, 2)), "bucketize", "boundaries", "1-D", "[2, 2]");
        bad(() -> Tensor.searchsorted(Tensor.zeros(3).to(Backends.reference()), Tensor.zeros(2).to(Backends.cpu())),
                "searchsorted", "different backends");
    }
}
