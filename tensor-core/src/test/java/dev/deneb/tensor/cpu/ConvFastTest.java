package dev.deneb.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deneb.tensor.ConvOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.ExtendWith;

/** The f32 im2col convolution against the double reference, on one and two threads. */
@ExtendWith(RestoresThreadCount.class)
class ConvFastTest {
    private static ConvReferenceTest.Case c(int n, int cIn, int h, int w, int cOut, int kh, int kw, ConvOptions o) {
        return new ConvReferenceTest.Case(new int[] {n, cIn, h, w}, new int[] {cOut, cIn / o.groups(), kh, kw}, o);
    }

    static Stream<Arguments> cases() {
        List<ConvReferenceTest.Case> cases = new ArrayList<>(List.of(
                c(8, 1, 28, 28, 8, 3, 3, ConvOptions.defaults()),                   // MNIST first layer, fewer maps
                c(4, 8, 13, 13, 16, 3, 3, ConvOptions.defaults()),                  // MNIST second layer, smaller
                c(1, 3, 16, 16, 4, 3, 3, ConvOptions.of(1, 1, 1, 1)),               // batch 1: items split in tiles
                c(2, 4, 9, 11, 6, 3, 3, ConvOptions.of(2, 1, 1, 1)),                // stride 2, padding
                c(2, 3, 10, 10, 5, 3, 3, ConvOptions.of(1, 2, 2, 1)),               // dilation
                c(3, 4, 7, 7, 6, 3, 3, ConvOptions.of(1, 1, 1, 2)),                 // two groups
                c(2, 8, 12, 12, 8, 3, 3, ConvOptions.of(1, 1, 1, 8)),               // depthwise
                c(2, 4, 15, 15, 8, 5, 5, ConvOptions.of(2, 2, 1, 4)),               // depthwise, 2 maps per channel
                c(4, 16, 7, 7, 8, 1, 1, ConvOptions.defaults()),                    // 1×1: no im2col
                c(1, 8, 10, 10, 8, 1, 1, ConvOptions.defaults()),                   // 1×1, batch 1
                c(2, 8, 9, 9, 4, 1, 1, ConvOptions.of(2, 0, 1, 1)),                 // 1×1 with stride
                c(1, 3, 4, 4, 2, 1, 1, ConvOptions.of(1, 1, 1, 1)),                 // 1×1 with padding
                c(4, 6, 1, 40, 10, 1, 5, new ConvOptions(1, 1, 0, 2, 1, 1, 1)),     // 1-D
                c(3, 4, 1, 33, 4, 1, 3, new ConvOptions(1, 2, 0, 1, 1, 3, 2)),      // 1-D, stride, dilation, groups
                c(2, 3, 8, 13, 5, 2, 5, new ConvOptions(2, 1, 1, 2, 1, 1, 1)),      // asymmetric everything
                c(2, 3, 4, 4, 5, 4, 4, ConvOptions.defaults()),                     // kernel covers the input
                c(1, 32, 32, 32, 4, 3, 3, ConvOptions.of(1, 1, 1, 1))));            // two tiles per item
        Random r = new Random(42);
        for (int i = 0; i < 13; i++) {
            cases.add(ConvReferenceTest.randomCase(r));
        }
        return cases.stream().flatMap(k -> Stream.of(Arguments.of(k, 1), Arguments.of(k, 2)));
    }

    @ParameterizedTest(name = "{0} threads={1}")
    @MethodSource("cases")
    void matchesReference(ConvReferenceTest.Case c, int threads) {
        Parallel.setThreads(threads);
        Random r = new Random(c.toString().hashCode());
        int[] xs = c.xShape();
        int[] ws = c.wShape();
        int[] ys = c.yShape();
        // Each input sits at a non-zero offset inside a larger array, as a tensor view would.
        float[] x = randomFloats(r, 3, ConvReferenceTest.size(xs));
        float[] w = randomFloats(r, 5, ConvReferenceTest.size(ws));
        float[] gy = randomFloats(r, 1, ConvReferenceTest.size(ys));
        double[] xd = toDouble(x, 3, ConvReferenceTest.size(xs));
        double[] wd = toDouble(w, 5, ConvReferenceTest.size(ws));
        double[] gyd = toDouble(gy, 1, ConvReferenceTest.size(ys));
        ConvOptions o = c.o();

        int k = ws[1] * ws[2] * ws[3];
        assertClose(ConvReference.conv2d(xd, xs, wd, ws, o), ConvFast.conv2d(x, 3, xs, w, 5, ws, o), k, c + " forward");
        assertClose(ConvReference.conv2dInputGrad(gyd, ys, wd, ws, xs, o),
                ConvFast.conv2dInputGrad(gy, 1, ys, w, 5, ws, xs, o), ws[0] * ws[2] * ws[3], c + " input grad");
        assertClose(ConvReference.conv2dWeightGrad(xd, xs, gyd, ys, ws, o),
                ConvFast.conv2dWeightGrad(x, 3, xs, gy, 1, ys, ws, o), ys[0] * ys[2] * ys[3], c + " weight grad");
    }

    /** Values in [-1, 1) after {@code offset} slots of garbage, plus garbage after. */
    static float[] randomFloats(Random r, int offset, int n) {
        float[] v = new float[offset + n + 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = i >= offset && i < offset + n ? r.nextFloat() * 2 - 1 : 1e6f;
        }
        return v;
    }

    static double[] toDouble(float[] v, int offset, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = v[offset + i];
        }
        return d;
    }

    /** f32 sums of {@code terms} products of values below 1 in magnitude: the error grows at most with terms. */
    static void assertClose(double[] expected, float[] actual, int terms, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double tol = 1e-5 + 1e-6 * terms;
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
                assertEquals(expected[i], actual[i], tol, what + " at " + i);
            }
        }
    }
}
