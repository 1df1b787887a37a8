package dev.deneb.tensor;

import java.util.Arrays;

/**
 * Where the non-zeros of a {@code rows × cols} sparse matrix sit, in compressed-row form (CSR): the entries of row r
 * are {@code rowPointers[r] .. rowPointers[r+1]-1}, entry k lies in column {@code columns[k]}. Values are kept apart
 * (a tensor of one entry per non-zero, see {@link CsrMatrix}) so that one pattern serves many value sets and the
 * product can differentiate the values. Immutable; its transpose is built once, on first use, and cached.
 *
 * <p>Entries of one row keep the order they were given in ({@link #fromCoo} sorts stably by row), so a product sums
 * each row in that fixed order whatever the number of threads.
 */
public final class CsrPattern {
    private final int rows;
    private final int cols;
    private final long[] rowPointers;
    private final long[] columns;
    private Tensor rowPointersTensor;
    private Tensor columnsTensor;
    private Tensor entryRowsTensor;
    private Transposed transposed;

    /** A pattern and where each of its entries came from: entry k of the pattern is input entry {@code order[k]}. */
    public record Sorted(CsrPattern pattern, Tensor order) {}

    /** The transpose and, for each of its entries, the index of the same non-zero in this pattern. */
    private record Transposed(CsrPattern pattern, Tensor order) {}

    private CsrPattern(int rows, int cols, long[] rowPointers, long[] columns) {
        this.rows = rows;
        this.cols = cols;
        this.rowPointers = rowPointers;
        this.columns = columns;
    }

