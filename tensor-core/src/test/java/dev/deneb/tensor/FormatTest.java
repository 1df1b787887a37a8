package dev.deneb.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** toString prints like NumPy/PyTorch: nested brackets, one column width, "..." past 1000 elements. */
class FormatTest {

    @Test
    void smallTensorsOfEachDtype() {
        assertEquals("tensor([ 1.0000,  2.5000, -3.0000], shape=[3], dtype=f32)",
                Tensor.of(new float[] {1, 2.5f, -3}).toString());
        assertEquals("tensor([0.5000, 0.2500], shape=[2], dtype=f64)", Tensor.of(new double[] {0.5, 0.25}).toString());
        assertEquals("tensor([  1, -20, 300], shape=[3], dtype=i32)", Tensor.of(new int[] {1, -20, 300}).toString());
        assertEquals("tensor([0, 1, 2], shape=[3], dtype=i64)", Tensor.arange(3).toString());
        assertEquals("tensor([ true, false], shape=[2], dtype=bool)",
                Tensor.of(new boolean[] {true, false}).toString());
    }

    @Test
    void nestedBracketsAlignRows() {
        assertEquals("tensor([[1.0000, 2.0000, 3.0000],\n"
                + "        [4.0000, 5.0000, 6.0000]], shape=[2, 3], dtype=f32)",
                Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).toString());
        assertEquals("tensor([[[1, 2],\n"
                + "         [3, 4]],\n"
                + "\n"
                + "        [[5, 6],\n"
                + "         [7, 8]]], shape=[2, 2, 2], dtype=i64)",
                Tensor.arange(1, 9, 1).reshape(2, 2, 2).toString());
        // A transposed view prints its logical order.
        assertEquals("tensor([[ 0,  4,  8],\n"
                + "        [ 1,  5,  9],\n"
                + "        [ 2,  6, 10],\n"
                + "        [ 3,  7, 11]], shape=[4, 3], dtype=i64)",
                Tensor.arange(12).reshape(3, 4).t().toString());
    }

    @Test
    void zeroDimensionalAndEmpty() {
        assertEquals("tensor(3.5000, shape=[], dtype=f32)", Tensor.scalar(3.5).toString());
        assertEquals("tensor(7, shape=[], dtype=i32)", Tensor.scalar(7, DType.I32).toString());
        assertEquals("tensor([], shape=[0, 3], dtype=f32)", Tensor.zeros(0, 3).toString());
        assertEquals("tensor([], shape=[0], dtype=i64)", Tensor.arange(0).toString());
    }

    @Test
    void nanAndInfinities() {
        assertEquals("tensor([    nan,     inf,    -inf, -0.0000,  1.0000], shape=[5], dtype=f64)",
                Tensor.of(new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1})
                        .toString());
        // Non-finite values do not push the finite ones into scientific notation.
        assertEquals("tensor([nan, inf], shape=[2], dtype=f32)",
                Tensor.of(new float[] {Float.NaN, Float.POSITIVE_INFINITY}).toString());
    }

    @Test
    void largeTensorsAreTruncated() {
        assertEquals("tensor([   0,    1,    2, ..., 1997, 1998, 1999], shape=[2000], dtype=i64)",
                Tensor.arange(2000).toString());
        String s = Tensor.arange(2000).reshape(40, 50).toString();
        assertEquals(7, s.split("\n").length, "three rows, '...', three rows:\n" + s);
        assertTrue(s.startsWith("tensor([[   0,    1,    2, ...,   47,   48,   49],\n"), s);
        assertTrue(s.contains("\n        ...,\n"), s);
        assertTrue(s.endsWith("[1950, 1951, 1952, ..., 1997, 1998, 1999]], shape=[40, 50], dtype=i64)"), s);
        // Exactly 1000 elements are printed in full.
        String full = Tensor.arange(1000).toString();
        assertFalse(full.contains("..."), "1000 elements are not truncated");
        assertTrue(full.contains(" 500,"), "middle element shown");
        // Truncation keeps the output small.
        assertTrue(Tensor.zeros(1000, 1000).toString().length() < 2000);
    }

    @Test
    void scientificNotationSwitch() {
        assertEquals("tensor([1.0000e-05, 1.0000e+00], shape=[2], dtype=f64)",
                Tensor.of(new double[] {1e-5, 1}).toString(), "a value below 1e-4");
        assertEquals("tensor([1.0000e+09, 1.0000e+00], shape=[2], dtype=f64)",
                Tensor.of(new double[] {1e9, 1}).toString(), "a value of 1e8 or more");
        assertEquals("tensor([1.0000e+00, 1.0000e+04], shape=[2], dtype=f64)",
                Tensor.of(new double[] {1, 1e4}).toString(), "a ratio above 1000");
        assertEquals("tensor([  0.5000, 100.0000], shape=[2], dtype=f64)",
                Tensor.of(new double[] {0.5, 100}).toString(), "a ratio of 200 stays fixed-point");
        assertEquals("tensor([0.0000, 1.0000], shape=[2], dtype=f64)",
                Tensor.of(new double[] {0, 1}).toString(), "zeros do not count");
        // Integers never switch.
        assertEquals("tensor([        1, 100000000], shape=[2], dtype=i64)",
                Tensor.of(new long[] {1, 100_000_000}).toString());
    }

    /** NumPy and PyTorch switch on max/min > 1000 alone: np.array([0.001, 2.0]) prints as [1.e-03, 2.e+00]. */
    @Test
    void scientificNotationForARatioAboveThousandLikeNumpy() {
        assertEquals("tensor([1.0000e-03, 2.0000e+00], shape=[2], dtype=f64)",
                Tensor.of(new double[] {0.001, 2}).toString());
    }

    @Test
    void largeI64ValuesPrintExactly() {
        long big = (1L << 53) + 1;
        assertEquals("tensor([9007199254740993], shape=[1], dtype=i64)", Tensor.of(new long[] {big}).toString());
        assertEquals("tensor(-9223372036854775807, shape=[], dtype=i64)",
                Tensor.of(new long[] {Long.MIN_VALUE + 1}, new int[0]).reshape().toString());
    }

    @Test
    void printingDoesNotDependOnTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals("tensor([1.5000, 2.0000], shape=[2], dtype=f32)", Tensor.of(new float[] {1.5f, 2}).toString());
            assertEquals("tensor([1.0000e-05, 1.0000e+00], shape=[2], dtype=f64)",
                    Tensor.of(new double[] {1e-5, 1}).toString());
        } finally {
            Locale.setDefault(saved);
        }
    }
}
