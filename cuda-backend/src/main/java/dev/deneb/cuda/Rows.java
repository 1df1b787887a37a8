package dev.deneb.cuda;

import dev.deneb.tensor.Tensor;

/**
 * "Reduce over these axes" as "reduce each row": x permuted so the kept axes come first and the reduced ones last
 * (a view, no copy). Row r, position i is then element {@code r * length + i} of the view in row-major order, which
 * is how the row kernels address it.
 *
 * @param permuted x with the reduced axes last
 * @param order    the permutation applied
 * @param count    number of rows (product of the kept sizes)
 * @param length   elements per row (product of the reduced sizes)
 * @param outShape the result's shape
 */
record Rows(Tensor permuted, int[] order, long count, int length, int[] outShape) {
    /** {@code axes} sorted and distinct, as Backend guarantees. */
    static Rows of(Tensor x, int[] axes, boolean keepdim) {
        int[] shape = x.shape();
        int rank = shape.length;
        boolean[] reduced = new boolean[rank];
        for (int a : axes) {
            reduced[a] = true;
        }
        int[] order = new int[rank];
        int j = 0;
        long count = 1;
        int length = 1;
        for (int d = 0; d < rank; d++) {
            if (!reduced[d]) {
                order[j++] = d;
                count *= shape[d];
            }
        }
        for (int a : axes) {
            order[j++] = a;
            length *= shape[a];
        }
        int[] out = new int[keepdim ? rank : rank - axes.length];
        for (int d = 0, k = 0; d < rank; d++) {
            if (!reduced[d]) {
                out[k++] = shape[d];
            } else if (keepdim) {
                out[k++] = 1;
            }
        }
        return new Rows(x.permute(order), order, count, length, out);
    }

    /** The inverse permutation, applied to a tensor laid out like {@link #permuted}. */
    Tensor restore(Tensor laidOutLikePermuted) {
        int[] inverse = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            inverse[order[i]] = i;
        }
        return laidOutLikePermuted.permute(inverse);
    }
}
