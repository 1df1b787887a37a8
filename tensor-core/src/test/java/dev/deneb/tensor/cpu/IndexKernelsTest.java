package dev.deneb.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.Backend;
import dev.deneb.tensor.Backends;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.ScatterReduction;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.testing.Cases;
import dev.deneb.tensor.testing.Cases.Layout;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12: the fast backend's f32 gather, scatter, scatterAdd and scatterReduce ({@link IndexKernels}) and the
 * one-pass index check. On seeded random shapes and index layouts (contiguous, strided, and the row-broadcast
 * {@code [E, C]} index with strides {@code [1, 0]} that {@code Scatter.sum} and the indexSelect gradient use), with
 * repeated indices: gather, scatter, amax and amin match {@link ReferenceBackend} bit for bit; sums and means match a
 * float oracle that combines in row-major index order bit for bit, and the reference (which accumulates in f64 and
 * rounds once) to a summation bound.
 */
class IndexKernelsTest {
    private static final Backend FAST = Backends.cpu();
    private static final Backend REF = Backends.reference();

    static Stream<Long> seeds() {
        return IntStream.range(0, 40).mapToObj(i -> 1200L + i);
    }

    /** One random case: x, an axis, an index (maybe a view) with repeats, and src of the index's shape. */
    private record Case(Tensor x, int axis, Tensor index, Tensor src, String desc) {
        static Case random(Random r) {
            int rank = 1 + r.nextInt(3);
            int[] s = new int[rank];
            for (int d = 0; d < rank; d++) {
                s[d] = 1 + r.nextInt(6);
            }
            int axis = r.nextInt(rank);
            int[] is = new int[rank];
            for (int d = 0; d < rank; d++) {
                is[d] = d == axis ? r.nextInt(9) : 1 + r.nextInt(s[d]);
            }
            Tensor x = Cases.randomWithSpecials(r, DType.F32, 0.05, s);
            Tensor index;
            String layout;
            if (rank >= 2 && r.nextInt(3) == 0) {
                // The row-broadcast index of Scatter.sum: one value per position along the axis.
                int[] one = new int[rank];
                Arrays.fill(one, 1);
                one[axis] = is[axis];
                index = Cases.upload(REF, randomIndex(r, is[axis], s[axis]), one).expand(is);
                layout = "row-broadcast";
            } else {
                Layout il = Cases.layout(r, is);
                index = il.apply(Cases.upload(REF, randomIndex(r, Cases.numel(il.baseShape()), s[axis]),
                        il.baseShape()));
                layout = il.toString();
            }
            if (r.nextInt(4) == 0) {
                index = index.to(DType.I32);
            }
            Layout sl = Cases.layout(r, is);
            Tensor src = sl.apply(Cases.randomWithSpecials(r, DType.F32, r.nextBoolean() ? 0.05 : 0, sl.baseShape()));
            String desc = "x " + Arrays.toString(s) + ", axis " + axis + ", index " + Arrays.toString(is) + " ("
                    + layout + ", " + index.dtype() + "), src " + sl;
            return new Case(x, axis, index, src, desc);
        }

        Case on(Backend be) {
            return new Case(x.to(be), axis, index.to(be), src.to(be), desc);
        }
    }

