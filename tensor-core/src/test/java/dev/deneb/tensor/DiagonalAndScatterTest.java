package dev.deneb.tensor;

import static dev.deneb.tensor.testing.Cases.assertExact;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.deneb.tensor.RearrangingTest.Arr;
import dev.deneb.tensor.testing.Cases;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The diagonal view and the two region scatters (diagonalScatter, sliceScatter): values against index-loop models on
 * both CPU backends, every dtype and random non-contiguous layouts; that the view shares storage (a write through it
 * shows in the base) and the scatters share nothing and leave their inputs alone; and bad input.
 */
class DiagonalAndScatterTest {
    static Stream<Arguments> seedsAndBackends() {
        return IntStream.range(0, 40).boxed().flatMap(i -> Stream.of(
                Arguments.of(8000L + i, Backends.reference()), Arguments.of(8000L + i, Backends.cpu())));
    }

    /** A random diagonal: two distinct axes (maybe negative) and an offset, for a tensor of {@code rank >= 2}. */
    record Diag(int offset, int axis1, int axis2, int a, int b) {
        static Diag random(Random r, int rank) {
            int a = r.nextInt(rank);
            int b = r.nextInt(rank - 1);
            b = b >= a ? b + 1 : b;
            return new Diag(r.nextInt(9) - 4, r.nextBoolean() ? a : a - rank, r.nextBoolean() ? b : b - rank, a, b);
        }

        int length(int[] shape) {
            return Math.max(0, offset >= 0 ? Math.min(shape[a], shape[b] - offset)
                    : Math.min(shape[a] + offset, shape[b]));
        }

        int[] resultShape(int[] shape) {
            int[] s = new int[shape.length - 1];
            for (int d = 0, j = 0; d < shape.length; d++) {
                if (d != a && d != b) {
                    s[j++] = shape[d];
                }
            }
            s[s.length - 1] = length(shape);
            return s;
        }

        /** The index into the base of element {@code idx} of the diagonal. */
        int[] baseIndex(int[] idx, int rank) {
            int[] j = new int[rank];
            int i = idx[idx.length - 1];
            for (int d = 0, k = 0; d < rank; d++) {
                if (d == a) {
                    j[d] = i + Math.max(0, -offset);
                } else if (d == b) {
                    j[d] = i + Math.max(0, offset);
                } else {
                    j[d] = idx[k++];
                }
            }
            return j;
        }
    }

    static int[] shapeOfRankAtLeast2(Random r) {
        int[] s = Cases.shape(r, 4);
        return s.length >= 2 ? s : new int[] {Cases.dim(r), Cases.dim(r), Cases.dim(r)};
    }

    @ParameterizedTest
    @MethodSource("seedsAndBackends")
    void diagonalView(long seed, Backend backend) {
        Random r = new Random(seed);
        int[] shape = shapeOfRankAtLeast2(r);
        DType dt = RearrangingTest.anyDtype(r);
        Cases.Layout layout = Cases.layout(r, shape);
        Tensor base = Cases.random(r, backend, dt, layout.baseShape());
        Tensor x = layout.apply(base);
        Arr in = Arr.of(x);
        Diag g = Diag.random(r, shape.length);
        String ctx = "diagonal(" + g.offset + ", " + g.axis1 + ", " + g.axis2 + ") of " + Arrays.toString(shape) + " "
                + dt + " (" + layout + ")";
        Tensor d = x.diagonal(g.offset, g.axis1, g.axis2);
        Arr expected = Arr.build(g.resultShape(shape), idx -> in.get(g.baseIndex(idx, shape.length)));
        RearrangingTest.check(expected, d, dt, backend, ctx);
        assertSame(x.storage(), d.storage(), ctx + ": a view shares storage");

        // A write through the view shows in the tensor it was taken from (unless that one is a broadcast view,
        // where several elements share one memory cell).
        if (!layout.kind().contains("expand") && d.numel() > 0) {
            d.fill(1);
            Arr after = Arr.of(x);
            Arr marked = Arr.build(shape, idx -> in.get(idx));
            for (int i = 0; i < d.numel(); i++) {
                int[] j = g.baseIndex(Cases.unravel(i, d.shape()), shape.length);
                int flat = 0;
                for (int k = 0; k < j.length; k++) {
                    flat = flat * shape[k] + j[k];
                }
                marked.v()[flat] = 1;
            }
            RearrangingTest.check(marked, x, dt, backend, ctx + " after writing 1 through the view");
            assertArrayEquals(marked.v(), after.v(), 0, ctx);
        }
    }

