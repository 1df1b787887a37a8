package dev.deneb.cuda;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The {@code View} struct every kernel reads its inputs through ({@code src/main/cuda/common.cuh}): rank, offset,
 * and up to {@value #MAX_DIMS} sizes and strides, all in elements, as 4-byte ints ({@value #BYTES} bytes).
 *
 * <p>{@link #of(int[], int[]...)} first merges axes the way every operand allows (dropping size-1 axes and joining
 * neighbours whose strides chain), so a contiguous tensor of any rank becomes rank 1 and most views need far fewer
 * than {@value #MAX_DIMS} axes.
 */
record KernelView(int[] shape, int[] strides, int offset) {
    static final int MAX_DIMS = 8;
    static final int BYTES = 4 + 4 + MAX_DIMS * 4 * 2;

    /**
     * One view per operand, all of the same {@code shape}, after merging axes for all of them together.
     *
     * @param offsetsAndStrides for each operand, {@code {offset, stride0, stride1, ...}}
     * @throws UnsupportedOperationException when more than {@value #MAX_DIMS} axes remain
     */
    static KernelView[] of(int[] shape, int[]... offsetsAndStrides) {
        int ops = offsetsAndStrides.length;
        int[] s = new int[shape.length];
        int[][] st = new int[ops][shape.length];
        int r = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) {
                continue;                                   // size-1 axes never move the position
            }
            boolean merge = r > 0;
            for (int k = 0; k < ops && merge; k++) {
                merge = st[k][r - 1] == offsetsAndStrides[k][1 + d] * shape[d];
            }
            if (merge) {
                s[r - 1] *= shape[d];
                for (int k = 0; k < ops; k++) {
                    st[k][r - 1] = offsetsAndStrides[k][1 + d];
                }
            } else {
                s[r] = shape[d];
                for (int k = 0; k < ops; k++) {
                    st[k][r] = offsetsAndStrides[k][1 + d];
                }
                r++;
            }
        }
        if (r > MAX_DIMS) {
            throw new UnsupportedOperationException("CUDA backend: a view of shape " + Arrays.toString(shape)
                    + " keeps " + r + " axes after merging, more than the kernels' limit of " + MAX_DIMS
                    + "; make it contiguous first");
        }
        KernelView[] out = new KernelView[ops];
        for (int k = 0; k < ops; k++) {
            out[k] = new KernelView(Arrays.copyOf(s, r), Arrays.copyOf(st[k], r), offsetsAndStrides[k][0]);
        }
        return out;
    }

    /**
     * A view with exactly these axes (no merging): for kernels that address one axis by number (gather, scatter).
     *
     * @throws UnsupportedOperationException for more than {@value #MAX_DIMS} axes
     */
    static KernelView exact(int[] shape, int[] strides, int offset) {
        if (shape.length > MAX_DIMS) {
            throw new UnsupportedOperationException("CUDA backend: indexing kernels take at most " + MAX_DIMS
                    + " axes, got shape " + Arrays.toString(shape));
        }
        return new KernelView(shape.clone(), strides.clone(), offset);
    }

    /** {@code {offset, strides...}} of a tensor, for {@link #of}. */
    static int[] layout(int offset, int[] strides) {
        int[] r = new int[strides.length + 1];
        r[0] = offset;
        System.arraycopy(strides, 0, r, 1, strides.length);
        return r;
    }

    /** Writes the struct at {@code at} (native byte order, as the kernel reads it). */
    void writeTo(MemorySegment seg, long at) {
        seg.set(ValueLayout.JAVA_INT, at, shape.length);
        seg.set(ValueLayout.JAVA_INT, at + 4, offset);
        for (int d = 0; d < MAX_DIMS; d++) {
            seg.set(ValueLayout.JAVA_INT, at + 8 + 4L * d, d < shape.length ? shape[d] : 1);
            seg.set(ValueLayout.JAVA_INT, at + 8 + 4L * MAX_DIMS + 4L * d, d < shape.length ? strides[d] : 0);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KernelView v && v.offset == offset && Arrays.equals(v.shape, shape)
                && Arrays.equals(v.strides, strides);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(shape) + Arrays.hashCode(strides)) + offset;
    }

    @Override
    public String toString() {
        return "KernelView" + Arrays.toString(shape) + " strides " + Arrays.toString(strides) + " offset " + offset;
    }
}
