package dev.deneb.tensor;

import static dev.deneb.tensor.testing.Cases.assertExact;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.testing.Cases;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * flip, roll, repeat, tile, repeatInterleave, tril, triu, diag, outer, maskedSelect and nonzero: values against a
 * model written with plain index loops over row-major arrays, on both CPU backends, every dtype, random shapes
 * (empty and 0-D included) and random non-contiguous layouts; hand-checked examples; and the messages for bad input.
 */
class RearrangingTest {
    static Stream<Arguments> seedsAndBackends() {
        return IntStream.range(0, 40).boxed().flatMap(i -> Stream.of(
                Arguments.of(7000L + i, Backends.reference()), Arguments.of(7000L + i, Backends.cpu())));
    }

    // =========================================================================================================
    // The model: a row-major array and its shape
    // =========================================================================================================

    record Arr(double[] v, int[] shape) {
        static Arr of(Tensor t) {
            return new Arr(t.toDoubleArray(), t.shape());
        }

        static Arr build(int[] shape, Function<int[], Double> at) {
            double[] v = new double[Cases.numel(shape)];
            for (int i = 0; i < v.length; i++) {
                v[i] = at.apply(Cases.unravel(i, shape));
            }
            return new Arr(v, shape);
        }

        double get(int[] idx) {
            int flat = 0;
            for (int d = 0; d < shape.length; d++) {
                flat = flat * shape[d] + idx[d];
            }
            return v[flat];
        }

        Tensor on(Backend backend, DType dtype) {
            return Cases.fromDoubles(backend, dtype, shape, v);
        }
    }

    /** A random tensor of the shape as a random (often non-contiguous) view, on {@code backend}. */
    static Tensor input(Random r, Backend backend, DType dtype, int[] shape) {
        Cases.Layout layout = Cases.layout(r, shape);
        return layout.apply(Cases.random(r, backend, dtype, layout.baseShape()));
    }

    static DType anyDtype(Random r) {
        return Cases.ALL_DTYPES[r.nextInt(Cases.ALL_DTYPES.length)];
    }

    static void check(Arr expected, Tensor actual, DType dtype, Backend backend, String context) {
        Cases.assertOn(backend, actual, context);
        assertExact(expected.on(Backends.reference(), dtype), actual, context);
    }

    /** The op must return a new tensor, not a view of its input. */
    static void assertFresh(Tensor input, Tensor result, String context) {
        assertNotSame(input.storage(), result.storage(), context + ": result shares storage with the input");
    }

    // =========================================================================================================
    // Random cases against the model
    // =========================================================================================================

    @ParameterizedTest
    @MethodSource("seedsAndBackends")
    void flip(long seed, Backend backend) {
        Random r = new Random(seed);
        int[] shape = Cases.shape(r);
        DType dt = anyDtype(r);
        Tensor x = input(r, backend, dt, shape);
        Arr in = Arr.of(x);
        int rank = Math.max(1, shape.length);
        int[] axes = Cases.axes(r, rank);
        if (shape.length == 0) {
            axes = r.nextBoolean() ? new int[] {0} : new int[] {-1};
        }
        boolean[] flipped = new boolean[rank];
        for (int a : axes) {
            flipped[a < 0 ? a + rank : a] = true;
        }
        Arr expected = Arr.build(shape, idx -> {
            int[] j = idx.clone();
            for (int d = 0; d < j.length; d++) {
                if (flipped[d]) {
                    j[d] = shape[d] - 1 - idx[d];
                }
            }
            return in.get(j);
        });
        String ctx = "flip" + Arrays.toString(axes) + " of " + Arrays.toString(shape) + " " + dt;
        Tensor y = x.flip(axes);
        check(expected, y, dt, backend, ctx);
        assertFresh(x, y, ctx);
    }

