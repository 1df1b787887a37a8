package dev.deneb.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.cpu.Parallel;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Transposed convolution ({@link Tensor#convTranspose2d}, {@link Tensor#convTranspose1d}) against a scalar loop over
 * its definition, {@code y[n, g·C_out/g + o, i·s - p + k·d] += x[n, c, i] · w[c, o, k]}, on seeded random geometries
 * (groups, stride, padding, dilation, output padding, rectangular kernels), on both CPU backends, in f32 and f64,
 * with non-contiguous inputs; and the checks of bad arguments.
 */
class ConvTransposeTest {

    /** One random geometry; sizes small enough for the scalar loop. */
    record Case(int n, int cIn, int coutPerGroup, int groups, int h, int w, int kH, int kW, ConvOptions o, int opH,
                int opW, boolean bias, long seed) {
        static Case random(long seed) {
            Random r = new Random(seed);
            while (true) {
                int groups = 1 + r.nextInt(3);
                int sH = 1 + r.nextInt(3);
                int sW = 1 + r.nextInt(3);
                int dH = 1 + r.nextInt(2);
                int dW = 1 + r.nextInt(3);
                ConvOptions o = new ConvOptions(sH, sW, r.nextInt(3), r.nextInt(3), dH, dW, groups);
                Case c = new Case(1 + r.nextInt(2), groups * (1 + r.nextInt(3)), 1 + r.nextInt(3), groups,
                        1 + r.nextInt(5), 1 + r.nextInt(6), 1 + r.nextInt(4), 1 + r.nextInt(3), o,
                        r.nextInt(Math.max(sH, dH)), r.nextInt(Math.max(sW, dW)), r.nextBoolean(), seed);
                if (c.outH() >= 1 && c.outW() >= 1) {
                    return c;
                }
            }
        }

        int outH() {
            return (h - 1) * o.strideH() - 2 * o.padH() + o.dilationH() * (kH - 1) + opH + 1;
        }

        int outW() {
            return (w - 1) * o.strideW() - 2 * o.padW() + o.dilationW() * (kW - 1) + opW + 1;
        }

        int[] xShape() {
            return new int[] {n, cIn, h, w};
        }

        int[] wShape() {
            return new int[] {cIn, coutPerGroup, kH, kW};
        }

        int[] yShape() {
            return new int[] {n, coutPerGroup * groups, outH(), outW()};
        }
    }

    static IntStream seeds() {
        return IntStream.range(0, 24);
    }

    private static Tensor random(Random r, int... shape) {
        int size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = r.nextDouble() * 2 - 1;
        }
        return Tensor.of(v, shape);
    }

    /** The definition, in f64, element by element. */
    static double[] reference(Case c, double[] x, double[] w, double[] b) {
        int[] ys = c.yShape();
        double[] y = new double[ys[0] * ys[1] * ys[2] * ys[3]];
        int cInPerGroup = c.cIn / c.groups;
        ConvOptions o = c.o;
        for (int n = 0; n < c.n; n++) {
            for (int ci = 0; ci < c.cIn; ci++) {
                int grp = ci / cInPerGroup;
                for (int i = 0; i < c.h; i++) {
                    for (int j = 0; j < c.w; j++) {
                        double xv = x[((n * c.cIn + ci) * c.h + i) * c.w + j];
                        for (int oc = 0; oc < c.coutPerGroup; oc++) {
                            int co = grp * c.coutPerGroup + oc;
                            for (int kh = 0; kh < c.kH; kh++) {
                                int oh = i * o.strideH() - o.padH() + kh * o.dilationH();
                                if (oh < 0 || oh >= ys[2]) {
                                    continue;
                                }
                                for (int kw = 0; kw < c.kW; kw++) {
                                    int ow = j * o.strideW() - o.padW() + kw * o.dilationW();
                                    if (ow < 0 || ow >= ys[3]) {
                                        continue;
                                    }
                                    y[((n * ys[1] + co) * ys[2] + oh) * ys[3] + ow] +=
                                            xv * w[((ci * c.coutPerGroup + oc) * c.kH + kh) * c.kW + kw];
                                }
                            }
                        }
                    }
                }
            }
        }
        if (b != null) {
            int plane = ys[2] * ys[3];
            for (int i = 0; i < y.length; i++) {
                y[i] += b[(i / plane) % ys[1]];
            }
        }
        return y;
    }

    private static void assertClose(double[] expected, Tensor actual, double tol, String what) {
        double[] a = actual.toDoubleArray();
        assertEquals(expected.length, a.length, what + ": size");
        for (int i = 0; i < a.length; i++) {
            double diff = Math.abs(a[i] - expected[i]);
            int at = i;
            assertTrue(diff <= tol * (1 + Math.abs(expected[i])),
                    () -> what + ": element " + at + " is " + a[at] + ", expected " + expected[at]);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void matchesTheDefinition(int seed) {
        Case c = Case.random(seed);
        Random r = new Random(seed * 31L + 7);
        // The input arrives as a transposed view and the weight as every other slice of a larger tensor.
        Tensor x = random(r, c.n, c.cIn, c.w, c.h).transpose(2, 3);
        Tensor w = random(r, c.cIn * 2, c.coutPerGroup, c.kH, c.kW).slice(0, 0, c.cIn * 2, 2);
        Tensor b = c.bias ? random(r, c.coutPerGroup * c.groups) : null;
        double[] expected = reference(c, x.toDoubleArray(), w.toDoubleArray(), b == null ? null : b.toDoubleArray());
        for (Backend backend : new Backend[] {Backends.cpu(), Backends.reference()}) {
            for (DType dt : new DType[] {DType.F32, DType.F64}) {
                Tensor xb = x.to(backend).to(dt);
                Tensor wb = w.to(backend).to(dt);
                Tensor bb = b == null ? null : b.to(backend).to(dt);
                Tensor y = Tensor.convTranspose2d(xb, wb, bb, c.o, c.opH, c.opW);
                String what = c + " on " + backend.name() + " in " + dt;
                assertArrayEquals(c.yShape(), y.shape(), what + ": shape");
                assertEquals(dt, y.dtype(), what + ": dtype");
                assertClose(expected, y, dt == DType.F32 ? 2e-5 : 1e-12, what);
            }
        }
    }

    /** Output padding of the stride or more (allowed below the dilation): rows no convolution window reaches. */
    @Test
    void outputPaddingBeyondTheStride() {
        Case c = new Case(2, 4, 3, 2, 3, 4, 3, 2, new ConvOptions(1, 2, 1, 0, 3, 4, 2), 2, 3, true, 0);
        Random r = new Random(6);
        Tensor x = random(r, c.xShape());
        Tensor w = random(r, c.wShape());
        Tensor b = random(r, 6);
        Tensor y = Tensor.convTranspose2d(x, w, b, c.o, c.opH, c.opW);
        assertArrayEquals(c.yShape(), y.shape());
        assertClose(reference(c, x.toDoubleArray(), w.toDoubleArray(), b.toDoubleArray()), y, 1e-12, c.toString());
    }

    @Test
    void oneDimensionalFormIsTheTwoDimensionalOneWithHeightOne() {
        Random r = new Random(3);
        Tensor x = random(r, 2, 4, 9);
        Tensor w = random(r, 4, 3, 3);
        Tensor b = random(r, 6);
        // The 1-D form reads the width settings only.
        ConvOptions o = ConvOptions.defaults().stride(5, 3).padding(7, 1).dilation(4, 2).groups(2);
        Tensor y = Tensor.convTranspose1d(x, w, b, o, 1);
        assertArrayEquals(new int[] {2, 6, 28}, y.shape()); // (9 - 1)·3 - 2·1 + 2·(3 - 1) + 1 + 1
        Tensor y2 = Tensor.convTranspose2d(x.unsqueeze(2), w.unsqueeze(2), b, new ConvOptions(1, 3, 0, 1, 1, 2, 2),
                0, 1);
        assertArrayEquals(y2.squeeze(2).toFloatArray(), y.toFloatArray());
    }

    /** The adjoint identity {@code <convT(x), y> = <x, conv(y)>}: the transposed convolution is conv2d's adjoint. */
    @Test
    void isTheAdjointOfConvolution() {
        Random r = new Random(4);
        ConvOptions o = new ConvOptions(2, 3, 1, 2, 2, 1, 2);
        Tensor x = random(r, 2, 4, 5, 4);
        Tensor w = random(r, 4, 3, 3, 2);
        Tensor y = Tensor.convTranspose2d(x, w, null, o, 1, 2);
        Tensor probe = random(r, y.shape());
        double left = y.mul(probe).sum().item();
        double right = x.mul(Tensor.conv2d(probe, w, null, o)).sum().item();
        assertEquals(right, left, 1e-9);
    }

    /** The kernels under it split work over threads; the bits must not depend on how many there are. */
    @Test
    void sameBitsOnOneAndTwoThreads() {
        int saved = Parallel.threads();
        Backend savedBackend = Backends.current();
        try {
            Backends.setCurrent(Backends.cpu());
            Random r = new Random(5);
            Tensor x = random(r, 6, 8, 11, 9).to(DType.F32);
            Tensor w = random(r, 8, 6, 3, 3).to(DType.F32);
            ConvOptions o = ConvOptions.of(2, 1, 1, 2);
            float[][] runs = new float[2][];
            float[][] adjoints = new float[2][];
            for (int t = 1; t <= 2; t++) {
                Parallel.setThreads(t);
                Tensor y = Tensor.convTranspose2d(x, w, null, o, 1, 1);
                runs[t - 1] = y.toFloatArray();
                // the two backward passes: a convolution, and a weight gradient with the roles swapped
                adjoints[t - 1] = concat(Tensor.conv2d(y, w, null, o).toFloatArray(),
                        Tensor.conv2dWeightGrad(y, x, w.shape(), o).toFloatArray());
            }
            assertArrayEquals(runs[0], runs[1], "forward");
            assertArrayEquals(adjoints[0], adjoints[1], "backward");
        } finally {
            Parallel.setThreads(saved);
            Backends.setCurrent(savedBackend);
        }
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    // ---- bad arguments ----------------------------------------------------------------------------------------

    private static String message(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), () -> "expected '" + p + "' in: " + message);
        }
    }

    @Test
    void badArgumentsAreNamed() {
        Tensor x = Tensor.zeros(2, 4, 5, 5);
        Tensor w = Tensor.zeros(4, 3, 3, 3);
        ConvOptions plain = ConvOptions.defaults();
        assertEquals("convTranspose2d: expected input of shape [N, C_in, H, W] with C_in = 4 (weight [4, 3, 3, 3]),"
                + " got [2, 3, 5, 5]", message(() -> Tensor.convTranspose2d(Tensor.zeros(2, 3, 5, 5), w, null,
                plain, 0, 0)));
        assertContains(message(() -> Tensor.convTranspose2d(x.select(0, 0), w, null, plain, 0, 0)),
                "convTranspose2d", "[4, 5, 5]");
        assertContains(message(() -> Tensor.convTranspose2d(x, Tensor.zeros(4, 3, 3), null, plain, 0, 0)),
                "convTranspose2d", "[C_in, C_out / groups, kH, kW]", "[4, 3, 3]");
        assertEquals("convTranspose2d: C_in = 4 (weight [4, 3, 3, 3]) is not divisible by groups 3",
                message(() -> Tensor.convTranspose2d(x, w, null, plain.groups(3), 0, 0)));
        assertEquals("convTranspose2d: output padding must be >= 0 and smaller than either the stride or the"
                + " dilation, got output padding [0, 2], stride [2, 2], dilation [1, 1]",
                message(() -> Tensor.convTranspose2d(x, w, null, plain.stride(2), 0, 2)));
        assertContains(message(() -> Tensor.convTranspose2d(x, w, null, plain, 1, 0)), "output padding [1, 0]",
                "stride [1, 1]");
        assertContains(message(() -> Tensor.convTranspose2d(x, w, null, plain, -1, 0)), "output padding [-1, 0]");
        assertContains(message(() -> Tensor.convTranspose2d(x, w, Tensor.zeros(4), plain.groups(2), 0, 0)),
                "convTranspose2d: expected bias of shape [6]", "groups 2", "got [4]");
        assertContains(message(() -> Tensor.convTranspose2d(Tensor.zeros(1, 4, 1, 1), w, null, plain.padding(2),
                0, 0)), "convTranspose2d: the output size [-1, -1] is too small", "padding [2, 2]");
        assertContains(message(() -> Tensor.convTranspose2d(x.to(DType.I32), w, null, plain, 0, 0)),
                "convTranspose2d: expected a floating-point input");
        assertContains(message(() -> Tensor.convTranspose1d(Tensor.zeros(2, 3, 5), Tensor.zeros(4, 2, 3), null,
                plain, 0)), "convTranspose1d: expected input of shape [N, C_in, L] with C_in = 4");
        assertContains(message(() -> Tensor.convTranspose1d(Tensor.zeros(2, 4, 5), Tensor.zeros(4, 2, 3), null,
                plain.stride(3), 3)), "convTranspose1d: output padding", "got output padding [3], stride [3]");
        // An output padding of the stride or more is allowed below the dilation, as in PyTorch.
        assertArrayEquals(new int[] {2, 3, 13, 13}, Tensor.convTranspose2d(Tensor.zeros(2, 4, 3, 3), w, null,
                plain.stride(2).dilation(3), 2, 2).shape());
    }
}
