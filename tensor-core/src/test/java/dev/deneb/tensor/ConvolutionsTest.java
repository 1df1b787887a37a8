package dev.deneb.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.cpu.ConvReference;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The tensor-level checks of convolution and pooling, and the 1-D forms built on the 2-D kernels. */
class ConvolutionsTest {
    private static final ConvOptions PLAIN = ConvOptions.defaults();

    private static Tensor random(long seed, int... shape) {
        Random r = new Random(seed);
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return Tensor.of(v, shape);
    }

    private static String message(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), () -> "expected '" + p + "' in: " + message);
        }
    }

    private static void assertClose(Tensor expected, Tensor actual, double tol) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        assertTrue(actual.allClose(expected, 0, tol, false), () -> "expected " + expected + " got " + actual);
    }

    // ---- messages for bad input ---------------------------------------------------------------------------------

    @Test
    void wrongInputChannels() {
        assertEquals("conv2d: expected input of shape [N, C_in, H, W] with C_in = 3 (weight [8, 3, 3, 3], groups 1),"
                        + " got [2, 4, 9, 9]",
                message(() -> Convolutions.conv2d(Tensor.zeros(2, 4, 9, 9), Tensor.zeros(8, 3, 3, 3), null, PLAIN)));
    }

    @Test
    void wrongRanks() {
        assertContains(message(() -> Convolutions.conv2d(Tensor.zeros(3, 9, 9), Tensor.zeros(8, 3, 3, 3), null,
                PLAIN)), "conv2d: expected input of shape [N, C_in, H, W]", "got [3, 9, 9]");
        assertContains(message(() -> Convolutions.conv2d(Tensor.zeros(1, 3, 9, 9), Tensor.zeros(8, 3, 3), null,
                PLAIN)), "conv2d: expected weight of shape [C_out, C_in / groups, kH, kW]", "got [8, 3, 3]");
        assertContains(message(() -> Convolutions.conv1d(Tensor.zeros(1, 3, 9, 9), Tensor.zeros(8, 3, 3), null,
                ConvOptions.defaults())), "conv1d: expected input of shape [N, C_in, L] with C_in = 3", "got [1, 3, 9, 9]");
    }

    @Test
    void groupsMustDivideChannels() {
        ConvOptions fourGroups = ConvOptions.of(1, 0, 1, 4);
        assertContains(message(() -> Convolutions.conv2d(Tensor.zeros(1, 8, 5, 5), Tensor.zeros(6, 2, 3, 3), null,
                fourGroups)), "conv2d: C_out = 6 (weight [6, 2, 3, 3]) is not divisible by groups 4");
        // C_in = 5 cannot be split into two groups of the weight's 2 channels.
        assertContains(message(() -> Convolutions.conv2d(Tensor.zeros(1, 5, 5, 5), Tensor.zeros(4, 2, 3, 3), null,
                ConvOptions.of(1, 0, 1, 2))), "with C_in = 4 (weight [4, 2, 3, 3], groups 2), got [1, 5, 5, 5]");
    }

    @Test
    void kernelLargerThanPaddedInput() {
        assertEquals("conv2d: kernel [5, 5] with dilation [1, 1] spans [5, 5], larger than the padded input [3, 3]"
                        + " (input [1, 1, 3, 3], padding [0, 0])",
                message(() -> Convolutions.conv2d(Tensor.zeros(1, 1, 3, 3), Tensor.zeros(1, 1, 5, 5), null, PLAIN)));
        assertContains(message(() -> Convolutions.conv2d(Tensor.zeros(1, 1, 5, 5), Tensor.zeros(1, 1, 3, 3), null,
                ConvOptions.of(1, 0, 3, 1))), "spans [7, 7]");
        // Padding makes room: 3 + 2 = 5.
        assertArrayEquals(new int[] {1, 1, 1, 1}, Convolutions.conv2d(Tensor.zeros(1, 1, 3, 3),
                Tensor.zeros(1, 1, 5, 5), null, ConvOptions.of(1, 1, 1, 1)).shape());
        assertContains(message(() -> Convolutions.conv1d(Tensor.zeros(1, 1, 3), Tensor.zeros(1, 1, 4), null,
                ConvOptions.defaults())), "conv1d: kernel [4] with dilation [1] spans [4], larger than the padded input [3]");
    }

    @Test
    void dtypesAndBackends() {
        Tensor ints = Tensor.zeros(DType.I32, 1, 3, 5, 5);
        assertContains(message(() -> Convolutions.conv2d(ints, Tensor.zeros(2, 3, 3, 3), null, PLAIN)),
                "conv2d: expected a floating-point input (f32 or f64), got i32");
        assertContains(message(() -> Convolutions.maxPool2d(ints, PoolOptions.of(2))),
                "maxPool2d: expected a floating-point input");
        Tensor onReference = Tensor.zeros(2, 3, 3, 3).to(Backends.reference());
        Tensor onCpu = Tensor.zeros(1, 3, 5, 5).to(Backends.cpu());
        assertContains(message(() -> Convolutions.conv2d(onCpu, onReference, null, PLAIN)),
                "conv2d: tensors live on different backends");
    }

    @Test
    void biasAndGradientShapes() {
        Tensor x = Tensor.zeros(2, 3, 6, 6);
        Tensor w = Tensor.zeros(4, 3, 3, 3);
        assertContains(message(() -> Convolutions.conv2d(x, w, Tensor.zeros(3), PLAIN)),
                "conv2d: expected bias of shape [4] (C_out of weight [4, 3, 3, 3]), got [3]");
        assertEquals("conv2dInputGrad: expected gradOut of shape [2, 4, 4, 4] (the forward output for input"
                        + " [2, 3, 6, 6] and weight [4, 3, 3, 3]), got [2, 4, 5, 5]",
                message(() -> Convolutions.conv2dInputGrad(Tensor.zeros(2, 4, 5, 5), w, x.shape(), PLAIN)));
        assertContains(message(() -> Convolutions.conv2dWeightGrad(x, Tensor.zeros(2, 4, 4), w.shape(), PLAIN)),
                "conv2dWeightGrad: expected gradOut of shape [2, 4, 4, 4]");
    }

    @Test
    void poolingChecks() {
        assertContains(message(() -> Convolutions.maxPool2d(Tensor.zeros(3, 8, 8), PoolOptions.of(2))),
                "maxPool2d: expected input of shape [N, C, H, W], got [3, 8, 8]");
        assertEquals("avgPool2d: window [3, 3] with dilation [1, 1] spans [3, 3], larger than the padded input"
                        + " [2, 2] (input [1, 1, 2, 2], padding [0, 0])",
                message(() -> Convolutions.avgPool2d(Tensor.zeros(1, 1, 2, 2), PoolOptions.of(3))));
        Tensor x = Tensor.zeros(1, 2, 4, 4);
        ValuesIndices vi = Convolutions.maxPool2d(x, PoolOptions.of(2));
        assertContains(message(() -> Convolutions.maxPool2dBackward(vi.values(), vi.indices().to(DType.I32),
                x.shape(), PoolOptions.of(2))), "maxPool2dBackward: expected i64 indices of shape [1, 2, 2, 2]");
        assertContains(message(() -> Convolutions.avgPool2dBackward(Tensor.zeros(1, 2, 3, 3), x.shape(),
                PoolOptions.of(2))), "avgPool2dBackward: expected gradOut of shape [1, 2, 2, 2]");
    }

    // ---- values -------------------------------------------------------------------------------------------------

    @Test
    void conv2dWithBiasMatchesReference() {
        Tensor x = random(1, 2, 4, 7, 6);
        Tensor w = random(2, 6, 2, 3, 3);
        Tensor b = random(3, 6);
        ConvOptions o = new ConvOptions(2, 1, 1, 0, 1, 2, 2);
        double[] ref = ConvReference.conv2d(x.toDoubleArray(), x.shape(), w.toDoubleArray(), w.shape(), o);
        Tensor y = Convolutions.conv2d(x, w, b, o);
        int[] ys = y.shape();
        double[] bias = b.toDoubleArray();
        int plane = ys[2] * ys[3];
        for (int i = 0; i < ref.length; i++) {
            ref[i] += bias[(i / plane) % ys[1]];
        }
        assertClose(Tensor.of(ref, ys).to(DType.F32), y, 1e-5);
        // The same on the other backend.
        Tensor yRef = Convolutions.conv2d(x.to(Backends.reference()), w.to(Backends.reference()),
                b.to(Backends.reference()), o);
        assertClose(yRef.to(Backends.cpu()), y.to(Backends.cpu()), 1e-5);
    }

    @Test
    void conv1dIsConv2dWithHeightOne() {
        Tensor x = random(4, 3, 4, 17);
        Tensor w = random(5, 6, 2, 3);
        Tensor b = random(6, 6);
        // 1-D forms read the width settings and ignore the height ones.
        Tensor y = Convolutions.conv1d(x, w, b, ConvOptions.defaults().stride(7, 2).padding(0, 1).dilation(5, 2)
                .groups(2));
        ConvOptions o = new ConvOptions(1, 2, 0, 1, 1, 2, 2);
        Tensor y2 = Convolutions.conv2d(x.unsqueeze(2), w.unsqueeze(2), b, o);
        assertArrayEquals(new int[] {3, 6, 8}, y.shape()); // (17 + 2 - 4 - 1) / 2 + 1
        assertClose(y2.squeeze(2), y, 1e-6);
    }

    @Test
    void nonContiguousInputsAreAccepted() {
        Tensor x = random(8, 2, 3, 6, 5).transpose(2, 3); // [2, 3, 5, 6], strided
        Tensor w = random(9, 4, 3, 2, 2);
        Tensor y = Convolutions.conv2d(x, w, null, PLAIN);
        assertClose(Convolutions.conv2d(x.contiguous(), w, null, PLAIN), y, 0);
    }

    @Test
    void pooling1d() {
        Tensor x = Tensor.of(new float[] {1, 5, 2, 2, 7, 0, 3}, 1, 1, 7);
        PoolOptions window = PoolOptions.of(3).stride(2).padding(1);
        ValuesIndices vi = Convolutions.maxPool1d(x, window);
        // Windows [-1..1], [1..3], [3..5], [5..7]; -inf padding.
        assertArrayEquals(new float[] {5, 5, 7, 3}, vi.values().toFloatArray());
        assertArrayEquals(new long[] {1, 1, 4, 6}, vi.indices().toLongArray());
        PoolOptions window2d = new PoolOptions(1, 3, 1, 2, 0, 1, 1, 1, false, true);
        Tensor gx = Convolutions.maxPool2dBackward(Tensor.ones(1, 1, 1, 4), vi.indices().unsqueeze(2),
                new int[] {1, 1, 1, 7}, window2d);
        assertArrayEquals(new float[] {0, 2, 0, 0, 1, 0, 1}, gx.toFloatArray());

        Tensor avg = Convolutions.avgPool1d(x, PoolOptions.of(2).ceilMode(true));
        assertArrayEquals(new float[] {3, 2, 3.5f, 3}, avg.toFloatArray()); // ceil mode keeps the last single
        Tensor avgGrad = Convolutions.avgPool2dBackward(Tensor.ones(1, 1, 1, 4), new int[] {1, 1, 1, 7},
                new PoolOptions(1, 2, 1, 2, 0, 0, 1, 1, true, true));
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 1}, avgGrad.toFloatArray());
    }

    @Test
    void maxPoolValuesAloneMatchValuesWithIndices() {
        // No recording here: the values-only entry skips the indices (vectors for 2x2 stride 2 on f32).
        PoolOptions[] windows = {PoolOptions.of(2), PoolOptions.of(3, 2, 1), PoolOptions.of(2).ceilMode(true)};
        for (PoolOptions o : windows) {
            for (Tensor x : new Tensor[] {random(11, 2, 3, 9, 26), random(12, 1, 4, 11, 11).to(DType.F64),
                    random(13, 2, 3, 8, 7).transpose(2, 3)}) {
                Tensor want = Convolutions.maxPool2d(x, o).values();
                Tensor got = Convolutions.maxPool2dValues(x, o);
                assertEquals(want.dtype(), got.dtype());
                assertClose(want, got, 0);
            }
        }
        Tensor x1 = random(14, 2, 3, 21);
        assertClose(Convolutions.maxPool1d(x1, PoolOptions.of(2)).values(),
                Convolutions.maxPool1dValues(x1, PoolOptions.of(2)), 0);
        assertContains(message(() -> Convolutions.maxPool2dValues(Tensor.zeros(3, 8, 8), PoolOptions.of(2))),
                "maxPool2d: expected input of shape [N, C, H, W], got [3, 8, 8]");
        assertContains(message(() -> Convolutions.maxPool2dValues(Tensor.zeros(3, 8, 8).to(DType.I32),
                PoolOptions.of(2))), "maxPool2d: expected a floating-point input");
    }

    @Test
    void pooling2dRoundTrip() {
        Tensor x = random(10, 2, 3, 6, 6);
        PoolOptions o = PoolOptions.of(3, 2, 1);
        ValuesIndices vi = Convolutions.maxPool2d(x, o);
        assertArrayEquals(new int[] {2, 3, 3, 3}, vi.values().shape());
        assertEquals(DType.I64, vi.indices().dtype());
        Tensor gx = Convolutions.maxPool2dBackward(Tensor.onesLike(vi.values()), vi.indices(), x.shape(), o);
        assertEquals(2 * 3 * 9, gx.sum().item(), 0); // every output sends its 1 somewhere
        Tensor avg = Convolutions.avgPool2d(x, o);
        Tensor ga = Convolutions.avgPool2dBackward(Tensor.onesLike(avg), x.shape(), o);
        assertArrayEquals(x.shape(), ga.shape());
    }
}
