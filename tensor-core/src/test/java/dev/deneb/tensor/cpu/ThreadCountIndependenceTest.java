package dev.deneb.tensor.cpu;

import static org.junit.jupiter.api.Assertions.fail;

import dev.deneb.tensor.Backend;
import dev.deneb.tensor.Backends;
import dev.deneb.tensor.ConvOptions;
import dev.deneb.tensor.CsrMatrix;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.GruPointwise;
import dev.deneb.tensor.PoolOptions;
import dev.deneb.tensor.RowNorm;
import dev.deneb.tensor.SoftmaxGrad;
import dev.deneb.tensor.ScatterReduction;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: the kernels that reduce across a parallel split give the same bits on 1, 2 and 3 threads, and whether or
 * not the pool is busy with another thread's job, on seeded random shapes big enough to be split. GEMM splits
 * itself by thread count and is not covered (README, "Backends, threads and settings"): the shapes here keep each
 * product below its parallel bound or inside a parallel kernel, where it runs on one thread.
 */
class ThreadCountIndependenceTest {
    private static final int[] THREADS = {1, 2, 3};

    private int savedThreads;
    private Backend savedBackend;

    @BeforeEach
    void useFastBackend() {
        savedThreads = Parallel.threads();
        savedBackend = Backends.current();
        Backends.setCurrent(Backends.cpu());
    }

    @AfterEach
    void restore() {
        Parallel.setThreads(savedThreads);
        Backends.setCurrent(savedBackend);
    }

    @Test
    void convolutionWeightGradient() {
        Random r = new Random(12);
        for (int i = 0; i < 12; i++) {
            ConvCase c = i == 0 ? new ConvCase(16, 1, 28, 28, 32, 3, ConvOptions.defaults()) // the MNIST CNN's
                    : i == 1 ? new ConvCase(16, 32, 13, 13, 64, 3, ConvOptions.defaults())
                    : ConvCase.random(r);
            float[] x = c.random(r, c.xSize());
            float[] gy = c.random(r, c.ySize());
            assertSameBitsOnAnyThreadCount(c + " weight grad",
                    () -> ConvFast.conv2dWeightGrad(x, 0, c.xShape(), gy, 0, c.yShape(), c.wShape(), c.o));
        }
    }

    @Test
    void convolutionForwardAndInputGradient() {
        Random r = new Random(13);
        for (int i = 0; i < 6; i++) {
            ConvCase c = ConvCase.random(r);
            float[] x = c.random(r, c.xSize());
            float[] w = c.random(r, c.wSize());
            float[] gy = c.random(r, c.ySize());
            assertSameBitsOnAnyThreadCount(c + " forward",
                    () -> ConvFast.conv2d(x, 0, c.xShape(), w, 0, c.wShape(), c.o));
            assertSameBitsOnAnyThreadCount(c + " input grad",
                    () -> ConvFast.conv2dInputGrad(gy, 0, c.yShape(), w, 0, c.wShape(), c.xShape(), c.o));
        }
    }

    @Test
    void aBusyPoolChangesNoBits() {
        Random r = new Random(14);
        ConvCase c = new ConvCase(16, 32, 13, 13, 64, 3, ConvOptions.defaults());
        float[] x = c.random(r, c.xSize());
        float[] gy = c.random(r, c.ySize());
        assertSameBitsWithABusyPool("conv weight grad",
                () -> ConvFast.conv2dWeightGrad(x, 0, c.xShape(), gy, 0, c.yShape(), c.wShape(), c.o));
        // GEMMs Sgemm cuts into column blocks that may take another kernel than the whole product would: the pool's
        // being busy must not change the cut.
        for (int[] mnk : new int[][] {{16, 24, 1000}, {8, 64, 2000}}) {
            float[] a = c.random(r, mnk[0] * mnk[2]);
            float[] b = c.random(r, mnk[2] * mnk[1]);
            assertSameBitsWithABusyPool("gemm " + Arrays.toString(mnk), () -> {
                float[] out = new float[mnk[0] * mnk[1]];
                Sgemm.gemm(mnk[0], mnk[1], mnk[2], a, 0, mnk[2], 1, b, 0, mnk[1], 1, out, 0, mnk[1], false);
                return out;
            });
        }
    }