    @ParameterizedTest
    @MethodSource("seedsAndBackends")
    void diagonalScatter(long seed, Backend backend) {
        Random r = new Random(seed);
        int[] shape = shapeOfRankAtLeast2(r);
        DType dt = RearrangingTest.anyDtype(r);
        Tensor x = RearrangingTest.input(r, backend, dt, shape);
        Arr in = Arr.of(x);
        Diag g = Diag.random(r, shape.length);
        int[] srcShape = g.resultShape(shape);
        DType srcType = r.nextBoolean() ? dt : RearrangingTest.anyDtype(r);
        Tensor src = RearrangingTest.input(r, backend, srcType, srcShape);
        Arr s = Arr.of(src.to(dt));
        double[] e = in.v().clone();
        for (int i = 0; i < s.v().length; i++) {
            int[] j = g.baseIndex(Cases.unravel(i, srcShape), shape.length);
            int flat = 0;
            for (int k = 0; k < j.length; k++) {
                flat = flat * shape[k] + j[k];
            }
            e[flat] = s.v()[i];
        }
        String ctx = "diagonalScatter(" + g.offset + ", " + g.axis1 + ", " + g.axis2 + ") into " + Arrays.toString(shape)
                + " " + dt + " from " + srcType;
        Tensor y = x.diagonalScatter(src, g.offset, g.axis1, g.axis2);
        RearrangingTest.check(new Arr(e, shape), y, dt, backend, ctx);
        assertNotSame(x.storage(), y.storage(), ctx);
        assertNotSame(src.storage(), y.storage(), ctx);
        RearrangingTest.check(in, x, dt, backend, ctx + ": the base is left alone");
        // diagonal is the inverse: reading the diagonal back gives src.
        assertExact(src.to(dt), y.diagonal(g.offset, g.axis1, g.axis2), ctx + ": read back");
    }

    @ParameterizedTest
    @MethodSource("seedsAndBackends")
    void sliceScatter(long seed, Backend backend) {
        Random r = new Random(seed);
        int[] shape = Cases.shape(r, 4);
        if (shape.length == 0) {
            shape = new int[] {Cases.dim(r)};
        }
        int[] sh = shape;
        DType dt = RearrangingTest.anyDtype(r);
        Tensor x = RearrangingTest.input(r, backend, dt, shape);
        Arr in = Arr.of(x);
        int a = r.nextInt(shape.length);
        int axis = r.nextBoolean() ? a : a - shape.length;
        int n = shape[a];
        int start = r.nextInt(2 * n + 3) - n - 1;
        int end = r.nextInt(2 * n + 3) - n - 1;
        if (r.nextInt(4) == 0) {
            end = Integer.MAX_VALUE;
        }
        int step = 1 + r.nextInt(3);
        // Python's slice semantics
        int s0 = Math.max(0, Math.min(n, start < 0 ? start + n : start));
        int e0 = Math.max(0, Math.min(n, end < 0 ? end + n : end));
        int len = e0 > s0 ? (e0 - s0 + step - 1) / step : 0;
        int[] srcShape = shape.clone();
        srcShape[a] = len;
        Tensor src = RearrangingTest.input(r, backend, dt, srcShape);
        Arr s = Arr.of(src);
        Arr expected = Arr.build(shape, idx -> {
            int p = idx[a] - s0;
            if (p >= 0 && p % step == 0 && p / step < len) {
                int[] j = idx.clone();
                j[a] = p / step;
                return s.get(j);
            }
            return in.get(idx);
        });
        String ctx = "sliceScatter(axis " + axis + ", " + start + ":" + end + ":" + step + ") into "
                + Arrays.toString(sh) + " " + dt;
        Tensor y = x.sliceScatter(src, axis, start, end, step);
        RearrangingTest.check(expected, y, dt, backend, ctx);
        assertNotSame(x.storage(), y.storage(), ctx);
        RearrangingTest.check(in, x, dt, backend, ctx + ": the base is left alone");
        assertExact(src, y.slice(axis, start, end, step), ctx + ": read back");
    }

