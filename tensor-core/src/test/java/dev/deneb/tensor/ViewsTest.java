package dev.deneb.tensor;

import static dev.deneb.tensor.testing.Cases.assertExact;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.testing.Cases;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Views share storage and copy nothing; their values are checked against a model that knows nothing of strides: a
 * view is a shape plus a function from a multi-index to a position in the base array, composed op by op.
 */
class ViewsTest {
    static Stream<Arguments> seedsAndBackends() {
        return IntStream.range(0, 60).boxed().flatMap(i -> Stream.of(
                Arguments.of(3000L + i, Backends.reference()), Arguments.of(3000L + i, Backends.cpu())));
    }

    static Stream<Long> seeds() {
        return IntStream.range(0, 40).mapToObj(i -> 4000L + i);
    }

    // =========================================================================================================
    // The index-arithmetic model
    // =========================================================================================================

    record Model(int[] shape, ToIntFunction<int[]> at) {
        int numel() {
            return Cases.numel(shape);
        }

        double[] values(double[] base) {
            double[] out = new double[numel()];
            for (int i = 0; i < out.length; i++) {
                out[i] = base[at.applyAsInt(Cases.unravel(i, shape))];
            }
            return out;
        }

        Model permute(int[] p) {
            int[] s = new int[p.length];
            for (int i = 0; i < p.length; i++) {
                s[i] = shape[p[i]];
            }
            return new Model(s, idx -> {
                int[] j = new int[p.length];
                for (int i = 0; i < p.length; i++) {
                    j[p[i]] = idx[i];
                }
                return at.applyAsInt(j);
            });
        }

        /** Python slicing semantics for a positive step. */
        Model slice(int a, int start, int end, int step) {
            int n = shape[a];
            int s0 = start < 0 ? Math.max(0, start + n) : Math.min(start, n);
            int e0 = end < 0 ? Math.max(0, end + n) : Math.min(end, n);
            int len = 0;
            for (int i = s0; i < e0; i += step) {
                len++;
            }
            int[] s = shape.clone();
            s[a] = len;
            return new Model(s, idx -> {
                int[] j = idx.clone();
                j[a] = s0 + idx[a] * step;
                return at.applyAsInt(j);
            });
        }

        Model select(int a, int i) {
            int[] s = new int[shape.length - 1];
            for (int d = 0, k = 0; d < shape.length; d++) {
                if (d != a) {
                    s[k++] = shape[d];
                }
            }
            return new Model(s, idx -> {
                int[] j = new int[shape.length];
                for (int d = 0, k = 0; d < shape.length; d++) {
                    j[d] = d == a ? i : idx[k++];
                }
                return at.applyAsInt(j);
            });
        }

        Model unsqueeze(int a) {
            int[] s = new int[shape.length + 1];
            for (int d = 0, k = 0; d < s.length; d++) {
                s[d] = d == a ? 1 : shape[k++];
            }
            return new Model(s, idx -> {
                int[] j = new int[shape.length];
                for (int d = 0, k = 0; d < s.length; d++) {
                    if (d != a) {
                        j[k++] = idx[d];
                    }
                }
                return at.applyAsInt(j);
            });
        }

        Model expand(int[] target) {
            int lead = target.length - shape.length;
            return new Model(target.clone(), idx -> {
                int[] j = new int[shape.length];
                for (int d = 0; d < shape.length; d++) {
                    j[d] = shape[d] == 1 ? 0 : idx[d + lead];
                }
                return at.applyAsInt(j);
            });
        }

        Model reshape(int[] newShape) {
            int[] old = shape;
            return new Model(newShape.clone(), idx -> {
                int flat = 0;
                for (int d = 0; d < newShape.length; d++) {
                    flat = flat * newShape[d] + idx[d];
                }
                return at.applyAsInt(Cases.unravel(flat, old));
            });
        }
    }

    /** A chain of view ops applied to both the tensor and the model. */
    static final class Chain {
        Tensor t;
        Model m;
        final List<String> log = new ArrayList<>();
        boolean copied;
        boolean expanded;

        Chain(Tensor t, Model m) {
            this.t = t;
            this.m = m;
        }

