package dev.deneb.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class KernelViewTest {
    @Test
    void contiguousOfAnyRankBecomesOneAxis() {
        KernelView v = KernelView.of(new int[] {2, 3, 4, 5, 1, 6, 7, 2, 3}, KernelView.layout(5,
                CudaBackend.contiguousStrides(new int[] {2, 3, 4, 5, 1, 6, 7, 2, 3})))[0];
        assertArrayEquals(new int[] {2 * 3 * 4 * 5 * 6 * 7 * 2 * 3}, v.shape());
        assertArrayEquals(new int[] {1}, v.strides());
        assertEquals(5, v.offset());
    }

    @Test
    void axesMergeOnlyWhereEveryOperandAllows() {
        // a contiguous [2,3,4]; b broadcasts its first axis (stride 0)
        KernelView[] v = KernelView.of(new int[] {2, 3, 4}, KernelView.layout(0, new int[] {12, 4, 1}),
                KernelView.layout(0, new int[] {0, 4, 1}));
        assertArrayEquals(new int[] {2, 12}, v[0].shape());
        assertArrayEquals(new int[] {12, 1}, v[0].strides());
        assertArrayEquals(new int[] {0, 1}, v[1].strides());
        // a transposed view keeps both axes
        KernelView t = KernelView.of(new int[] {3, 2}, KernelView.layout(0, new int[] {1, 3}))[0];
        assertArrayEquals(new int[] {3, 2}, t.shape());
        // all-broadcast collapses to one axis of stride 0; a scalar has rank 0
        assertArrayEquals(new int[] {0}, KernelView.of(new int[] {4, 5}, KernelView.layout(2, new int[] {0, 0}))[0].strides());
        assertEquals(0, KernelView.of(new int[] {1, 1}, KernelView.layout(3, new int[] {7, 9}))[0].shape().length);
    }

    @Test
    void tooManyAxesAreRefusedWithAMessage() {
        int[] shape = {2, 2, 2, 2, 2, 2, 2, 2, 2};
        int[] strides = {1000, 300, 70, 17, 7, 5, 3, 1, 4096};  // no neighbours chain
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> KernelView.of(shape, KernelView.layout(0, strides)));
        assertEquals(true, e.getMessage().contains("9 axes"), e.getMessage());
    }

    @Test
    void structLayoutMatchesCommonCuh() {
        KernelView v = new KernelView(new int[] {3, 4}, new int[] {4, 1}, 7);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(KernelView.BYTES);
            v.writeTo(s, 0);
            assertEquals(72, KernelView.BYTES);
            assertEquals(2, s.get(ValueLayout.JAVA_INT, 0));            // rank
            assertEquals(7, s.get(ValueLayout.JAVA_INT, 4));            // offset
            assertEquals(3, s.get(ValueLayout.JAVA_INT, 8));            // shape[0]
            assertEquals(4, s.get(ValueLayout.JAVA_INT, 12));           // shape[1]
            assertEquals(4, s.get(ValueLayout.JAVA_INT, 8 + 32));       // stride[0]
            assertEquals(1, s.get(ValueLayout.JAVA_INT, 12 + 32));      // stride[1]
        }
    }
}