    /**
     * A pattern from its CSR arrays (copied): {@code rowPointers} of {@code rows + 1} non-decreasing entries from 0
     * to {@code columns.length}, each column in {@code [0, cols)}. Repeated positions are allowed (they add up).
     */
    public static CsrPattern of(int rows, int cols, long[] rowPointers, long[] columns) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("CsrPattern: sizes must be >= 0, got " + rows + " x " + cols);
        }
        if (rowPointers == null || columns == null) {
            throw new IllegalArgumentException("CsrPattern: rowPointers and columns must not be null");
        }
        if (rowPointers.length != rows + 1 || rowPointers[0] != 0 || rowPointers[rows] != columns.length) {
            throw new IllegalArgumentException("CsrPattern: rowPointers must have rows + 1 = " + (rows + 1)
                    + " entries from 0 to the number of non-zeros " + columns.length + ", got length "
                    + rowPointers.length + (rowPointers.length == 0 ? "" : " from " + rowPointers[0] + " to "
                    + rowPointers[rowPointers.length - 1]));
        }
        for (int r = 0; r < rows; r++) {
            if (rowPointers[r + 1] < rowPointers[r]) {
                throw new IllegalArgumentException("CsrPattern: rowPointers must not decrease, got "
                        + rowPointers[r] + " then " + rowPointers[r + 1] + " at row " + r);
            }
        }
        checkRange("column", columns, cols);
        return new CsrPattern(rows, cols, rowPointers.clone(), columns.clone());
    }

    /**
     * The pattern of the coordinate list {@code (rowIndex[i], colIndex[i])} (two 1-D integer tensors of one length),
     * sorted by row, stably: entries of one row keep their given order. {@link Sorted#order} says where each entry
     * came from, so values given per coordinate become the pattern's values with {@code values.indexSelect(0, order)}.
     */
    public static Sorted fromCoo(int rows, int cols, Tensor rowIndex, Tensor colIndex) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("CsrPattern.fromCoo: sizes must be >= 0, got " + rows + " x " + cols);
        }
        for (Tensor t : new Tensor[] {rowIndex, colIndex}) {
            if (t == null || t.dim() != 1 || t.dtype().isFloating() || t.dtype() == DType.BOOL) {
                throw new IllegalArgumentException("CsrPattern.fromCoo: row and column indices must be 1-D integer"
                        + " tensors, got " + (t == null ? "null" : t.dtype() + " of shape " + Shapes.str(t.shape())));
            }
        }
        if (rowIndex.numel() != colIndex.numel()) {
            throw new IllegalArgumentException("CsrPattern.fromCoo: row and column indices must have one length, got "
                    + rowIndex.numel() + " and " + colIndex.numel());
        }
        long[] r = rowIndex.toLongArray();
        long[] c = colIndex.toLongArray();
        checkRange("row", r, rows);
        checkRange("column", c, cols);
        long[][] sorted = countingSort(r, c, rows);
        CsrPattern p = new CsrPattern(rows, cols, sorted[0], sorted[1]);
        return new Sorted(p, Tensor.of(sorted[2], sorted[2].length));
    }

    /**
     * Stable counting sort of the pairs by {@code keys} (in {@code [0, buckets)}): {@code {pointers [buckets + 1],
     * the other coordinate in sorted order, the input position of each sorted entry}}.
     */
    private static long[][] countingSort(long[] keys, long[] other, int buckets) {
        long[] pointers = new long[buckets + 1];
        for (long k : keys) {
            pointers[(int) k + 1]++;
        }
        for (int b = 0; b < buckets; b++) {
            pointers[b + 1] += pointers[b];
        }
        long[] next = Arrays.copyOf(pointers, buckets);
        long[] sortedOther = new long[keys.length];
        long[] order = new long[keys.length];
        for (int i = 0; i < keys.length; i++) {
            int at = (int) next[(int) keys[i]]++;
            sortedOther[at] = other[i];
            order[at] = i;
        }
        return new long[][] {pointers, sortedOther, order};
    }

    private static void checkRange(String what, long[] index, int size) {
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= size) {
                throw new IllegalArgumentException("CsrPattern: " + what + " index " + index[i] + " at entry " + i
                        + " is out of range [0, " + size + ")");
            }
        }
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** The number of stored entries. */
    public int nnz() {
        return columns.length;
    }

    /** {@code [rows + 1]} I64 on the CPU: where each row's entries start. */
    public synchronized Tensor rowPointers() {
        if (rowPointersTensor == null) {
            rowPointersTensor = Tensor.of(rowPointers, rowPointers.length);
        }
        return rowPointersTensor;
    }

    /** {@code [nnz]} I64 on the CPU: the column of each entry. */
    public synchronized Tensor columns() {
        if (columnsTensor == null) {
            columnsTensor = Tensor.of(columns, columns.length);
        }
        return columnsTensor;
    }

    /** {@code [nnz]} I64 on the CPU: the row of each entry (the pattern in coordinate form, with {@link #columns}). */
    public synchronized Tensor entryRows() {
        if (entryRowsTensor == null) {
            long[] r = new long[columns.length];
            for (int row = 0; row < rows; row++) {
                Arrays.fill(r, (int) rowPointers[row], (int) rowPointers[row + 1], row);
            }
            entryRowsTensor = Tensor.of(r, r.length);
        }
        return entryRowsTensor;
    }

    /** The {@code cols × rows} pattern of the transpose; entries of one of its rows in increasing original row. */
    public CsrPattern transpose() {
        return transposed().pattern();
    }

    /** {@code [nnz]} I64: entry k of {@link #transpose()} is entry {@code transposeOrder()[k]} of this pattern. */
    public Tensor transposeOrder() {
        return transposed().order();
    }

    private synchronized Transposed transposed() {
        if (transposed == null) {
            long[][] sorted = countingSort(columns, entryRows().toLongArray(), cols);
            CsrPattern t = new CsrPattern(cols, rows, sorted[0], sorted[1]);
            Tensor order = Tensor.of(sorted[2], sorted[2].length);
            // The transpose of the transpose is this pattern, entry for entry: order inverted.
            long[] back = new long[sorted[2].length];
            for (int k = 0; k < back.length; k++) {
                back[(int) sorted[2][k]] = k;
            }
            t.transposed = new Transposed(this, Tensor.of(back, back.length));
            transposed = new Transposed(t, order);
        }
        return transposed;
    }

    @Override
    public String toString() {
        return "CsrPattern(" + rows + " x " + cols + ", nnz=" + columns.length + ")";
    }
}