        void step(Random r) {
            int rank = m.shape().length;
            int kind = r.nextInt(9);
            if (rank == 0 && kind < 6) {
                kind = 6; // unsqueeze, expand or reshape
            }
            switch (kind) {
                case 0 -> {
                    int[] p = Cases.permutation(r, rank);
                    log.add("permute" + Arrays.toString(p));
                    t = t.permute(p);
                    m = m.permute(p);
                }
                case 1 -> {
                    int a = r.nextInt(rank);
                    int b = r.nextInt(rank);
                    log.add("transpose(" + a + ", " + b + ")");
                    int[] p = IntStream.range(0, rank).toArray();
                    p[a] = b;
                    p[b] = a;
                    t = t.transpose(a - (r.nextBoolean() ? rank : 0), b);
                    m = m.permute(p);
                }
                case 2 -> {
                    int a = r.nextInt(rank);
                    int n = m.shape()[a];
                    int start = r.nextInt(n + 3) - 2;
                    int end = r.nextInt(n + 4) - 2;
                    int step = 1 + r.nextInt(3);
                    log.add("slice(" + a + ", " + start + ", " + end + ", " + step + ")");
                    t = t.slice(a, start, end, step);
                    m = m.slice(a, start, end, step);
                }
                case 3 -> {
                    int a = r.nextInt(rank);
                    int n = m.shape()[a];
                    if (n == 0) {
                        return;
                    }
                    int i = r.nextInt(n);
                    int written = r.nextBoolean() ? i : i - n;
                    log.add("select(" + a + ", " + written + ")");
                    t = t.select(a, written);
                    m = m.select(a, i);
                }
                case 4 -> {
                    int a = r.nextInt(rank);
                    int n = m.shape()[a];
                    int start = r.nextInt(n + 1);
                    int len = r.nextInt(n - start + 1);
                    log.add("narrow(" + a + ", " + start + ", " + len + ")");
                    t = t.narrow(a, start, len);
                    m = m.slice(a, start, start + len, 1);
                }
                case 5 -> {
                    int a = r.nextInt(rank);
                    if (m.shape()[a] != 1) {
                        return;
                    }
                    log.add("squeeze(" + a + ")");
                    t = t.squeeze(a);
                    m = m.select(a, 0);
                }
                case 6 -> {
                    if (rank >= 5) {
                        return;
                    }
                    int a = r.nextInt(rank + 1);
                    log.add("unsqueeze(" + a + ")");
                    t = t.unsqueeze(a);
                    m = m.unsqueeze(a);
                }
                case 7 -> {
                    int lead = rank >= 4 ? 0 : r.nextInt(2);
                    int[] target = new int[rank + lead];
                    int[] arg = new int[rank + lead];
                    for (int d = 0; d < target.length; d++) {
                        int have = d < lead ? 1 : m.shape()[d - lead];
                        target[d] = have == 1 ? r.nextInt(4) : have;
                        arg[d] = d >= lead && have != 1 && r.nextBoolean() ? -1 : target[d];
                    }
                    log.add("expand" + Arrays.toString(arg));
                    t = t.expand(arg);
                    m = m.expand(target);
                    expanded = true;
                }
                default -> {
                    int n = m.numel();
                    int[] s = n == 0 ? new int[] {0, 1 + r.nextInt(3)} : factor(r, n);
                    int[] arg = s.clone();
                    if (s.length > 0 && r.nextBoolean() && n > 0) {
                        arg[r.nextInt(s.length)] = -1;
                    }
                    log.add("reshape" + Arrays.toString(arg));
                    Tensor before = t;
                    t = t.reshape(arg);
                    m = m.reshape(s);
                    copied |= t.storage() != before.storage();
                }
            }
        }
    }

