package dev.deneb.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.Backend;
import dev.deneb.tensor.Backends;
import dev.deneb.tensor.BinaryOp;
import dev.deneb.tensor.ConvOptions;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.PoolOptions;
import dev.deneb.tensor.ReduceOp;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.UnaryOp;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every backend op on a {@link HostGpu}: the host-side logic runs for real (shapes, views, dtype handling, argument
 * packing), copies and uploads move real bytes, and each kernel launch is checked against the shipped PTX. Kernel
 * results are not computed here (that needs a GPU), so values are only compared where no kernel is involved.
 */
class HostBackendTest {
    final HostGpu gpu = new HostGpu();
    final CudaBackend be = new CudaBackend(gpu, null);

    Tensor dev(Tensor cpu) {
        return cpu.to(be);
    }

    static Tensor ramp(DType t, int... shape) {
        int n = CudaBackend.numel(shape);
        return Tensor.arange(n).to(t).reshape(shape);
    }

    @Test
    void uploadAndDownloadAreExactForEveryDtype() {
        assertArrayEquals(new float[] {1.5f, -0f, Float.NaN}, (float[]) be.download(Tensor.fromStorage(
                be.upload(new float[] {1.5f, -0f, Float.NaN}), new int[] {3}, new int[] {1}, 0)));
        assertArrayEquals(new double[] {1e300, -2}, (double[]) be.download(dev(Tensor.of(new double[] {1e300, -2}, 2))));
        assertArrayEquals(new int[] {7, -8}, (int[]) be.download(dev(Tensor.of(new int[] {7, -8}, 2))));
        assertArrayEquals(new long[] {Long.MIN_VALUE, 3}, (long[]) be.download(dev(Tensor.of(new long[] {Long.MIN_VALUE, 3}, 2))));
        assertArrayEquals(new boolean[] {true, false, true},
                (boolean[]) be.download(dev(Tensor.of(new boolean[] {true, false, true}, 3))));
        assertEquals(0, ((float[]) be.download(dev(Tensor.zeros(0, 3)))).length);
        Tensor z = Tensor.empty(be, DType.I64, 2, 3);
        assertArrayEquals(new long[6], (long[]) be.download(z), "allocate is zero-filled");
        assertSame(be, z.backend());
    }

    @Test
    void contiguousCopiesMoveBytesWithoutKernels() {
        Tensor x = dev(ramp(DType.F32, 2, 3));
        Tensor y = x.copy();
        assertArrayEquals(x.toFloatArray(), y.toFloatArray());
        Tensor s = x.narrow(0, 1, 1);                 // contiguous with an offset
        assertArrayEquals(new float[] {3, 4, 5}, (float[]) be.download(s));
        assertTrue(gpu.launches.isEmpty(), gpu.launches.toString());
        x.t().contiguous();
        assertEquals("deneb_copy_f32_f32", gpu.launches.getLast().name());
    }

    @Test
    void integerPowRejectsNegativeExponentsWithTheReferenceMessage() {
        Tensor a = Tensor.of(new long[] {2, 3, 4}, 3);
        Tensor b = Tensor.of(new long[] {1, -2, -5}, 3);
        IllegalArgumentException ref = assertThrows(IllegalArgumentException.class, () -> a.pow(b));
        IllegalArgumentException got = assertThrows(IllegalArgumentException.class, () -> dev(a).pow(dev(b)));
        assertEquals(ref.getMessage(), got.getMessage());
    }

    @Test
    void matmulWithoutInnerSizeIsZero() {
        Tensor r = dev(Tensor.zeros(2, 0)).matmul(dev(Tensor.zeros(0, 3)));
        assertArrayEquals(new int[] {2, 3}, r.shape());
        assertEquals(0, gpu.gemms);
    }

    /** The decompositions have no GPU kernels: they run on the CPU reference and their results come back. */
    @Test
    void decompositionsFallBackToTheHost() {
        Tensor a = Tensor.of(new double[] {4, 2, 0, 2, 5, 1, 0, 1, 3}, 3, 3);
        Tensor b = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Tensor inv = dev(a).inverse();
        Tensor l = dev(a).cholesky();
        Tensor x = Tensor.solve(dev(a), dev(b));
        assertTrue(gpu.launches.isEmpty(), "contiguous inputs need no kernel: " + gpu.launches);
        assertSame(be, inv.backend());
        assertSame(be, l.backend());
        assertArrayEquals(a.inverse().toDoubleArray(), inv.toDoubleArray());
        assertArrayEquals(a.cholesky().toDoubleArray(), l.toDoubleArray());
        assertArrayEquals(Tensor.solve(a, b).toDoubleArray(), x.toDoubleArray());
        Tensor[] raw = be.svd(dev(a).reshape(1, 3, 3));
        assertSame(be, raw[1].backend());
        assertArrayEquals(Backends.reference().svd(a.reshape(1, 3, 3))[1].toDoubleArray(), raw[1].toDoubleArray());
        // Failures are reported from the host's info with the reference's message.
        Tensor singular = Tensor.of(new double[] {1, 2, 2, 4}, 2, 2);
        IllegalArgumentException ref = assertThrows(IllegalArgumentException.class, singular::inverse);
        IllegalArgumentException got = assertThrows(IllegalArgumentException.class, () -> dev(singular).inverse());
        assertEquals(ref.getMessage(), got.getMessage());
    }

