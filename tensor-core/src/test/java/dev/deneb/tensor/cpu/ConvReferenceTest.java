package dev.deneb.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deneb.tensor.ConvOptions;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the reference convolution by hand-computed cases, against an independently written input-centric
 * formulation, and its two backward products by the adjoint identity and by finite differences.
 */
class ConvReferenceTest {

    /** A random convolution problem: shapes and options, with output at least 1×1. */
    record Case(int[] xShape, int[] wShape, ConvOptions o) {
        int[] yShape() {
            return new int[] {xShape[0], wShape[0],
                    ConvOptions.outSize(xShape[2], wShape[2], o.strideH(), o.padH(), o.dilationH()),
                    ConvOptions.outSize(xShape[3], wShape[3], o.strideW(), o.padW(), o.dilationW())};
        }

        @Override
        public String toString() {
            return "x" + java.util.Arrays.toString(xShape) + " w" + java.util.Arrays.toString(wShape) + " " + o;
        }
    }

    static Case randomCase(Random r) {
        int groups = 1 + r.nextInt(3);
        int kh = 1 + r.nextInt(3);
        int kw = 1 + r.nextInt(3);
        ConvOptions o = new ConvOptions(1 + r.nextInt(3), 1 + r.nextInt(3), r.nextInt(3), r.nextInt(3),
                1 + r.nextInt(2), 1 + r.nextInt(2), groups);
        int h = Math.max(1, o.dilationH() * (kh - 1) + 1 - 2 * o.padH()) + r.nextInt(5);
        int w = Math.max(1, o.dilationW() * (kw - 1) + 1 - 2 * o.padW()) + r.nextInt(5);
        int cIn = groups * (1 + r.nextInt(3));
        int cOut = groups * (1 + r.nextInt(3));
        return new Case(new int[] {1 + r.nextInt(3), cIn, h, w}, new int[] {cOut, cIn / groups, kh, kw}, o);
    }

    static Stream<Case> randomCases() {
        Random r = new Random(20240611);
        return IntStream.range(0, 40).mapToObj(i -> randomCase(r));
    }

