package dev.deneb.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** In-place writes on both CPU backends: values, broadcasting, views, version counts, and the autograd guard. */
class InPlaceTest {
    static List<Backend> backends() {
        return List.of(Backends.reference(), Backends.cpu());
    }

    private static Tensor on(Backend b, double[] v, int... shape) {
        return Tensor.of(v, shape).to(b);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void arithmeticInPlaceBroadcastsAndBumpsTheVersion(Backend b) {
        Tensor x = on(b, new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor row = on(b, new double[] {10, 20, 30}, 3);
        int v0 = x.storage().version();
        assertSame(x, x.addInPlace(row));
        assertArrayEquals(new double[] {11, 22, 33, 14, 25, 36}, x.toDoubleArray());
        x.subInPlace(1).mulInPlace(2).divInPlace(on(b, new double[] {2, 4}, 2, 1));
        assertArrayEquals(new double[] {10, 21, 32, 6.5, 12, 17.5}, x.toDoubleArray());
        assertEquals(v0 + 4, x.storage().version());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void inPlaceArithmeticGivesTheBitsOfTheOutOfPlaceOp(Backend b) {
        Generator g = new Generator(3);
        Tensor base = g.normal(0, 1, 37, 29).to(b);
        Tensor[] others = {g.normal(0, 1, 37, 29).to(b), g.normal(0, 1, 29).to(b), g.normal(0, 1, 37, 1).to(b),
            Tensor.of(new float[] {0.37f}).to(b), g.normal(0, 1, 29, 37).to(b).t()};
        for (BinaryOp op : new BinaryOp[] {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV}) {
            for (Tensor other : others) {
                Tensor expected = base.zipWith(op, other);
                Tensor x = base.copy();
                assertSame(x, inPlace(op, x, other));
                assertArrayEquals(expected.toFloatArray(), x.toFloatArray(), op + " with " + other);
                // a transposed (non-contiguous) destination
                Tensor xt = base.t().contiguous().t();
                assertArrayEquals(expected.toFloatArray(), inPlace(op, xt, other).toFloatArray(),
                        op + " into a transposed view with " + other);
            }
        }
    }

    private static Tensor inPlace(BinaryOp op, Tensor x, Tensor other) {
        return switch (op) {
            case ADD -> x.addInPlace(other);
            case SUB -> x.subInPlace(other);
            case MUL -> x.mulInPlace(other);
            default -> x.divInPlace(other);
        };
    }

    @ParameterizedTest
    @MethodSource("backends")
    void anOperandOverlappingTheDestinationReadsTheOldValues(Backend b) {
        Tensor x = on(b, new double[] {1, 2, 3, 4, 5}, 5).to(DType.F32);
        x.mulInPlace(x); // the same view: each element reads itself
        assertArrayEquals(new double[] {1, 4, 9, 16, 25}, x.toDoubleArray());
        Tensor y = on(b, new double[] {1, 2, 3, 4, 5}, 5).to(DType.F32);
        y.slice(0, 1, 5).addInPlace(y.slice(0, 0, 4)); // shifted by one: must read the values from before the write
        assertArrayEquals(new double[] {1, 3, 5, 7, 9}, y.toDoubleArray());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void writesThroughViewsReachTheBase(Backend b) {
        Tensor x = on(b, new double[9], 3, 3);
        x.diagonal().fill(1);
        x.select(0, 2).slice(0, 0, 2).copyFrom(on(b, new double[] {7, 8}, 2));
        x.set(5, 0, 2);
        x.t().slice(0, 1, 2).addInPlace(100); // column 1, through a transposed view
        assertArrayEquals(new double[] {1, 100, 5, 0, 101, 0, 7, 108, 1}, x.toDoubleArray());
        x.maskedFillInPlace(x.gt(50), -1);
        assertArrayEquals(new double[] {1, -1, 5, 0, -1, 0, 7, -1, 1}, x.toDoubleArray());
        x.zero();
        assertEquals(0.0, x.abs().sum().item());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void integerDestinationsKeepTheirDtype(Backend b) {
        Tensor counts = Tensor.of(new long[] {1, 2, 3}).to(b);
        counts.addInPlace(2).mulInPlace(Tensor.of(new int[] {1, 2, 3}).to(b));
        assertEquals(DType.I64, counts.dtype());
        assertArrayEquals(new long[] {3, 8, 15}, counts.toLongArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> counts.divInPlace(2));
        assertTrue(e.getMessage().contains("divInPlace") && e.getMessage().contains("f32")
                && e.getMessage().contains("i64"), e.getMessage());
        IllegalArgumentException frac = assertThrows(IllegalArgumentException.class, () -> counts.addInPlace(0.5));
        assertTrue(frac.getMessage().contains("addInPlace"), frac.getMessage());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void badShapesAreNamed(Backend b) {
        Tensor x = on(b, new double[6], 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> x.addInPlace(on(b, new double[12], 2, 2, 3)));
        assertTrue(e.getMessage().contains("addInPlace") && e.getMessage().contains("[2, 2, 3]")
                && e.getMessage().contains("[2, 3]"), e.getMessage());
        IllegalArgumentException copy = assertThrows(IllegalArgumentException.class,
                () -> x.copyFrom(on(b, new double[4], 4)));
        assertTrue(copy.getMessage().contains("copyFrom") && copy.getMessage().contains("[4]"), copy.getMessage());
        IllegalArgumentException set = assertThrows(IllegalArgumentException.class, () -> x.set(1, 2, 0));
        assertTrue(set.getMessage().contains("out of range"), set.getMessage());
        IllegalArgumentException setRank = assertThrows(IllegalArgumentException.class, () -> x.set(1, 0));
        assertTrue(setRank.getMessage().contains("set: expected 2 indices"), setRank.getMessage());
    }

    /** Recording is tensor-core's: the guard holds without the autograd module on the class path. */
    @ParameterizedTest
    @MethodSource("backends")
    void inPlaceChangesOfTrackedTensorsAreRefusedWhileRecording(Backend b) {
        Tensor w = on(b, new double[] {1, 2}, 2).requiresGrad(true);
        Tensor plain = on(b, new double[] {3, 4}, 2);
        IllegalStateException own = assertThrows(IllegalStateException.class, () -> w.addInPlace(1));
        assertTrue(own.getMessage().contains("addInPlace") && own.getMessage().contains("requires grad")
                && own.getMessage().contains("noGrad"), own.getMessage());
        IllegalStateException source = assertThrows(IllegalStateException.class, () -> plain.copyFrom(w.mul(2)));
        assertTrue(source.getMessage().contains("source") && source.getMessage().contains("sliceScatter"),
                source.getMessage());
        assertArrayEquals(new double[] {3, 4}, plain.toDoubleArray());
        try (GradMode.Scope s = GradMode.noGrad()) {
            w.addInPlace(1); // as an optimizer does
        }
        assertArrayEquals(new double[] {2, 3}, w.toDoubleArray());
        w.detach().mulInPlace(2); // a detached alias writes the same storage
        assertArrayEquals(new double[] {4, 6}, w.toDoubleArray());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void toInPlaceKeepsTheObject(Backend b) {
        Tensor w = on(b, new double[] {1.5, -2}, 2).to(DType.F32).requiresGrad(true);
        w.setGrad(Tensor.ones(2).to(b));
        assertSame(w, w.toInPlace(DType.F64));
        assertEquals(DType.F64, w.dtype());
        assertEquals(DType.F64, w.grad().dtype());
        assertTrue(w.requiresGrad());
        assertArrayEquals(new double[] {1.5, -2}, w.toDoubleArray());
        Backend other = b == Backends.cpu() ? Backends.reference() : Backends.cpu();
        assertSame(w, w.toInPlace(other));
        assertSame(other, w.backend());
        assertSame(other, w.grad().backend());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.toInPlace(DType.I64));
        assertTrue(e.getMessage().contains("floating point"), e.getMessage());
        Tensor computed = w.mul(2);
        IllegalStateException leaf = assertThrows(IllegalStateException.class, () -> computed.toInPlace(DType.F32));
        assertTrue(leaf.getMessage().contains("leaves") && leaf.getMessage().contains("mul"), leaf.getMessage());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void everyInPlaceWriteBumpsTheVersion(Backend b) {
        Tensor x = on(b, new double[4], 4);
        Tensor view = x.slice(0, 1, 3);
        int v = x.storage().version();
        view.fill(1);
        assertNotEquals(v, v = x.storage().version());
        view.copyFrom(Tensor.scalar(2).to(b));
        assertNotEquals(v, v = x.storage().version());
        x.set(3, 0);
        assertNotEquals(v, v = x.storage().version());
        x.maskedFillInPlace(x.eq(3), 0);
        assertNotEquals(v, x.storage().version());
    }
}
