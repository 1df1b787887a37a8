package dev.deneb.tensor;

import java.util.Arrays;

/**
 * Ops whose result size depends on the values: maskedSelect and nonzero. The positions are found on the host by
 * reading the mask (or the values); the selection itself is an indexSelect, so maskedSelect is differentiable.
 */
final class MaskedSelection {
    private MaskedSelection() {}

    /** The elements where {@code mask} (bool, broadcast to x's shape) is true, in row-major order, as a 1-D tensor. */
    static Tensor maskedSelect(Tensor x, Tensor mask) {
        if (mask.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("maskedSelect: mask must be bool, got " + mask.dtype() + " of shape "
                    + Shapes.str(mask.shape()));
        }
        Shapes.sameBackend("maskedSelect", x, mask);
        int[] target = Shapes.broadcast("maskedSelect", x.shape(), mask.shape());
        if (!Arrays.equals(target, x.shape())) {
            throw new IllegalArgumentException("maskedSelect: mask of shape " + Shapes.str(mask.shape())
                    + " does not broadcast to the tensor's shape " + Shapes.str(x.shape()));
        }
        boolean[] m = mask.detach().expand(x.shape()).toBooleanArray();
        int count = 0;
        for (boolean b : m) {
            count += b ? 1 : 0;
        }
        long[] positions = new long[count];
        for (int i = 0, p = 0; i < m.length; i++) {
            if (m[i]) {
                positions[p++] = i;
            }
        }
        Tensor flat = x.reshape(-1);
        Tensor r = flat.indexSelect(0, Tensor.uploaded(x.backend(), positions, positions.length));
        return Rearranging.fresh(r, x);
    }

    /** The indices of the non-zero elements (NaN counts as non-zero), row-major, as i64 {@code [n, dim()]}. */
    static Tensor nonzero(Tensor x) {
        double[] v = x.toDoubleArray();
        int[] shape = x.shape();
        int rank = shape.length;
        int count = 0;
        for (double e : v) {
            count += e != 0 ? 1 : 0;
        }
        int[] resultShape = {count, rank};
        long[] out = new long[Shapes.numel("nonzero", resultShape)];
        int[] coord = new int[rank];
        for (int i = 0, p = 0; i < v.length; i++) {
            if (v[i] != 0) {
                for (int d = 0; d < rank; d++) {
                    out[p++] = coord[d];
                }
            }
            for (int d = rank - 1; d >= 0; d--) {
                if (++coord[d] < shape[d]) {
                    break;
                }
                coord[d] = 0;
            }
        }
        return Tensor.uploaded(x.backend(), out, resultShape);
    }
}