    @Test
    void sumsMeansAndVariances() {
        Random r = new Random(15);
        for (int i = 0; i < 3; i++) {
            Tensor x = new Generator(r.nextLong()).normal(0.5, 2, 8 + r.nextInt(9), 32 + r.nextInt(33),
                    12 + r.nextInt(9), 12 + r.nextInt(9));
            Tensor rows = x.reshape(x.size(0) * x.size(1), -1);
            String s = Arrays.toString(x.shape());
            assertSameBitsOnAnyThreadCount(s + " sum", () -> x.sum().toFloatArray());
            assertSameBitsOnAnyThreadCount(s + " column sum (bias grad)", () -> rows.sum(0).toFloatArray());
            assertSameBitsOnAnyThreadCount(s + " row sum", () -> rows.sum(1).toFloatArray());
            assertSameBitsOnAnyThreadCount(s + " sum over N, H, W (conv bias grad)",
                    () -> x.sum(new int[] {0, 2, 3}, false).toFloatArray());
            assertSameBitsOnAnyThreadCount(s + " batch-norm mean",
                    () -> x.mean(new int[] {0, 2, 3}, false).toFloatArray());
            assertSameBitsOnAnyThreadCount(s + " batch-norm variance",
                    () -> x.var(new int[] {0, 2, 3}, 0, false).toFloatArray());
            assertSameBitsOnAnyThreadCount(s + " variance over C",
                    () -> x.var(new int[] {1}, 1, false).toFloatArray());
        }
    }

    @Test
    void softmaxAndLayerNorm() {
        Random r = new Random(16);
        for (int i = 0; i < 3; i++) {
            Generator g = new Generator(r.nextLong());
            Tensor x = g.normal(0, 3, 64 + r.nextInt(300), 100 + r.nextInt(400));
            Tensor upstream = g.normal(0, 1, x.shape());
            String s = Arrays.toString(x.shape());
            assertSameBitsOnAnyThreadCount(s + " softmax rows", () -> x.softmax(1).toFloatArray());
            assertSameBitsOnAnyThreadCount(s + " log-softmax columns", () -> x.logSoftmax(0).toFloatArray());
            assertSameBitsOnAnyThreadCount(s + " softmax backward",
                    () -> SoftmaxGrad.backward(upstream, x.softmax(1), 1, false).toFloatArray());
            assertSameBitsOnAnyThreadCount(s + " log-softmax backward",
                    () -> SoftmaxGrad.backward(upstream, x.logSoftmax(1), 1, true).toFloatArray());
            Tensor w = g.normal(1, 0.5, x.size(1));
            assertSameBitsOnAnyThreadCount(s + " affine layer norm backward", () -> {
                RowNorm.Result n = RowNorm.forward(x, 1e-5);
                RowNorm.AffineGrads a = RowNorm.affineBackward(upstream, n.normalized(), n.rstd(), w);
                return Tensor.cat(0, a.input().reshape(-1), a.weight(), a.bias()).toFloatArray();
            });
            assertSameBitsOnAnyThreadCount(s + " layer norm", () -> RowNorm.forward(x, 1e-5).normalized()
                    .toFloatArray());
            assertSameBitsOnAnyThreadCount(s + " layer norm backward", () -> {
                RowNorm.Result n = RowNorm.forward(x, 1e-5);
                return RowNorm.backward(upstream, n.normalized(), n.rstd()).toFloatArray();
            });
            assertSameBitsOnAnyThreadCount(s + " layer-norm-style gain gradient",
                    () -> upstream.mul(x).sum(0).toFloatArray());
        }
    }

    @Test
    void fusedGruStep() {
        Random r = new Random(19);
        for (int i = 0; i < 3; i++) {
            Generator g = new Generator(r.nextLong());
            int b = 150 + r.nextInt(200);
            int h = i == 0 ? 128 : 100 + r.nextInt(60);
            Tensor gi = g.normal(0, 1, 4, b, 3 * h).select(0, 2);
            Tensor gh = g.normal(0, 1, b, 3 * h);
            Tensor hPrev = g.normal(0, 1, b, h);
            Tensor dh = g.normal(0, 1, b, h);
            String s = "b " + b + ", h " + h;
            assertSameBitsOnAnyThreadCount(s + " gru step", () -> {
                GruPointwise.Step st = GruPointwise.forward(gi, gh, hPrev);
                return concat(st.activations(), st.hidden());
            });
            Tensor act = GruPointwise.forward(gi, gh, hPrev).activations();
            assertSameBitsOnAnyThreadCount(s + " gru step backward", () -> {
                GruPointwise.Grads gr = GruPointwise.backward(act, gh, hPrev, dh);
                return concat(gr.inputGates(), gr.hiddenGates(), gr.hiddenPrev());
            });
        }
    }

    private static float[] concat(Tensor... parts) {
        return Tensor.cat(0, Arrays.stream(parts).map(Tensor::flatten).toList()).toFloatArray();
    }