    @ParameterizedTest
    @MethodSource("seedsAndBackends")
    void roll(long seed, Backend backend) {
        Random r = new Random(seed);
        int[] shape = Cases.shape(r);
        DType dt = anyDtype(r);
        Tensor x = input(r, backend, dt, shape);
        Arr in = Arr.of(x);
        int rank = Math.max(1, shape.length);
        int count = 1 + r.nextInt(3);
        int[] axes = new int[count];
        int[] shifts = new int[count];
        long[] total = new long[rank];
        for (int i = 0; i < count; i++) {
            int a = r.nextInt(rank);
            axes[i] = r.nextBoolean() ? a : a - rank;
            shifts[i] = r.nextInt(21) - 10;
            total[a] += shifts[i];
        }
        Arr expected = Arr.build(shape, idx -> {
            int[] j = idx.clone();
            for (int d = 0; d < j.length; d++) {
                j[d] = (int) Math.floorMod(idx[d] - total[d], (long) shape[d]);
            }
            return in.get(j);
        });
        String ctx = "roll" + Arrays.toString(shifts) + Arrays.toString(axes) + " of " + Arrays.toString(shape);
        Tensor y = x.roll(shifts, axes);
        check(expected, y, dt, backend, ctx);
        assertFresh(x, y, ctx);

        // Flattened: position i of the result holds element (i - shift) mod n of the row-major elements.
        int shift = r.nextInt(41) - 20;
        int n = in.v().length;
        double[] flat = new double[n];
        for (int i = 0; i < n; i++) {
            flat[i] = in.v()[Math.floorMod(i - shift, n)];
        }
        Tensor z = x.roll(shift);
        check(new Arr(flat, shape), z, dt, backend, "roll(" + shift + ") of " + Arrays.toString(shape));
        assertFresh(x, z, "roll(" + shift + ")");
    }

    @ParameterizedTest
    @MethodSource("seedsAndBackends")
    void repeatAndTile(long seed, Backend backend) {
        Random r = new Random(seed);
        int[] shape = Cases.shape(r, 3);
        DType dt = anyDtype(r);
        Tensor x = input(r, backend, dt, shape);
        Arr in = Arr.of(x);

        int[] reps = new int[shape.length + r.nextInt(3)];
        for (int i = 0; i < reps.length; i++) {
            reps[i] = r.nextInt(4);
        }
        Tensor y = x.repeat(reps);
        check(repeatModel(in, reps), y, dt, backend, "repeat" + Arrays.toString(reps) + " of "
                + Arrays.toString(shape));
        assertFresh(x, y, "repeat");

        // tile pads short reps with leading 1s, then is repeat.
        int[] tileReps = new int[r.nextInt(shape.length + 2)];
        for (int i = 0; i < tileReps.length; i++) {
            tileReps[i] = r.nextInt(4);
        }
        int[] padded = tileReps;
        if (tileReps.length < shape.length) {
            padded = new int[shape.length];
            Arrays.fill(padded, 1);
            System.arraycopy(tileReps, 0, padded, shape.length - tileReps.length, tileReps.length);
        }
        Tensor z = x.tile(tileReps);
        check(repeatModel(in, padded), z, dt, backend, "tile" + Arrays.toString(tileReps) + " of "
                + Arrays.toString(shape));
        assertFresh(x, z, "tile");
    }

    /** out[idx] = in[idx mod size] over the trailing axes; the result has size p[i] * reps[i]. */
    static Arr repeatModel(Arr in, int[] reps) {
        int lead = reps.length - in.shape().length;
        int[] out = new int[reps.length];
        for (int i = 0; i < reps.length; i++) {
            out[i] = (i < lead ? 1 : in.shape()[i - lead]) * reps[i];
        }
        return Arr.build(out, idx -> {
            int[] j = new int[in.shape().length];
            for (int d = 0; d < j.length; d++) {
                j[d] = idx[d + lead] % in.shape()[d];
            }
            return in.get(j);
        });
    }

    @ParameterizedTest
    @MethodSource("seedsAndBackends")
    void repeatInterleave(long seed, Backend backend) {
        Random r = new Random(seed);
        int[] shape = Cases.shape(r, 3);
        DType dt = anyDtype(r);
        Tensor x = input(r, backend, dt, shape);
        Arr in = Arr.of(x);
        int[] shape1 = shape.length == 0 ? new int[] {1} : shape;
        int a = r.nextInt(shape1.length);
        int axis = r.nextBoolean() ? a : a - shape1.length;
        int n = shape1[a];

        int k = r.nextInt(4);
        long[] same = new long[n];
        Arrays.fill(same, k);
        Tensor y = x.repeatInterleave(k, axis);
        check(interleaveModel(in, shape1, a, same), y, dt, backend, "repeatInterleave(" + k + ", " + axis + ") of "
                + Arrays.toString(shape));
        assertFresh(x, y, "repeatInterleave");

        long[] counts = new long[n];
        for (int i = 0; i < n; i++) {
            counts[i] = r.nextInt(4);
        }
        Tensor rep = Cases.upload(backend, counts, n);
        if (r.nextBoolean()) {
            rep = rep.to(DType.I32);
        }
        Tensor z = x.repeatInterleave(rep, axis);
        check(interleaveModel(in, shape1, a, counts), z, dt, backend, "repeatInterleave(" + Arrays.toString(counts)
                + ", " + axis + ") of " + Arrays.toString(shape));
    }

