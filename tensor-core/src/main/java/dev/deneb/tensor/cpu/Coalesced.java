package dev.deneb.tensor.cpu;

import java.util.Arrays;

/**
 * A shape with adjacent axes merged wherever every operand steps through them as one run (PyTorch's
 * TensorIterator does the same). A bias added to {@code [N, C, H, W]} then works on rows of H·W, not of W, and a
 * contiguous copy becomes one row.
 */
final class Coalesced {
    final int[] shape;
    final int[][] strides;

    private Coalesced(int[] shape, int[][] strides) {
        this.shape = shape;
        this.strides = strides;
    }

    static Coalesced of(int[] shape, int[]... strides) {
        int rank = shape.length;
        int[] s = new int[Math.max(1, rank)];
        int[][] st = new int[strides.length][Math.max(1, rank)];
        int n = 0;
        // Walk from the last axis, dropping size-1 axes and merging an axis into the one after it when, for every
        // operand, stepping the outer axis equals walking the whole inner one.
        for (int d = rank - 1; d >= 0; d--) {
            if (shape[d] == 1) {
                continue;
            }
            boolean merge = n > 0;
            for (int k = 0; k < strides.length && merge; k++) {
                merge = strides[k][d] == st[k][n - 1] * s[n - 1];
            }
            if (merge) {
                s[n - 1] *= shape[d];
            } else {
                s[n] = shape[d];
                for (int k = 0; k < strides.length; k++) {
                    st[k][n] = strides[k][d];
                }
                n++;
            }
        }
        if (n == 0) {
            s[0] = 1;
            n = 1;
        }
        int[] outShape = new int[n];
        int[][] outStrides = new int[strides.length][n];
        for (int i = 0; i < n; i++) {
            outShape[i] = s[n - 1 - i];
            for (int k = 0; k < strides.length; k++) {
                outStrides[k][i] = st[k][n - 1 - i];
            }
        }
        return new Coalesced(outShape, outStrides);
    }

    int rank() {
        return shape.length;
    }

    /** Length of the innermost run. */
    int rowLength() {
        return shape[shape.length - 1];
    }

    @Override
    public String toString() {
        return Arrays.toString(shape) + " " + Arrays.deepToString(strides);
    }
}
