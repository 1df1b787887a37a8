package dev.deneb.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.deneb.tensor.testing.Cases;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Floating to integer conversion saturates and maps NaN to 0 for I32 exactly as for I64 (Java's casts), on every CPU
 * backend and from every floating type, strided or not. I32 used to wrap ((int) (long) x) while I64 saturated.
 */
class CastSaturationTest {
    private static final double[] VALUES = {1e10, -1e10, 3e9, -3e9, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, 2.9, -2.9, 2147483647.5, -2147483648.5, 0};
    private static final int[] AS_INT = {Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE,
        0, Integer.MAX_VALUE, Integer.MIN_VALUE, 2, -2, Integer.MAX_VALUE, Integer.MIN_VALUE, 0};

    static Stream<Backend> backends() {
        return Stream.of(Backends.reference(), Backends.cpu());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void floatToIntSaturatesLikeJava(Backend be) {
        for (DType from : new DType[] {DType.F64, DType.F32}) {
            Tensor x = Cases.upload(be, VALUES, VALUES.length).to(from);
            int[] expected = new int[VALUES.length];
            long[] expectedLong = new long[VALUES.length];
            for (int i = 0; i < VALUES.length; i++) {
                double v = from == DType.F32 ? (float) VALUES[i] : VALUES[i];
                expected[i] = (int) v;
                expectedLong[i] = (long) v;
            }
            assertArrayEquals(expected, x.to(DType.I32).toIntArray(), from + " -> I32 on " + be);
            assertArrayEquals(expectedLong, x.to(DType.I64).toLongArray(), from + " -> I64 on " + be);
            // Strided source: the general copy path, not a contiguous fast path.
            Tensor strided = x.reshape(2, 6).transpose(0, 1);
            assertArrayEquals(strided.to(DType.F64).to(DType.I32).toIntArray(), strided.to(DType.I32).toIntArray());
        }
        assertArrayEquals(AS_INT, Cases.upload(be, VALUES, VALUES.length).to(DType.I32).toIntArray());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void fillingAnIntTensorWithAHugeValueSaturates(Backend be) {
        Tensor t = Tensor.empty(be, DType.I32, 3);
        t.fill(1e12);
        assertArrayEquals(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE}, t.toIntArray());
    }
}