    private static long[] randomIndex(Random r, int n, int size) {
        long[] v = new long[n];
        int distinct = 1 + r.nextInt(Math.max(1, size));  // few distinct values: many repeats
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(distinct);
        }
        return v;
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void gatherAndScatterMatchTheReferenceBitForBit(long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < 10; i++) {
            Case c = Case.random(r);
            Case f = c.on(FAST);
            Case e = c.on(REF);
            // gather reads x at index: index no larger than x off the axis is required, so use the same index.
            assertSameBits("gather on " + c.desc, e.x.gather(c.axis, e.index), f.x.gather(c.axis, f.index));
            // scatter with repeats: the last value in row-major index order wins on both.
            assertSameBits("scatter on " + c.desc, e.x.scatter(c.axis, e.index, e.src),
                    f.x.scatter(c.axis, f.index, f.src));
            for (ScatterReduction red : new ScatterReduction[] {ScatterReduction.AMAX, ScatterReduction.AMIN}) {
                for (boolean self : new boolean[] {true, false}) {
                    assertSameBits("scatterReduce " + red + " self=" + self + " on " + c.desc,
                            e.x.scatterReduce(c.axis, e.index, e.src, red, self),
                            f.x.scatterReduce(c.axis, f.index, f.src, red, self));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void sumsFollowRowMajorIndexOrderInFloat(long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < 10; i++) {
            Case c = Case.random(r);
            Case f = c.on(FAST);
            Case e = c.on(REF);
            assertSameBits("scatterAdd on " + c.desc, oracle(c, null, true),
                    f.x.scatterAdd(c.axis, f.index, f.src).toFloatArray());
            assertClose("scatterAdd vs reference on " + c.desc, e.x.scatterAdd(c.axis, e.index, e.src),
                    f.x.scatterAdd(c.axis, f.index, f.src), e.x.abs().scatterAdd(c.axis, e.index, e.src.abs()));
            for (ScatterReduction red : new ScatterReduction[] {ScatterReduction.SUM, ScatterReduction.MEAN}) {
                for (boolean self : new boolean[] {true, false}) {
                    String what = "scatterReduce " + red + " self=" + self + " on " + c.desc;
                    Tensor got = f.x.scatterReduce(c.axis, f.index, f.src, red, self);
                    assertSameBits(what, oracle(c, red, self), got.toFloatArray());
                    assertClose(what + " vs reference", e.x.scatterReduce(c.axis, e.index, e.src, red, self), got,
                            e.x.abs().scatterReduce(c.axis, e.index, e.src.abs(), red, self));
                }
            }
        }
    }

    /**
     * The float result of scatterAdd ({@code red == null}) or scatterReduce SUM/MEAN: every src value added into its
     * target in row-major index order, in f32; a MEAN divides by its count (in f32) where it exceeds 1.
     */
    private static float[] oracle(Case c, ScatterReduction red, boolean includeSelf) {
        int[] xs = c.x.shape();
        int[] is = c.index.shape();
        float[] out = c.x.toFloatArray();
        long[] idx = c.index.toLongArray();
        float[] src = c.src.toFloatArray();
        int[] count = new int[out.length];
        Arrays.fill(count, red == null || includeSelf ? 1 : 0);
        int[] coord = new int[is.length];
        for (int i = 0; i < idx.length; i++) {
            int t = 0;
            for (int d = 0; d < xs.length; d++) {
                t = t * xs[d] + (d == c.axis ? (int) idx[i] : coord[d]);
            }
            out[t] = count[t]++ == 0 ? src[i] : out[t] + src[i];
            for (int d = is.length - 1; d >= 0 && ++coord[d] == is[d]; d--) {
                coord[d] = 0;
            }
        }
        for (int t = 0; t < out.length && red == ScatterReduction.MEAN; t++) {
            out[t] = count[t] > 1 ? out[t] / count[t] : out[t];
        }
        return out;
    }

    @Test
    void emptyIndexGivesEmptyGatherAndLeavesXUnchanged() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2).to(FAST);
        Tensor none = Tensor.of(new long[0], 0, 2).to(FAST);
        Tensor src = Tensor.of(new float[0], 0, 2).to(FAST);
        assertArrayEquals(new int[] {0, 2}, x.gather(0, none).shape());
        assertArrayEquals(x.toFloatArray(), x.scatterAdd(0, none, src).toFloatArray());
        assertArrayEquals(x.toFloatArray(), x.scatter(0, none, src).toFloatArray());
        for (ScatterReduction red : ScatterReduction.values()) {
            assertArrayEquals(x.toFloatArray(), x.scatterReduce(0, none, src, red, false).toFloatArray());
        }
        assertArrayEquals(new int[] {0, 2}, x.indexSelect(0, Tensor.of(new long[0], 0).to(FAST)).shape());
    }