    @Test
    void poolingBackward() {
        Random r = new Random(17);
        Backend cpu = Backends.cpu();
        for (int i = 0; i < 3; i++) {
            Generator g = new Generator(r.nextLong());
            Tensor x = g.normal(0, 1, 2 + r.nextInt(8), 4 + r.nextInt(29), 10 + r.nextInt(20), 10 + r.nextInt(20));
            String s = Arrays.toString(x.shape());
            PoolOptions max = PoolOptions.of(2);
            Tensor[] pooled = cpu.maxPool2d(x, max);
            Tensor gy = g.normal(0, 1, pooled[0].shape());
            assertSameBitsOnAnyThreadCount(s + " max-pool backward",
                    () -> cpu.maxPool2dBackward(gy, pooled[1], x.shape(), max).toFloatArray());
            PoolOptions avg = PoolOptions.of(3, 2, 1);
            Tensor gyAvg = g.normal(0, 1, cpu.avgPool2d(x, avg).shape());
            assertSameBitsOnAnyThreadCount(s + " avg-pool backward",
                    () -> cpu.avgPool2dBackward(gyAvg, x.shape(), avg).toFloatArray());
        }
    }

    @Test
    void embeddingBackwardAndScatterAdd() {
        Random r = new Random(18);
        for (int i = 0; i < 3; i++) {
            Generator g = new Generator(r.nextLong());
            int vocab = 10 + r.nextInt(90);
            int dim = 16 + r.nextInt(240);
            Tensor tokens = g.randint(0, vocab, 256 + r.nextInt(1024));
            Tensor gy = g.normal(0, 1, tokens.size(0), dim);
            String s = "vocab " + vocab + ", dim " + dim + ", " + tokens.size(0) + " tokens";
            // The embedding's backward rule: the rows of the output gradient added into the rows they came from.
            Tensor spread = tokens.reshape(-1, 1).expand(tokens.size(0), dim);
            assertSameBitsOnAnyThreadCount(s + " embedding backward",
                    () -> Tensor.zeros(vocab, dim).scatterAdd(0, spread, gy).toFloatArray());
            Tensor base = g.normal(0, 1, vocab, dim);
            Tensor index = g.randint(0, vocab, tokens.size(0), dim);
            assertSameBitsOnAnyThreadCount(s + " scatter-add",
                    () -> base.scatterAdd(0, index, gy).toFloatArray());
        }
    }

    @Test
    void graphPropagationScatterReduceAndGather() {
        Random r = new Random(19);
        for (int i = 0; i < 3; i++) {
            Generator g = new Generator(r.nextLong());
            // Cora's propagation first (13,264 edges onto 2708 nodes, 16 columns), then random sizes.
            int nodes = i == 0 ? 2708 : 50 + r.nextInt(3000);
            int edges = i == 0 ? 13_264 : 4000 + r.nextInt(20_000);
            int cols = i == 0 ? 16 : 3 + r.nextInt(40);
            String s = edges + " edges onto " + nodes + " nodes, " + cols + " columns";
            Tensor targets = g.randint(0, nodes, edges);
            Tensor spread = targets.reshape(-1, 1).expand(edges, cols);  // Scatter.sum's row-broadcast index
            Tensor messages = g.normal(0, 1, edges, cols);
            Tensor h = g.normal(0, 1, nodes, cols);
            assertSameBitsOnAnyThreadCount(s + " scatter-add of rows",
                    () -> Tensor.zeros(nodes, cols).scatterAdd(0, spread, messages).toFloatArray());
            assertSameBitsOnAnyThreadCount(s + " gather of rows", () -> h.gather(0, spread).toFloatArray());
            assertSameBitsOnAnyThreadCount(s + " scatter of rows", () -> h.scatter(0, spread, messages).toFloatArray());
            for (ScatterReduction red : ScatterReduction.values()) {
                assertSameBitsOnAnyThreadCount(s + " scatterReduce " + red,
                        () -> h.scatterReduce(0, spread, messages, red, false).toFloatArray());
            }
            // Along the last axis (each thread owns rows), with an elementwise index.
            Tensor across = g.randint(0, nodes, cols, edges);
            Tensor wide = g.normal(0, 1, cols, edges);
            assertSameBitsOnAnyThreadCount(s + " scatter-add along the last axis",
                    () -> h.mT().scatterAdd(1, across, wide).toFloatArray());
            assertSameBitsOnAnyThreadCount(s + " scatterReduce mean along the last axis",
                    () -> h.mT().scatterReduce(1, across, wide, ScatterReduction.MEAN, true).toFloatArray());
        }
    }