    /** Runs every op at least once; together they must launch every kernel in the catalog. */
    @Test
    void everyOpLaunchesOnlyShippedKernelsWithMatchingArguments() {
        DType[] all = DType.values();
        for (DType from : all) {
            Tensor x = dev(ramp(from, 2, 3));
            for (DType to : all) {
                x.t().to(to);                          // strided copy with conversion
                Tensor dst = Tensor.empty(be, to, 3, 2);
                dst.copyFrom(x.t());
            }
            x.t().contiguous().fill(1);
            x.t().fill(2);
        }
        for (DType t : new DType[] {DType.I32, DType.I64, DType.F32, DType.F64}) {
            Tensor a = dev(ramp(t, 2, 3));
            Tensor b = dev(ramp(t, 3)).expand(2, 3);
            for (UnaryOp op : UnaryOp.values()) {
                if (t.isFloating() || op.acceptsIntegers()) {
                    a.t().map(op);
                }
            }
            for (BinaryOp op : BinaryOp.values()) {
                if (op == BinaryOp.DIV && !t.isFloating()) {
                    continue;
                }
                a.zipWith(op, b);
            }
            for (ReduceOp op : ReduceOp.values()) {
                be.reduce(op, a, new int[] {1}, false);
                be.reduce(op, a.t(), new int[] {0, 1}, true);
            }
            a.max(0, false);
            a.min(1, true);
        }
        for (DType t : all) {
            Tensor c = dev(Tensor.of(new boolean[] {true, false, true}, 3));
            Tensor a = dev(ramp(t, 3));
            Tensor.where(c, a, dev(ramp(t, 1)).expand(3));
            // Index ops straight on the backend: tensor-core's range check would read kernel results, which the
            // host GPU does not compute.
            Tensor idx = dev(Tensor.of(new long[] {2, 0}, 2));
            Tensor m = dev(ramp(t, 3, 4));
            Tensor gi = dev(Tensor.of(new long[] {0, 3, 1, 1, 2, 0}, 3, 2));
            be.indexSelect(m, 0, idx);
            be.gather(m.t(), 0, gi.t());
            be.scatter(m, 1, gi, m.narrow(1, 0, 2), false);
            be.scatter(m, 1, gi, m.narrow(1, 0, 2), true);
            be.gather(dev(ramp(t, 1)).reshape(), 0, dev(Tensor.of(new long[] {0, 0}, 2)));
        }
        be.reduce(ReduceOp.SUM, dev(Tensor.of(new boolean[] {true, false}, 2)), new int[] {0}, false);
        for (DType t : new DType[] {DType.F32, DType.F64}) {
            Tensor x = dev(ramp(t, 2, 4, 5, 5));
            x.softmax(1);
            x.logSoftmax(-1);
            Tensor w = dev(ramp(t, 6, 2, 3, 3));
            ConvOptions o = new ConvOptions(2, 1, 1, 0, 1, 2, 2);
            Tensor y = Tensor.conv2d(x, w, null, o);
            Tensor.conv2dInputGrad(y, w, x.shape(), o);
            Tensor.conv2dWeightGrad(x, y, w.shape(), o);
            PoolOptions p = new PoolOptions(3, 2, 2, 1, 1, 0, 1, 2, true, false);
            var mp = x.maxPool2d(p);
            Tensor.maxPool2dBackward(mp.values(), mp.indices(), x.shape(), p);
            Tensor ap = x.avgPool2d(p);
            Tensor.avgPool2dBackward(ap, x.shape(), p);
            x.matmul(dev(ramp(t, 5, 2)));
        }
        Tensor p = dev(Tensor.zeros(10));
        be.adamStep(p, p.copy(), p.copy(), p.copy(), p.copy(), 0.9f, 0.999f, 1e-8f, 0f, 1f, 1e-3f, 1f);
        be.adamStep(p, p.copy(), p.copy(), p.copy(), null, 0.9f, 0.999f, 1e-8f, 0f, 1f, 1e-3f, 1f);

        Set<String> launched = gpu.launches.stream().map(HostGpu.Recorded::name).collect(Collectors.toCollection(TreeSet::new));
        Set<String> never = new TreeSet<>(KernelCatalog.entries().keySet());
        never.removeAll(launched);
        assertEquals(Set.of(), never, "kernels no op launched");
        assertTrue(gpu.gemms > 0);
    }

    /** The op code a launch passed first, as the kernel reads it. */
    static int firstIntArg(HostGpu.Recorded r) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(8);
            r.args().get(0).writer().accept(s, 0L);
            return s.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** Each elementwise op reaches its kernel family with OpCodes' code (so the tables checked against the .cu
     *  sources by OpCodesSourceTest are the ones the host really sends). */
    @Test
    void everyElementwiseOpLaunchesItsKernelWithItsCode() {
        for (DType t : new DType[] {DType.I32, DType.I64, DType.F32, DType.F64}) {
            Tensor a = dev(ramp(t, 2, 3));
            for (UnaryOp op : UnaryOp.values()) {
                if (t.isFloating() || op.acceptsIntegers()) {
                    be.unary(op, a);
                    HostGpu.Recorded r = gpu.launches.getLast();
                    assertEquals("deneb_unary_" + DTypes.suffix(t), r.name(), op.name());
                    assertEquals(OpCodes.unary(op), firstIntArg(r), op.name());
                }
            }
            for (BinaryOp op : BinaryOp.values()) {
                if (op == BinaryOp.DIV && !t.isFloating()) {
                    continue;
                }
                be.binary(op, a, a);
                HostGpu.Recorded r = gpu.launches.getLast();
                assertEquals((op.isComparison() ? "deneb_compare_" : "deneb_binary_") + DTypes.suffix(t), r.name(),
                        op.name());
                assertEquals(OpCodes.binary(op), firstIntArg(r), op.name());
            }
        }
    }

    @Test
    void tensorsOfAnotherBackendAreRejectedClearly() {
        Backend cpu = dev.deneb.tensor.Backends.reference();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> be.unary(UnaryOp.NEG, Tensor.zeros(2).to(cpu)));
        assertTrue(e.getMessage().contains("CUDA backend"), e.getMessage());
    }
}