    @Test
    void examples() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 3);
        RearrangingTest.values(new double[] {1, 5, 9}, new int[] {3}, x.diagonal());
        RearrangingTest.values(new double[] {2, 6}, new int[] {2}, x.diagonal(1, 0, 1));
        RearrangingTest.values(new double[] {4, 8}, new int[] {2}, x.diagonal(-1, 0, 1));
        RearrangingTest.values(new double[] {2, 6}, new int[] {2}, x.diagonal(-1, 1, 0));
        RearrangingTest.values(new double[] {}, new int[] {0}, x.diagonal(3, 0, 1));
        RearrangingTest.values(new double[] {}, new int[] {0}, x.diagonal(-7, 0, 1));
        // batched: the diagonal goes last
        Tensor b = Tensor.arange(0, 12).to(DType.F64).reshape(2, 2, 3);
        RearrangingTest.values(new double[] {0, 4, 6, 10}, new int[] {2, 2}, b.diagonal());
        RearrangingTest.values(new double[] {0, 9, 1, 10, 2, 11}, new int[] {3, 2}, b.diagonal(0, 0, 1));
        RearrangingTest.values(new double[] {1, 0, 0, 0, 5, 0, 0, 0, 9}, new int[] {3, 3},
                Tensor.zeros(DType.F64, 3, 3).diagonalScatter(x.diagonal(), 0, 0, 1));
        RearrangingTest.values(new double[] {1, -1, 3, 4, 5, -2, 7, 8, 9}, new int[] {3, 3},
                x.diagonalScatter(Tensor.of(new double[] {-1, -2}), 1, 0, 1));
        RearrangingTest.values(new double[] {0, 2, 0, 0, 5, 0, 0, 8, 0}, new int[] {3, 3},
                Tensor.zeros(DType.F64, 3, 3).sliceScatter(x.slice(1, 1, 2), 1, 1, 2, 1));
        RearrangingTest.values(new double[] {-1, -2, -3, 4, 5, 6, -4, -5, -6}, new int[] {3, 3},
                x.sliceScatter(Tensor.of(new double[] {-1, -2, -3, -4, -5, -6}, 2, 3), 0, 0, 3, 2));
        RearrangingTest.values(new double[] {1, 2, -1, 4, 5, -2, 7, 8, -3}, new int[] {3, 3},
                x.sliceScatter(Tensor.of(new double[] {-1, -2, -3}, 3, 1), 1, -1, Integer.MAX_VALUE, 1));
        // a view keeps the storage of what it was taken from
        Tensor d = x.diagonal();
        assertSame(x.storage(), d.storage());
        d.fill(0);
        RearrangingTest.values(new double[] {0, 2, 3, 4, 0, 6, 7, 8, 0}, new int[] {3, 3}, x);
    }

    @Test
    void sliceScatterIntoEmptyRegionIsACopy() {
        Tensor x = Tensor.of(new double[] {1, 2, 3});
        Tensor y = x.sliceScatter(Tensor.zeros(DType.F64, 0), 0, 2, 1, 1);
        RearrangingTest.values(new double[] {1, 2, 3}, new int[] {3}, y);
        assertNotSame(x.storage(), y.storage());
        assertEquals(DType.F64, y.dtype());
    }

    @Test
    void badInput() {
        Tensor x = Tensor.zeros(3, 4);
        BadInputTest.bad(() -> x.diagonal(0, 1, -1), "diagonal", "axes must differ", "[3, 4]");
        BadInputTest.bad(() -> x.diagonal(0, 0, 2), "diagonal", "axis 2", "rank 2");
        BadInputTest.bad(() -> Tensor.zeros(3).diagonal(), "diagonal", "rank 1");
        BadInputTest.bad(() -> x.diagonalScatter(Tensor.zeros(4), 0, 0, 1), "diagonalScatter", "[4]", "[3]",
                "[3, 4]");
        BadInputTest.bad(() -> x.diagonalScatter(Tensor.zeros(3), 2, 0, 1), "diagonalScatter", "[3]", "[3, 4]");
        BadInputTest.bad(() -> x.diagonalScatter(Tensor.zeros(3), 0, 1, 1), "diagonal", "axes must differ");
        BadInputTest.bad(() -> x.sliceScatter(Tensor.zeros(3, 2), 1, 0, 4, 1), "sliceScatter", "[3, 2]", "[3, 4]");
        BadInputTest.bad(() -> x.sliceScatter(Tensor.zeros(3, 2), 1, 0, 4, 0), "slice", "step");
        BadInputTest.bad(() -> x.sliceScatter(Tensor.zeros(3, 2), 2, 0, 4, 1), "slice", "axis 2");
    }
}
