package dev.deneb.tensor.cpu;

/**
 * The f32 CSR-times-dense product ({@link dev.deneb.tensor.CsrMatrix}): row r of out is
 * {@code Σ_k values[k] · dense[columns[k]]} over r's entries. Each output row is one thread's alone and is summed in
 * the entries' stored order with one fused multiply-add per entry and column (vector lanes and the scalar path give
 * the same bits), so the result does not depend on the thread count. The reference sums in f64 and rounds once.
 */
final class SparseKernels {
    private SparseKernels() {}

    /**
     * {@code out[r*n ..] = Σ values[k] · dense[columns[k]*n ..]} for rows {@code [0, rows)}; dense and out
     * contiguous rows of n floats from their offsets; out starts zeroed.
     */
    static void csrTimesDense(int rows, int n, long[] rowPointers, long[] columns, float[] values, int valuesOff,
                              float[] dense, int denseOff, float[] out) {
        long nnz = rowPointers[rows];
        // Cost per row: its share of the multiply-adds (at least one pass over its output row).
        long perRow = Math.max(1, nnz / Math.max(1, rows)) * n + n;
        Parallel.range(rows, perRow, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int k0 = (int) rowPointers[r];
                int k1 = (int) rowPointers[r + 1];
                int j = VectorSupport.ENABLED ? SparseVectorRows.row(k0, k1, n, columns, values, valuesOff, dense, denseOff,
                        out, r * n) : 0;
                for (; j < n; j++) {
                    float acc = 0f;
                    for (int k = k0; k < k1; k++) {
                        acc = Math.fma(values[valuesOff + k], dense[denseOff + (int) columns[k] * n + j], acc);
                    }
                    out[r * n + j] = acc;
                }
            }
        });
    }
}
