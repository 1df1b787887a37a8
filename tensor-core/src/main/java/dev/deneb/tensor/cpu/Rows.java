package dev.deneb.tensor.cpu;

import dev.deneb.tensor.Tensor;

/**
 * Turns "reduce over these axes" into "reduce each row": a view with the kept axes first and the reduced ones last,
 * so that in row-major order every output element owns one contiguous run of input elements.
 */
final class Rows {
    private Rows() {}

    /** x permuted to (kept axes…, reduced axes…); axes are sorted and distinct. */
    static Tensor reducedLast(Tensor x, int[] axes) {
        return x.permute(order(x.dim(), axes));
    }

    /** The inverse of {@link #reducedLast} for a tensor laid out as it returned. */
    static Tensor restore(Tensor permuted, int[] axes) {
        int[] order = order(permuted.dim(), axes);
        int[] inverse = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            inverse[order[i]] = i;
        }
        return permuted.permute(inverse);
    }

    /** Elements per row: the product of the reduced axes' sizes. */
    static int rowLength(Tensor x, int[] axes) {
        int n = 1;
        for (int a : axes) {
            n *= x.shape()[a];
        }
        return n;
    }

    static int[] reducedShape(int[] shape, int[] axes, boolean keepdim) {
        int[] out = new int[keepdim ? shape.length : shape.length - axes.length];
        for (int d = 0, j = 0, k = 0; d < shape.length; d++) {
            if (k < axes.length && axes[k] == d) {
                k++;
                if (keepdim) {
                    out[j++] = 1;
                }
            } else {
                out[j++] = shape[d];
            }
        }
        return out;
    }

    private static int[] order(int rank, int[] axes) {
        int[] order = new int[rank];
        int j = 0;
        for (int d = 0, k = 0; d < rank; d++) {
            if (k < axes.length && axes[k] == d) {
                k++;
            } else {
                order[j++] = d;
            }
        }
        for (int a : axes) {
            order[j++] = a;
        }
        return order;
    }
}