    static double[] random(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble() * 2 - 1;
        }
        return v;
    }

    static int size(int[] shape) {
        int s = 1;
        for (int d : shape) {
            s *= d;
        }
        return s;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    // ---- hand-computed cases ----------------------------------------------------------------------------------

    @Test
    void diagonalKernelNoPadding() {
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        double[] w = {1, 0, 0, 1};
        double[] y = ConvReference.conv2d(x, new int[] {1, 1, 3, 3}, w, new int[] {1, 1, 2, 2},
                ConvOptions.defaults());
        assertArrayEquals(new double[] {1 + 5, 2 + 6, 4 + 8, 5 + 9}, y);
    }

    @Test
    void paddingAndStride() {
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        double[] w = {1, 0, 0, 1};
        // Output 2×2; windows start at (-1,-1), (-1,1), (1,-1), (1,1); taps outside read zero.
        double[] y = ConvReference.conv2d(x, new int[] {1, 1, 3, 3}, w, new int[] {1, 1, 2, 2},
                ConvOptions.of(2, 1, 1, 1));
        assertArrayEquals(new double[] {1, 3, 7, 5 + 9}, y);
    }

    @Test
    void dilation() {
        double[] x = new double[25];
        for (int i = 0; i < 25; i++) {
            x[i] = i; // x[i][j] = 5i + j
        }
        double[] w = {1, 1, 1, 1};
        double[] y = ConvReference.conv2d(x, new int[] {1, 1, 5, 5}, w, new int[] {1, 1, 2, 2},
                ConvOptions.of(1, 0, 2, 1));
        // y[i][j] = x[i][j] + x[i][j+2] + x[i+2][j] + x[i+2][j+2] = 20i + 4j + 24
        double[] expected = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                expected[i * 3 + j] = 20 * i + 4 * j + 24;
            }
        }
        assertArrayEquals(expected, y);
    }

    @Test
    void groupsKeepChannelsApart() {
        double[] x = {3, 5};
        double[] y = ConvReference.conv2d(x, new int[] {1, 2, 1, 1}, new double[] {2, 7}, new int[] {2, 1, 1, 1},
                ConvOptions.of(1, 0, 1, 2));
        assertArrayEquals(new double[] {6, 35}, y);
        // One group: each output channel mixes both inputs.
        double[] y1 = ConvReference.conv2d(x, new int[] {1, 2, 1, 1}, new double[] {2, 1, 0, 7},
                new int[] {2, 2, 1, 1}, ConvOptions.defaults());
        assertArrayEquals(new double[] {11, 35}, y1);
    }

    @Test
    void handComputedGradients() {
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        double[] w = {1, 2, 3, 4};
        int[] xs = {1, 1, 3, 3};
        int[] ws = {1, 1, 2, 2};
        int[] ys = {1, 1, 2, 2};
        double[] gy = {1, 0, 0, 0}; // only y[0][0] = x00*w00 + x01*w01 + x10*w10 + x11*w11
        assertArrayEquals(new double[] {1, 2, 0, 3, 4, 0, 0, 0, 0},
                ConvReference.conv2dInputGrad(gy, ys, w, ws, xs, ConvOptions.defaults()));
        assertArrayEquals(new double[] {1, 2, 4, 5},
                ConvReference.conv2dWeightGrad(x, xs, gy, ys, ws, ConvOptions.defaults()));
        double[] ones = {1, 1, 1, 1};
        // dL/dw[i][j] sums the 2×2 block of x starting at (i, j).
        assertArrayEquals(new double[] {12, 16, 24, 28},
                ConvReference.conv2dWeightGrad(x, xs, ones, ys, ws, ConvOptions.defaults()));
    }

    // ---- against an input-centric formulation ------------------------------------------------------------------

    /**
     * The same convolution written from the input's side: each input element pushes x*w to every output position
     * whose window reaches it through some tap, i.e. where {@code ih + pad - tap*dilation} is a multiple of the
     * stride and lands inside the output.
     */
    static double[] scatterConv(double[] x, int[] xs, double[] w, int[] ws, ConvOptions o, int[] ys) {
        double[] y = new double[size(ys)];
        int cInG = ws[1];
        int cOutG = ws[0] / o.groups();
        for (int n = 0; n < xs[0]; n++) {
            for (int c = 0; c < xs[1]; c++) {
                int group = c / cInG;
                for (int ih = 0; ih < xs[2]; ih++) {
                    for (int iw = 0; iw < xs[3]; iw++) {
                        double v = x[((n * xs[1] + c) * xs[2] + ih) * xs[3] + iw];
                        for (int co = group * cOutG; co < (group + 1) * cOutG; co++) {
                            for (int kh = 0; kh < ws[2]; kh++) {
                                int th = ih + o.padH() - kh * o.dilationH();
                                if (th < 0 || th % o.strideH() != 0 || th / o.strideH() >= ys[2]) {
                                    continue;
                                }
                                for (int kw = 0; kw < ws[3]; kw++) {
                                    int tw = iw + o.padW() - kw * o.dilationW();
                                    if (tw < 0 || tw % o.strideW() != 0 || tw / o.strideW() >= ys[3]) {
                                        continue;
                                    }
                                    double wv = w[((co * cInG + c - group * cInG) * ws[2] + kh) * ws[3] + kw];
                                    y[((n * ys[1] + co) * ys[2] + th / o.strideH()) * ys[3] + tw / o.strideW()]
                                            += v * wv;
                                }
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    @ParameterizedTest
    @MethodSource("randomCases")
    void matchesInputCentricFormulation(Case c) {
        Random r = new Random(c.toString().hashCode());
        double[] x = random(r, size(c.xShape()));
        double[] w = random(r, size(c.wShape()));
        double[] expected = scatterConv(x, c.xShape(), w, c.wShape(), c.o(), c.yShape());
        assertArrayEquals(expected, ConvReference.conv2d(x, c.xShape(), w, c.wShape(), c.o()), 1e-12);
    }

    // ---- backward products -------------------------------------------------------------------------------------

    /** {@code <conv(x, w), gy> = <x, inputGrad(gy, w)> = <w, weightGrad(x, gy)>}: conv is bilinear in x and w. */
    @ParameterizedTest
    @MethodSource("randomCases")
    void adjointIdentity(Case c) {
        Random r = new Random(c.toString().hashCode() + 1);
        double[] x = random(r, size(c.xShape()));
        double[] w = random(r, size(c.wShape()));
        double[] gy = random(r, size(c.yShape()));
        double lhs = dot(ConvReference.conv2d(x, c.xShape(), w, c.wShape(), c.o()), gy);
        double viaInput = dot(x, ConvReference.conv2dInputGrad(gy, c.yShape(), w, c.wShape(), c.xShape(), c.o()));
        double viaWeight = dot(w, ConvReference.conv2dWeightGrad(x, c.xShape(), gy, c.yShape(), c.wShape(), c.o()));
        assertEquals(lhs, viaInput, 1e-10 * (1 + Math.abs(lhs)));
        assertEquals(lhs, viaWeight, 1e-10 * (1 + Math.abs(lhs)));
    }

    /** Central differences of {@code L = <conv(x, w), gy>} against both gradients, element by element. */
    @Test
    void finiteDifferences() {
        Random r = new Random(7);
        Case[] cases = {
            new Case(new int[] {2, 2, 4, 5}, new int[] {3, 2, 2, 3}, new ConvOptions(1, 2, 1, 0, 1, 2, 1)),
            new Case(new int[] {1, 4, 5, 4}, new int[] {4, 2, 3, 2}, new ConvOptions(2, 1, 1, 1, 1, 1, 2)),
            new Case(new int[] {1, 3, 1, 7}, new int[] {3, 1, 1, 3}, new ConvOptions(1, 2, 0, 2, 1, 2, 3)),
        };
        double h = 1e-4;
        for (Case c : cases) {
            double[] x = random(r, size(c.xShape()));
            double[] w = random(r, size(c.wShape()));
            double[] gy = random(r, size(c.yShape()));
            double[] gx = ConvReference.conv2dInputGrad(gy, c.yShape(), w, c.wShape(), c.xShape(), c.o());
            double[] gw = ConvReference.conv2dWeightGrad(x, c.xShape(), gy, c.yShape(), c.wShape(), c.o());
            for (int i = 0; i < x.length; i++) {
                double keep = x[i];
                x[i] = keep + h;
                double plus = dot(ConvReference.conv2d(x, c.xShape(), w, c.wShape(), c.o()), gy);
                x[i] = keep - h;
                double minus = dot(ConvReference.conv2d(x, c.xShape(), w, c.wShape(), c.o()), gy);
                x[i] = keep;
                assertEquals((plus - minus) / (2 * h), gx[i], 1e-8, c + " dL/dx[" + i + "]");
            }
            for (int i = 0; i < w.length; i++) {
                double keep = w[i];
                w[i] = keep + h;
                double plus = dot(ConvReference.conv2d(x, c.xShape(), w, c.wShape(), c.o()), gy);
                w[i] = keep - h;
                double minus = dot(ConvReference.conv2d(x, c.xShape(), w, c.wShape(), c.o()), gy);
                w[i] = keep;
                assertEquals((plus - minus) / (2 * h), gw[i], 1e-8, c + " dL/dw[" + i + "]");
            }
        }
    }
}