    @Test
    void sparseTimesDense() {
        Random r = new Random(20);
        for (int i = 0; i < 3; i++) {
            Generator g = new Generator(r.nextLong());
            // Cora's normalised adjacency (13,264 entries on 2708 nodes) times 16 and 7 columns, then random sizes.
            int nodes = i == 0 ? 2708 : 50 + r.nextInt(3000);
            int edges = i == 0 ? 13_264 : 4000 + r.nextInt(20_000);
            int cols = i == 0 ? 16 : 3 + r.nextInt(40);
            String s = edges + " entries on " + nodes + " nodes, " + cols + " columns";
            CsrMatrix a = CsrMatrix.fromCoo(g.randint(0, nodes, edges), g.randint(0, nodes, edges),
                    g.normal(0, 1, edges), nodes, nodes);
            Tensor h = g.normal(0, 1, nodes, cols);
            assertSameBitsOnAnyThreadCount(s + " sparse product", () -> a.matmul(h).toFloatArray());
            assertSameBitsOnAnyThreadCount(s + " transposed sparse product",
                    () -> a.transpose().matmul(h).toFloatArray());
            Tensor narrow = h.narrow(1, 0, Math.min(7, cols));
            assertSameBitsOnAnyThreadCount(s + " sparse product, 7 columns of a view",
                    () -> a.matmul(narrow).toFloatArray());
        }
    }

    /** Runs {@code compute} on each of {@link #THREADS}; every result must have the bits of the first. */
    private static void assertSameBitsOnAnyThreadCount(String what, Supplier<float[]> compute) {
        float[] expected = null;
        for (int t : THREADS) {
            Parallel.setThreads(t);
            float[] actual = compute.get();
            if (expected == null) {
                expected = actual;
            } else {
                assertSameBits(what + ", " + THREADS[0] + " vs " + t + " threads", expected, actual);
            }
        }
    }

    /** On 2 threads, with the pool free and then held by another thread. */
    private static void assertSameBitsWithABusyPool(String what, Supplier<float[]> compute) {
        Parallel.setThreads(2);
        float[] free = compute.get();
        float[] busy;
        try (BusyPool b = new BusyPool()) {
            busy = compute.get();
        }
        assertSameBits(what + ", pool free vs busy", free, busy);
    }

    static void assertSameBits(String what, float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            fail(what + ": lengths " + expected.length + " and " + actual.length);
        }
        int count = 0;
        int first = -1;
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                count++;
                first = first < 0 ? i : first;
            }
        }
        if (count > 0) {
            fail(String.format("%s: %d of %d elements differ, first at %d (%s vs %s)", what, count, expected.length,
                    first, expected[first], actual[first]));
        }
    }

    /**
     * A convolution; the random ones have a batch of at least 3 (a unit per thread, so every GEMM runs inside the
     * convolution's split, on one thread) and per-item GEMMs below Sgemm's parallel bound, while the whole layer is
     * big enough to split: the split under test is the convolution's own.
     */
    private record ConvCase(int n, int cIn, int h, int w, int cOut, int k, ConvOptions o) {
        static ConvCase random(Random r) {
            int groups = 1 + r.nextInt(2);
            int k = 1 + r.nextInt(3);
            ConvOptions o = ConvOptions.of(1 + r.nextInt(2), r.nextInt(2), 1, groups);
            return new ConvCase(3 + r.nextInt(10), groups * (1 + r.nextInt(4)), 8 + r.nextInt(21),
                    8 + r.nextInt(21), groups * (2 + r.nextInt(7)), k, o);
        }

        int[] xShape() {
            return new int[] {n, cIn, h, w};
        }

        int[] wShape() {
            return new int[] {cOut, cIn / o.groups(), k, k};
        }

        int[] yShape() {
            return new int[] {n, cOut, ConvOptions.outSize(h, k, o.strideH(), o.padH(), o.dilationH()),
                    ConvOptions.outSize(w, k, o.strideW(), o.padW(), o.dilationW())};
        }

        int xSize() {
            return n * cIn * h * w;
        }

        int wSize() {
            return cOut * (cIn / o.groups()) * k * k;
        }

        int ySize() {
            int[] y = yShape();
            return y[0] * y[1] * y[2] * y[3];
        }

        float[] random(Random r, int size) {
            float[] v = new float[size];
            for (int i = 0; i < size; i++) {
                v[i] = r.nextFloat() * 2 - 1;
            }
            return v;
        }

        @Override
        public String toString() {
            return "x" + Arrays.toString(xShape()) + " w" + Arrays.toString(wShape()) + " " + o;
        }
    }
}