    @Test
    void outOfRangeIndicesNameTheOpTheValueAndTheValidRange() {
        for (Backend be : new Backend[] {FAST, REF}) {
            Tensor x = Tensor.zeros(4, 3).to(be);
            Tensor src = Tensor.ones(5, 3).to(be);
            for (long bad : new long[] {4, -1, 1L << 40}) {
                long[] v = {0, 3, bad, 1, 2};
                // The row-broadcast [5, 3] view (strides [1, 0]) that Scatter.sum builds, and a plain 1-D index.
                Tensor spread = Tensor.of(v, 5, 1).to(be).expand(5, 3);
                Tensor flat = Tensor.of(v, 5).to(be);
                expectBad(() -> x.scatterAdd(0, spread, src), "scatterAdd", bad);
                expectBad(() -> x.scatter(0, spread, src), "scatter", bad);
                expectBad(() -> x.gather(0, spread), "gather", bad);
                expectBad(() -> x.scatterReduce(0, spread, src, ScatterReduction.SUM), "scatterReduce", bad);
                expectBad(() -> x.indexSelect(0, flat), "indexSelect", bad);
                if (bad == 4 || bad == -1) {
                    expectBad(() -> x.indexSelect(0, flat.to(DType.I32)), "indexSelect", bad);
                }
            }
        }
    }

    private static void expectBad(Runnable op, String name, long bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, op::run);
        String m = e.getMessage();
        assertTrue(m.startsWith(name + ": index " + bad + " is out of range"), m);
        assertTrue(m.contains("axis 0 of size 4") && m.contains("valid 0 .. 3"), m);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void indexRangeIsTheMinimumAndMaximumOfAnyView(long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < 10; i++) {
            int[] s = Cases.nonEmptyShape(r, 4);
            Layout l = Cases.layout(r, s);
            long[] base = new long[Cases.numel(l.baseShape())];
            for (int k = 0; k < base.length; k++) {
                base[k] = r.nextInt(2001) - 1000;
            }
            DType dtype = r.nextBoolean() ? DType.I32 : DType.I64;
            Tensor t = l.apply(Cases.upload(REF, base, l.baseShape()).to(dtype));
            if (t.numel() == 0) {
                continue;
            }
            long[] all = t.toLongArray();
            long[] expected = {Arrays.stream(all).min().getAsLong(), Arrays.stream(all).max().getAsLong()};
            for (Backend be : new Backend[] {FAST, REF}) {
                Tensor onBe = l.apply(Cases.upload(be, base, l.baseShape()).to(dtype));  // the view on be's storage
                assertArrayEquals(expected, be.indexRange(onBe), l + " " + dtype + " on " + be.name());
            }
        }
    }

    @Test
    void gcnShapedRowScatterAndGatherMatchTheOracle() {
        // Cora's propagation: 13,264 edges, 16 columns, 2708 nodes; the index is the row-broadcast view.
        Random r = new Random(12);
        int nodes = 2708;
        int edges = 13_264;
        long[] targets = new long[edges];
        for (int i = 0; i < edges; i++) {
            targets[i] = r.nextInt(nodes);
        }
        Tensor spread = Cases.upload(REF, targets, edges, 1).expand(edges, 16);
        Tensor messages = Cases.random(r, REF, DType.F32, edges, 16);
        Case c = new Case(Tensor.zeros(nodes, 16).to(REF), 0, spread, messages, "gcn");
        Case f = c.on(FAST);
        assertSameBits("gcn scatterAdd", oracle(c, null, true),
                f.x.scatterAdd(0, f.index, f.src).toFloatArray());
        Tensor h = Cases.random(r, REF, DType.F32, nodes, 16);
        assertSameBits("gcn gather", h.gather(0, spread), h.to(FAST).gather(0, f.index));
    }

    private static void assertSameBits(String what, Tensor expected, Tensor actual) {
        assertSameBits(what, expected.toFloatArray(), actual.toFloatArray());
        assertArrayEquals(expected.shape(), actual.shape(), what);
    }

    private static void assertSameBits(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]);
            }
        }
    }

    /** |reference − fast| within 1e-5 of the same accumulation of magnitudes, + 1e-6; non-finite values equal. */
    private static void assertClose(String what, Tensor expected, Tensor actual, Tensor scale) {
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        float[] s = scale.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            boolean ok = Float.isFinite(e[i]) ? Math.abs(e[i] - a[i]) <= 1e-5 * s[i] + 1e-6
                    : Float.compare(e[i], a[i]) == 0 || Float.isNaN(e[i]) && Float.isNaN(a[i]);
            if (!ok) {
                throw new AssertionError(what + ": element " + i + " is " + a[i] + ", expected " + e[i]);
            }
        }
    }
}