    static Arr interleaveModel(Arr in, int[] shape1, int a, long[] counts) {
        List<Integer> source = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            for (long c = 0; c < counts[i]; c++) {
                source.add(i);
            }
        }
        int[] out = shape1.clone();
        out[a] = source.size();
        Arr in1 = new Arr(in.v(), shape1);
        return Arr.build(out, idx -> {
            int[] j = idx.clone();
            j[a] = source.get(idx[a]);
            return in1.get(j);
        });
    }

    @ParameterizedTest
    @MethodSource("seedsAndBackends")
    void trilAndTriu(long seed, Backend backend) {
        Random r = new Random(seed);
        int[] shape = Cases.shape(r, 4);
        if (shape.length < 2) {
            shape = new int[] {Cases.dim(r), Cases.dim(r)};
        }
        DType dt = anyDtype(r);
        Tensor x = input(r, backend, dt, shape);
        Arr in = Arr.of(x);
        int k = r.nextInt(11) - 5;
        int rank = shape.length;
        Arr lower = Arr.build(shape, idx -> idx[rank - 1] - idx[rank - 2] <= k ? in.get(idx) : 0.0);
        Arr upper = Arr.build(shape, idx -> idx[rank - 1] - idx[rank - 2] >= k ? in.get(idx) : 0.0);
        String ctx = Arrays.toString(shape) + " " + dt + " diagonal " + k;
        Tensor lo = x.tril(k);
        Tensor up = x.triu(k);
        check(lower, lo, dt, backend, "tril " + ctx);
        check(upper, up, dt, backend, "triu " + ctx);
        assertFresh(x, lo, "tril");
        assertFresh(x, up, "triu");
        if (k == 0) {
            assertExact(lo, x.tril(), "tril()");
            assertExact(up, x.triu(), "triu()");
        }
    }

    @ParameterizedTest
    @MethodSource("seedsAndBackends")
    void diag(long seed, Backend backend) {
        Random r = new Random(seed);
        DType dt = anyDtype(r);
        int k = r.nextInt(9) - 4;
        // a vector onto a diagonal
        int n = Cases.dim(r);
        Tensor v = input(r, backend, dt, new int[] {n});
        Arr vin = Arr.of(v);
        int size = n + Math.abs(k);
        Arr matrix = Arr.build(new int[] {size, size}, idx -> {
            int i = idx[0];
            int j = idx[1];
            if (j - i != k) {
                return 0.0;
            }
            return vin.v()[k >= 0 ? i : j];
        });
        check(matrix, v.diag(k), dt, backend, "diag(" + k + ") of a vector of " + n);

        // a matrix's diagonal, as a copy
        int[] shape = {Cases.dim(r), Cases.dim(r)};
        Tensor m = input(r, backend, dt, shape);
        Arr min = Arr.of(m);
        int len = Math.max(0, k >= 0 ? Math.min(shape[0], shape[1] - k) : Math.min(shape[0] + k, shape[1]));
        double[] d = new double[len];
        for (int i = 0; i < len; i++) {
            d[i] = k >= 0 ? min.get(new int[] {i, i + k}) : min.get(new int[] {i - k, i});
        }
        Tensor got = m.diag(k);
        check(new Arr(d, new int[] {len}), got, dt, backend, "diag(" + k + ") of " + Arrays.toString(shape));
        assertFresh(m, got, "diag of a matrix");
        if (k == 0) {
            assertExact(got, m.diag(), "diag()");
            assertExact(v.diag(0), v.diag(), "diag() of a vector");
        }
    }

    @ParameterizedTest
    @MethodSource("seedsAndBackends")
    void outer(long seed, Backend backend) {
        Random r = new Random(seed);
        DType da = anyDtype(r);
        DType db = anyDtype(r);
        Tensor a = input(r, backend, da, new int[] {Cases.dim(r)});
        Tensor b = input(r, backend, db, new int[] {Cases.dim(r)});
        double[] av = a.toDoubleArray();
        double[] bv = b.toDoubleArray();
        Tensor y = a.outer(b);
        // types promote as in mul (bool times bool is i64, as bool arithmetic is)
        DType expectedType = y.dtype();
        DType promoted = DType.promote(da, db);
        assertEquals(promoted == DType.BOOL ? DType.I64 : promoted, expectedType, "outer dtype");
        Arr expected = Arr.build(new int[] {av.length, bv.length}, idx -> av[idx[0]] * bv[idx[1]]);
        Cases.assertClose(expected.on(Backends.reference(), expectedType), y, 1e-6, 0,
                "outer of " + da + " and " + db);
        Cases.assertOn(backend, y, "outer");
    }

    @ParameterizedTest
    @MethodSource("seedsAndBackends")
    void maskedSelect(long seed, Backend backend) {
        Random r = new Random(seed);
        int[] shape = Cases.shape(r);
        DType dt = anyDtype(r);
        Tensor x = input(r, backend, dt, shape);
        Arr in = Arr.of(x);
        int[] maskShape = Cases.broadcastPartner(r, shape);
        Tensor mask = input(r, backend, DType.BOOL, maskShape);
        Arr m = Arr.of(mask);
        int lead = shape.length - maskShape.length;
        List<Double> picked = new ArrayList<>();
        for (int i = 0; i < in.v().length; i++) {
            int[] idx = Cases.unravel(i, shape);
            int[] mi = new int[maskShape.length];
            for (int d = 0; d < mi.length; d++) {
                mi[d] = maskShape[d] == 1 ? 0 : idx[d + lead];
            }
            if (m.get(mi) != 0) {
                picked.add(in.v()[i]);
            }
        }
        double[] e = picked.stream().mapToDouble(Double::doubleValue).toArray();
        Tensor y = x.maskedSelect(mask);
        check(new Arr(e, new int[] {e.length}), y, dt, backend, "maskedSelect of " + Arrays.toString(shape)
                + " by a mask of " + Arrays.toString(maskShape));
        assertFresh(x, y, "maskedSelect");
    }

    @ParameterizedTest
    @MethodSource("seedsAndBackends")
    void nonzero(long seed, Backend backend) {
        Random r = new Random(seed);
        int[] shape = Cases.shape(r);
        DType dt = anyDtype(r);
        Cases.Layout layout = Cases.layout(r, shape);
        double[] base = Cases.values(r, dt, Cases.numel(layout.baseShape()));
        for (int i = 0; i < base.length; i++) {
            double u = r.nextDouble();
            base[i] = u < 0.4 ? 0 : u < 0.45 && dt.isFloating() ? (r.nextBoolean() ? Double.NaN : -0.0) : base[i];
        }
        Tensor x = layout.apply(Cases.fromDoubles(backend, dt, layout.baseShape(), base));
        double[] v = x.toDoubleArray();
        List<int[]> rows = new ArrayList<>();
        for (int i = 0; i < v.length; i++) {
            if (v[i] != 0) {
                rows.add(Cases.unravel(i, shape));
            }
        }
        double[] e = new double[rows.size() * shape.length];
        for (int i = 0; i < rows.size(); i++) {
            for (int d = 0; d < shape.length; d++) {
                e[i * shape.length + d] = rows.get(i)[d];
            }
        }
        Tensor y = x.nonzero();
        check(new Arr(e, new int[] {rows.size(), shape.length}), y, DType.I64, backend, "nonzero of "
                + Arrays.toString(shape) + " " + dt + " (" + layout + ")");
    }

    // =========================================================================================================
    // Hand-checked examples (the values PyTorch gives)
    // =========================================================================================================

    static Tensor m23() {
        return Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    }

    static void values(double[] expected, int[] shape, Tensor actual) {
        assertArrayEquals(shape, actual.shape(), "shape");
        assertArrayEquals(expected, actual.toDoubleArray(), 0, () -> Arrays.toString(actual.toDoubleArray()));
    }

    @Test
    void examples() {
        Tensor x = m23();
        values(new double[] {3, 2, 1, 6, 5, 4}, new int[] {2, 3}, x.flip(1));
        values(new double[] {6, 5, 4, 3, 2, 1}, new int[] {2, 3}, x.flip(0, -1));
        values(new double[] {1, 2, 3, 4, 5, 6}, new int[] {2, 3}, x.flip());
        values(new double[] {3, 1, 2, 6, 4, 5}, new int[] {2, 3}, x.roll(new int[] {1}, new int[] {1}));
        values(new double[] {5, 6, 4, 2, 3, 1}, new int[] {2, 3}, x.roll(new int[] {1, -1}, new int[] {0, 1}));
        values(new double[] {5, 6, 1, 2, 3, 4}, new int[] {2, 3}, x.roll(2));
        values(new double[] {6, 1, 2, 3, 4, 5}, new int[] {2, 3}, x.roll(-5));
        values(new double[] {1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6}, new int[] {2, 6}, x.repeat(1, 2));
        values(new double[] {1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6}, new int[] {2, 2, 3}, x.repeat(2, 1, 1));
        values(new double[] {1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6}, new int[] {2, 6}, x.tile(2));
        values(new double[] {1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6}, new int[] {2, 6}, x.repeatInterleave(2, 1));
        values(new double[] {1, 2, 3, 4, 5, 6, 4, 5, 6}, new int[] {3, 3},
                x.repeatInterleave(Tensor.of(new long[] {1, 2}), 0));
        values(new double[] {4, 5, 6}, new int[] {1, 3}, x.repeatInterleave(Tensor.of(new int[] {0, 1}), 0));
        values(new double[] {1, 1, 1}, new int[] {3}, Tensor.scalar(1).repeatInterleave(3, 0));
        values(new double[] {1, 0, 0, 4, 5, 0}, new int[] {2, 3}, x.tril());
        values(new double[] {1, 2, 0, 4, 5, 6}, new int[] {2, 3}, x.tril(1));
        values(new double[] {0, 0, 0, 4, 0, 0}, new int[] {2, 3}, x.tril(-1));
        values(new double[] {1, 2, 3, 0, 5, 6}, new int[] {2, 3}, x.triu());
        values(new double[] {0, 0, 3, 0, 0, 0}, new int[] {2, 3}, x.triu(2));
        values(new double[] {1, 5}, new int[] {2}, x.diag());
        values(new double[] {2, 6}, new int[] {2}, x.diag(1));
        values(new double[] {4}, new int[] {1}, x.diag(-1));
        values(new double[] {}, new int[] {0}, x.diag(3));
        values(new double[] {0, 1, 0, 0, 0, 2, 0, 0, 0}, new int[] {3, 3}, Tensor.of(new double[] {1, 2}).diag(1));
        values(new double[] {0, 0, 1, 0}, new int[] {2, 2}, Tensor.of(new double[] {1}).diag(-1));
        values(new double[] {3, 4, 6, 8, 9, 12}, new int[] {3, 2},
                Tensor.of(new double[] {1, 2, 3}).outer(Tensor.of(new double[] {3, 4})));
        Tensor mask = Tensor.of(new boolean[] {true, false, true});
        values(new double[] {1, 3, 4, 6}, new int[] {4}, x.maskedSelect(mask));
        values(new double[] {0, 1, 1, 0, 1, 2}, new int[] {3, 2},
                Tensor.of(new double[] {0, 1, 0, 2, 0, 3}, 2, 3).nonzero());
        values(new double[] {2, 3}, new int[] {2, 1}, Tensor.of(new double[] {0, -0.0, Double.NaN, 4}).nonzero());
    }

    @Test
    void integerAndBoolDtypesKeepTheirType() {
        Tensor i = Tensor.of(new int[] {1, 2, 3, 4}, 2, 2);
        assertEquals(DType.I32, i.flip(0).dtype());
        assertEquals(DType.I32, i.roll(1).dtype());
        assertEquals(DType.I32, i.repeat(2, 2).dtype());
        assertEquals(DType.I32, i.tile(2).dtype());
        assertEquals(DType.I32, i.repeatInterleave(2, 0).dtype());
        assertEquals(DType.I32, i.tril().dtype());
        assertEquals(DType.I32, i.diag().dtype());
        Tensor b = Tensor.of(new boolean[] {true, false, true, true}, 2, 2);
        values(new double[] {1, 0, 1, 1}, new int[] {2, 2}, b.tril());
        assertEquals(DType.BOOL, b.triu().dtype());
        assertEquals(DType.BOOL, b.maskedSelect(b).dtype());
        values(new double[] {0, 0, 1, 0, 1, 1}, new int[] {3, 2}, b.nonzero());
        Tensor l = Tensor.of(new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
        assertArrayEquals(new long[] {1, 2}, l.nonzero().toLongArray());
        assertArrayEquals(new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}, l.roll(1).toLongArray());
    }

    @Test
    void nanAndInfinityOutsideTheTriangleBecomeZero() {
        Tensor x = Tensor.of(new double[] {1, Double.NaN, Double.POSITIVE_INFINITY, 2}, 2, 2);
        values(new double[] {1, 0, Double.POSITIVE_INFINITY, 2}, new int[] {2, 2}, x.tril());
        values(new double[] {1, Double.NaN, 0, 2}, new int[] {2, 2}, x.triu());
    }

    @Test
    void trilIsBatchedOverLeadingAxes() {
        Tensor x = Tensor.ones(2, 2, 2);
        values(new double[] {1, 0, 1, 1, 1, 0, 1, 1}, new int[] {2, 2, 2}, x.tril());
    }

    @Test
    void emptyAndZeroDimensional() {
        Tensor s = Tensor.scalar(5);
        values(new double[] {5}, new int[] {}, s.flip(0));
        values(new double[] {5}, new int[] {}, s.roll(3));
        values(new double[] {5}, new int[] {}, s.roll(new int[] {2}, new int[] {0}));
        values(new double[] {5, 5, 5, 5, 5, 5}, new int[] {2, 3}, s.repeat(2, 3));
        values(new double[] {5}, new int[] {}, s.repeat());
        values(new double[] {5, 5}, new int[] {2}, s.tile(2));
        assertArrayEquals(new int[] {1, 0}, s.nonzero().shape());
        assertArrayEquals(new int[] {0, 0}, Tensor.scalar(0).nonzero().shape());
        values(new double[] {5}, new int[] {1}, s.maskedSelect(Tensor.of(new boolean[] {true}).reshape()));
        Tensor e = Tensor.zeros(0, 3);
        assertArrayEquals(new int[] {0, 3}, e.flip(0, 1).shape());
        assertArrayEquals(new int[] {0, 3}, e.roll(new int[] {1, 1}, new int[] {0, 1}).shape());
        assertArrayEquals(new int[] {0, 3}, e.roll(4).shape());
        assertArrayEquals(new int[] {0, 6}, e.repeat(5, 2).shape());
        assertArrayEquals(new int[] {2, 0}, m23().repeat(1, 0).shape());
        assertArrayEquals(new int[] {0, 3}, e.repeatInterleave(3, 0).shape());
        assertArrayEquals(new int[] {0, 3}, m23().repeatInterleave(0, 0).shape());
        assertArrayEquals(new int[] {0, 3}, e.tril().shape());
        assertArrayEquals(new int[] {0}, e.diag().shape());
        values(new double[] {0, 0, 0, 0}, new int[] {2, 2}, Tensor.zeros(0).diag(2));
        assertArrayEquals(new int[] {0, 2}, e.nonzero().shape());
        assertArrayEquals(new int[] {0}, e.maskedSelect(Tensor.of(new boolean[] {true, true, true})).shape());
        assertArrayEquals(new int[] {0, 4}, Tensor.zeros(0).outer(Tensor.zeros(4)).shape());
        // an empty batch of huge matrices must not allocate a huge mask
        assertArrayEquals(new int[] {0, 50_000, 50_000}, Tensor.zeros(0, 1, 1).expand(0, 50_000, 50_000).tril().shape());
    }

    @Test
    void resultsAreCopiesEvenWhenNothingMoves() {
        Tensor x = m23();
        for (Tensor y : List.of(x.flip(), x.roll(new int[] {0}, new int[] {0}), x.roll(6), x.repeat(1, 1),
                x.tile(1), x.repeatInterleave(1, 0), x.maskedSelect(Tensor.of(new boolean[] {true}).reshape()))) {
            assertFresh(x, y, "no-op rearrangement");
        }
        Tensor one = Tensor.of(new double[] {7});
        Tensor rep = one.repeat(4);
        assertNotSame(one.storage(), rep.storage());
        assertTrue(rep.isContiguous());
    }

    // =========================================================================================================
    // Bad input
    // =========================================================================================================

    static void bad(Executable call, String... fragments) {
        BadInputTest.bad(call, fragments);
    }

    @Test
    void badInput() {
        Tensor x = m23();
        bad(() -> x.flip(2), "flip", "axis 2", "rank 2");
        bad(() -> x.flip(0, -2), "flip", "twice", "[0, -2]");
        bad(() -> x.roll(new int[] {1, 2}, new int[] {0}), "roll", "[1, 2]", "[0]");
        bad(() -> x.roll(new int[] {}, new int[] {}), "roll", "at least one");
        bad(() -> x.roll(new int[] {1}, new int[] {3}), "roll", "axis 3");
        bad(() -> x.repeat(2), "repeat", "at least 2 repeats", "[2, 3]", "[2]");
        bad(() -> x.repeat(2, -1), "repeat", ">= 0", "[2, -1]");
        bad(() -> x.repeat(100_000, 100_000), "repeat", "[100000, 100000]", "more than");
        bad(() -> x.repeat(1, Integer.MAX_VALUE), "repeat", "more than");
        bad(() -> x.tile(-1), "tile", ">= 0");
        bad(() -> x.tile(100_000, 100_000), "tile", "more than");
        bad(() -> x.repeatInterleave(-1, 0), "repeatInterleave", "-1");
        bad(() -> x.repeatInterleave(2, 2), "repeatInterleave", "axis 2");
        bad(() -> x.repeatInterleave(Integer.MAX_VALUE, 1), "repeatInterleave", "more than");
        bad(() -> x.repeatInterleave(Tensor.of(new long[] {1, 2}), 1), "repeatInterleave", "[2]", "(3)", "axis 1");
        bad(() -> x.repeatInterleave(Tensor.of(new long[] {1, -2}), 0), "repeatInterleave", ">= 0", "-2",
                "position 1");
        bad(() -> x.repeatInterleave(Tensor.of(new double[] {1, 2}), 0), "repeatInterleave", "f64");
        bad(() -> x.repeatInterleave(Tensor.of(new long[] {1, 2}, 1, 2), 0), "repeatInterleave", "[1, 2]");
        bad(() -> x.repeatInterleave(Tensor.of(new long[] {Integer.MAX_VALUE, Integer.MAX_VALUE}), 0),
                "repeatInterleave", "more than");
        bad(() -> Tensor.zeros(3).tril(), "tril", "rank >= 2", "[3]");
        bad(() -> Tensor.scalar(1).triu(1), "triu", "rank >= 2", "[]");
        bad(() -> Tensor.zeros(2, 2, 2).diag(), "diag", "1-D", "2-D", "[2, 2, 2]");
        bad(() -> Tensor.scalar(1).diag(), "diag", "[]");
        bad(() -> Tensor.zeros(3).diag(Integer.MAX_VALUE), "diag", "more than");
        bad(() -> Tensor.zeros(100_000).diag(), "diag", "100000x100000", "more than");
        bad(() -> x.outer(Tensor.zeros(3)), "outer", "1-D", "[2, 3]", "[3]");
        bad(() -> x.maskedSelect(Tensor.zeros(2, 3)), "maskedSelect", "bool", "f32");
        bad(() -> x.maskedSelect(Tensor.of(new boolean[] {true, false})), "maskedSelect", "[2]", "[2, 3]");
        bad(() -> Tensor.zeros(3).maskedSelect(Tensor.of(new boolean[] {true, false, true, true, false, true}, 2, 3)),
                "maskedSelect", "[2, 3]", "[3]");
        Tensor other = Tensor.of(new boolean[] {true, true, true}).to(Backends.current() == Backends.reference()
                ? Backends.cpu() : Backends.reference());
        bad(() -> x.maskedSelect(other), "maskedSelect", "backends");
    }

    @Test
    void messageOfAFlipAxisOutOfRangeNamesTheShapeRank() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2).flip(-2));
        assertTrue(e.getMessage().contains("flip: axis -2 is out of range for a tensor of rank 1"), e.getMessage());
    }
}