    /** A random shape with {@code n} elements. */
    static int[] factor(Random r, int n) {
        List<Integer> dims = new ArrayList<>();
        int rest = n;
        while (rest > 1 && dims.size() < 3) {
            List<Integer> divs = new ArrayList<>();
            for (int d = 1; d <= rest; d++) {
                if (rest % d == 0) {
                    divs.add(d);
                }
            }
            int d = divs.get(r.nextInt(divs.size()));
            dims.add(d);
            rest /= d;
        }
        if (rest > 1) {
            dims.add(rest);
        }
        if (r.nextBoolean()) {
            dims.add(r.nextInt(dims.size() + 1), 1);
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    @ParameterizedTest
    @MethodSource("seedsAndBackends")
    void randomViewChainsMatchIndexArithmetic(long seed, Backend backend) {
        Random r = new Random(seed);
        int[] baseShape = Cases.shape(r);
        double[] data = new double[Cases.numel(baseShape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = i + 0.25;
        }
        // f32 on even seeds (the fast backend's vector paths), f64 on odd ones; the values are exact in both.
        Tensor base = Cases.fromDoubles(backend, seed % 2 == 0 ? DType.F32 : DType.F64, baseShape, data);
        int[] strides = new int[baseShape.length];
        for (int d = baseShape.length - 1, acc = 1; d >= 0; d--) {
            strides[d] = acc;
            acc *= Math.max(1, baseShape[d]);
        }
        int[] st = strides;
        Chain c = new Chain(base, new Model(baseShape, idx -> {
            int p = 0;
            for (int d = 0; d < idx.length; d++) {
                p += idx[d] * st[d];
            }
            return p;
        }));
        int steps = 1 + r.nextInt(6);
        for (int i = 0; i < steps; i++) {
            c.step(r);
        }
        String what = "base " + Arrays.toString(baseShape) + " then " + c.log;
        assertArrayEquals(c.m.shape(), c.t.shape(), what + ": shape");
        assertArrayEquals(c.m.values(data), c.t.toDoubleArray(), what + ": values");
        assertArrayEquals(c.m.values(data), c.t.contiguous().toDoubleArray(), what + ": contiguous()");
        if (!c.copied) {
            assertSame(base.storage(), c.t.storage(), what + ": a view shares the base's storage");
        }
        if (c.t.numel() > 0) {
            int[] idx = Cases.unravel(r.nextInt(c.t.numel()), c.t.shape());
            assertEquals(data[c.m.at().applyAsInt(idx)], c.t.get(idx), what + ": get" + Arrays.toString(idx));
        }
        // Writing through a view (not an expanded one, whose elements alias) changes exactly the viewed elements.
        if (!c.copied && !c.expanded) {
            double[] src = new double[c.t.numel()];
            double[] expected = data.clone();
            for (int i = 0; i < src.length; i++) {
                src[i] = -1 - i;
                expected[c.m.at().applyAsInt(Cases.unravel(i, c.t.shape()))] = src[i];
            }
            c.t.copyFrom(Cases.fromDoubles(backend, base.dtype(), c.t.shape(), src));
            assertArrayEquals(expected, base.toDoubleArray(), what + ": copyFrom through the view");
        }
    }

    // =========================================================================================================
    // Storage sharing and copies
    // =========================================================================================================

    @Test
    void writingIntoAViewChangesTheBase() {
        Tensor base = Tensor.zeros(3, 4);
        Tensor cols = base.slice(1, 1, 4, 2); // columns 1 and 3
        assertSame(base.storage(), cols.storage());
        int version = base.storage().version();
        cols.copyFrom(Tensor.of(new float[] {1, 2}, 1, 2)); // broadcast over rows
        assertTrue(base.storage().version() > version, "copyFrom bumps the storage version");
        assertArrayEquals(new float[] {0, 1, 0, 2, 0, 1, 0, 2, 0, 1, 0, 2}, base.toFloatArray());
        base.t().select(0, 2).fill(5); // column 2, through a transposed view
        assertArrayEquals(new float[] {0, 1, 5, 2, 0, 1, 5, 2, 0, 1, 5, 2}, base.toFloatArray());
        base.select(0, 1).unsqueeze(0).narrow(1, 0, 2).fill(-1);
        assertArrayEquals(new float[] {0, 1, 5, 2, -1, -1, 5, 2, 0, 1, 5, 2}, base.toFloatArray());
    }

    @Test
    void reshapeOfNonContiguousInputCopiesAndViewRefuses() {
        Tensor x = Tensor.arange(12).reshape(3, 4);
        assertSame(Tensor.arange(12).reshape(3, 4).storage().getClass(), x.storage().getClass());
        Tensor xt = x.t();
        assertFalse(xt.isContiguous());
        Tensor flat = xt.reshape(12);
        assertNotSame(xt.storage(), flat.storage(), "reshape of a transposed matrix must copy");
        assertArrayEquals(new long[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, flat.toLongArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> xt.view(12));
        assertTrue(e.getMessage().contains("view") && e.getMessage().contains("[4, 3]")
                && e.getMessage().contains("[12]"), e.getMessage());
        // A reshape the layout allows is a view, even of a non-contiguous tensor.
        Tensor split = xt.view(2, 2, 3);
        assertSame(x.storage(), split.storage());
        assertArrayEquals(xt.contiguous().reshape(2, 2, 3).toLongArray(), split.toLongArray());
        assertSame(x.storage(), x.reshape(2, -1, 3).storage(), "reshape of a contiguous tensor is a view");
        assertArrayEquals(new int[] {2, 2, 3}, x.reshape(2, -1, 3).shape());
    }

    @Test
    void contiguousCopiesOnlyWhenItMust() {
        Tensor x = Tensor.rand(3, 4);
        assertSame(x, x.contiguous());
        Tensor t = x.t();
        Tensor c = t.contiguous();
        assertNotSame(t.storage(), c.storage());
        assertTrue(c.isContiguous());
        assertArrayEquals(t.toFloatArray(), c.toFloatArray());
        // Size-1 axes may have any stride.
        assertTrue(x.narrow(0, 1, 1).isContiguous());
        assertTrue(x.unsqueeze(1).isContiguous());
        assertFalse(x.slice(1, 0, 4, 2).isContiguous());
        assertFalse(x.expand(2, 3, 4).isContiguous());
    }

    @Test
    void squeezeUnsqueezeFlattenShapes() {
        Tensor x = Tensor.zeros(1, 3, 1, 2);
        assertArrayEquals(new int[] {3, 2}, x.squeeze().shape());
        assertArrayEquals(new int[] {3, 1, 2}, x.squeeze(0).shape());
        assertArrayEquals(new int[] {1, 3, 1, 2}, x.squeeze(1).shape(), "squeeze of a non-1 axis is a no-op");
        assertArrayEquals(new int[] {1, 3, 1, 2, 1}, x.unsqueeze(-1).shape());
        assertArrayEquals(new int[] {1, 3, 1, 1, 2}, x.unsqueeze(3).shape());
        assertArrayEquals(new int[] {6}, x.flatten().shape());
        assertArrayEquals(new int[] {1, 6}, x.flatten(1, 3).shape());
        assertArrayEquals(new int[] {1}, Tensor.scalar(2).flatten().shape());
        assertArrayEquals(new int[] {}, Tensor.zeros(1, 1).squeeze().shape());
    }

    @Test
    void slicingFollowsPythonRules() {
        Tensor x = Tensor.arange(10);
        assertArrayEquals(new long[] {7, 8, 9}, x.slice(0, -3, 100).toLongArray());
        assertArrayEquals(new long[] {1, 4, 7}, x.slice(0, 1, 9, 3).toLongArray());
        assertArrayEquals(new long[] {}, x.slice(0, 5, 2).toLongArray());
        assertArrayEquals(new long[] {0, 1}, x.slice(0, -100, -8).toLongArray());
        assertArrayEquals(new long[] {9}, x.slice(0, 9, 10, 5).toLongArray());
    }

    /** A size-0 view may carry an offset past the end of its (possibly empty) storage: narrow, select or a slice
     *  of a tensor with another zero-size axis. Kernels must not touch the storage then. */
    @ParameterizedTest
    @MethodSource("backends")
    void emptyViewsWithOffsetsPastTheStorageEnd(Backend backend) {
        Tensor base = Cases.fromDoubles(backend, DType.F32, new int[] {0, 3}, new double[0]);
        Tensor v = base.narrow(1, 2, 1); // shape [0, 1], offset 2, storage of 0 elements
        assertArrayEquals(new int[] {0, 1}, v.shape());
        assertArrayEquals(new float[0], v.toFloatArray(), "download");
        assertArrayEquals(new int[] {0, 1}, v.copy().shape(), "copy");
        assertArrayEquals(new int[] {0, 1}, v.contiguous().exp().shape(), "unary");
        v.fill(1); // nothing to write
        v.copyFrom(Cases.fromDoubles(backend, DType.F32, new int[] {1}, new double[] {2}));
        Tensor w = Cases.fromDoubles(backend, DType.F32, new int[] {4, 0}, new double[0]).narrow(0, 3, 1);
        Tensor picked = w.indexSelect(0, Cases.fromDoubles(backend, DType.I64, new int[] {2}, new double[] {0, 0}));
        assertArrayEquals(new int[] {2, 0}, picked.shape(), "indexSelect of rows of width 0");
        assertArrayEquals(new int[] {0, 1}, Tensor.cat(0, v, v).shape(), "cat");
    }

    static Stream<Backend> backends() {
        return Stream.of(Backends.reference(), Backends.cpu());
    }

    // =========================================================================================================
    // cat / stack / split / chunk
    // =========================================================================================================

    @ParameterizedTest
    @MethodSource("seeds")
    void splitThenCatRoundTrips(long seed) {
        Random r = new Random(seed);
        int[] shape = Cases.shape(r);
        if (shape.length == 0) {
            shape = new int[] {Cases.dim(r)};
        }
        int axis = r.nextInt(shape.length);
        DType dt = Cases.ALL_DTYPES[r.nextInt(5)];
        Tensor x = Cases.random(r, Backends.cpu(), dt, shape);
        int n = shape[axis];
        // random sizes adding up to n (zeros allowed)
        List<Integer> sizes = new ArrayList<>();
        int left = n;
        while (left > 0) {
            int s = r.nextInt(left + 1);
            sizes.add(s);
            left -= s;
        }
        sizes.add(0);
        int[] sz = sizes.stream().mapToInt(Integer::intValue).toArray();
        List<Tensor> parts = x.split(sz, axis);
        assertEquals(sz.length, parts.size());
        for (int i = 0; i < sz.length; i++) {
            assertEquals(sz[i], parts.get(i).shape()[axis], "piece " + i);
            assertSame(x.storage(), parts.get(i).storage(), "split pieces are views");
        }
        assertExact(x, Tensor.cat(axis - (r.nextBoolean() ? shape.length : 0), parts), "cat(split(sizes))");

        int size = 1 + r.nextInt(4);
        List<Tensor> even = x.split(size, axis);
        assertEquals(Math.max(1, Math.ceilDiv(n, size)), even.size(), "split(" + size + ") count for " + n);
        for (int i = 0; i + 1 < even.size(); i++) {
            assertEquals(size, even.get(i).shape()[axis]);
        }
        assertExact(x, Tensor.cat(axis, even), "cat(split(size))");

        int chunks = 1 + r.nextInt(4);
        List<Tensor> ch = x.chunk(chunks, axis);
        assertTrue(ch.size() <= Math.max(1, chunks), "at most " + chunks + " chunks, got " + ch.size());
        int per = Math.max(1, Math.ceilDiv(n, chunks));
        for (int i = 0; i + 1 < ch.size(); i++) {
            assertEquals(per, ch.get(i).shape()[axis], "chunk " + i + " of " + n + " into " + chunks);
        }
        assertExact(x, Tensor.cat(axis, ch), "cat(chunk)");
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void stackThenSelectRoundTrips(long seed) {
        Random r = new Random(seed);
        int[] shape = Cases.shape(r, 3);
        int count = 1 + r.nextInt(4);
        List<Tensor> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(Cases.random(r, Backends.cpu(), DType.F32, shape));
        }
        int axis = r.nextInt(shape.length + 1);
        Tensor s = Tensor.stack(axis, items);
        int[] expectedShape = new int[shape.length + 1];
        for (int d = 0, k = 0; d < expectedShape.length; d++) {
            expectedShape[d] = d == axis ? count : shape[k++];
        }
        assertArrayEquals(expectedShape, s.shape());
        for (int i = 0; i < count; i++) {
            assertExact(items.get(i), s.select(axis, i), "stack(" + axis + ").select(" + i + ")");
        }
        assertExact(s, Tensor.cat(axis, items.stream().map(t -> t.unsqueeze(axis)).toList()), "stack = cat of unsqueeze");
    }

    @Test
    void catPromotesDtypesAndKeepsValues() {
        Tensor a = Tensor.of(new int[] {1, 2});
        Tensor b = Tensor.of(new float[] {0.5f});
        Tensor c = Tensor.cat(0, a, b);
        assertEquals(DType.F32, c.dtype());
        assertArrayEquals(new float[] {1, 2, 0.5f}, c.toFloatArray());
        assertArrayEquals(new int[] {2, 0}, Tensor.cat(1, Tensor.zeros(2, 0), Tensor.zeros(2, 0)).shape());
    }

    @Test
    void chunkLikeTorch() {
        Tensor x = Tensor.arange(6);
        // torch.arange(6).chunk(4) gives 3 chunks of 2; torch.arange(7).chunk(3) gives sizes 3, 3, 1.
        assertEquals(List.of(2, 2, 2), x.chunk(4, 0).stream().map(t -> t.size(0)).toList());
        assertEquals(List.of(3, 3, 1), Tensor.arange(7).chunk(3, 0).stream().map(t -> t.size(0)).toList());
    }
}
