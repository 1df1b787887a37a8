package dev.deneb.tensor.cpu;

import dev.deneb.tensor.ScatterReduction;
import dev.deneb.tensor.Tensor;

/**
 * Index-driven kernels: the one-pass range of an index tensor (the index checks), and f32 gather, scatter (write or
 * add) and scatterReduce, reading every operand through its strides (transposed, stepped and expanded views need no
 * copy: the row-broadcast index of {@code Scatter.sum} and of the indexSelect gradient is {@code [E, C]} with strides
 * {@code [1, 0]}).
 *
 * <p>The index is walked as rows of its last dimension. A scatter never splits the values that land on one position
 * across threads: when the axis is the last dimension each thread owns whole rows (distinct rows reach distinct
 * positions), otherwise each thread owns a range of the last dimension's columns and walks every row in order. Either
 * way each position combines its values in row-major index order, as on one thread and as {@link ReferenceBackend},
 * so the bits do not depend on the thread count. The sums are accumulated in f32 (the reference accumulates in f64
 * and rounds once, so float sums agree with it to rounding, and exactly where no rounding occurs).
 */
final class IndexKernels {
    /** Floats in a 64-byte cache line: the grain of a column split, so threads never share a line they write. */
    private static final int LINE_FLOATS = 16;
    private IndexKernels() {}

    /** How a scatter combines: write, add, or one of the scatterReduce reductions (which count their values). */
    private enum Mode { SET, ADD, SUM, MEAN, AMAX, AMIN }

    // ---- index range ----

    /** {@code {min, max}} of a non-empty I32 or I64 tensor in one pass; dimensions of stride 0 are read once. */
    static long[] range(Tensor index) {
        if (index.numel() == 0) {
            throw new IllegalArgumentException("indexRange: the index is empty");
        }
        Object a = ((CpuStorage) index.storage()).array();
        int[] shape = index.shape();
        int[] strides = index.strides();
        // Keep only the dimensions that reach distinct elements (size > 1, stride != 0).
        int rank = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] > 1 && strides[d] != 0) {
                shape[rank] = shape[d];
                strides[rank] = strides[d];
                rank++;
            }
        }
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        int inner = rank == 0 ? 1 : shape[rank - 1];
        int step = rank == 0 ? 0 : strides[rank - 1];
        int rows = 1;
        for (int d = 0; d < rank - 1; d++) {
            rows *= shape[d];
        }
        int[] coord = new int[Math.max(0, rank - 1)];
        int base = index.offset();
        for (int row = 0; row < rows; row++) {
            if (a instanceof long[] v) {
                for (int j = 0, p = base; j < inner; j++, p += step) {
                    long x = v[p];
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
            } else {
                int[] v = (int[]) a;
                for (int j = 0, p = base; j < inner; j++, p += step) {
                    long x = v[p];
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
            }
            for (int d = rank - 2; d >= 0; d--) {  // next row: odometer over the outer dimensions
                base += strides[d];
                if (++coord[d] < shape[d]) {
                    break;
                }
                base -= coord[d] * strides[d];
                coord[d] = 0;
            }
        }
        return new long[] {lo, hi};
    }

    // ---- geometry ----

    /**
     * The walk over an index of shape {@code shape} (rank >= 1, numel > 0) as {@code rows} rows of {@code last}
     * elements. For each operand: its offset and strides. {@code idx} is the index (I64); {@code dense} the operand
     * of the index's shape (gather's output, scatter's src); {@code other} the operand the index points into along
     * {@code axis} (gather's input, scatter's output).
     */
    private record Walk(int[] shape, int axis, int rows, int last,
                        long[] idx, int idxOff, int[] idxStrides,
                        float[] dense, int denseOff, int[] denseStrides,
                        float[] other, int otherOff, int[] otherStrides) {

        /** Runs {@code body} for each row in [r0, r1) and each column in [j0, j1). */
        void run(int r0, int r1, int j0, int j1, RowBody body) {
            int rank = shape.length;
            for (int row = r0; row < r1; row++) {
                int bi = idxOff;
                int bd = denseOff;
                int bo = otherOff;
                for (int d = rank - 2, rest = row; d >= 0; d--) {
                    int c = rest % shape[d];
                    rest /= shape[d];
                    bi += c * idxStrides[d];
                    bd += c * denseStrides[d];
                    if (d != axis) {
                        bo += c * otherStrides[d];
                    }
                }
                body.row(bi, bd, bo, j0, j1);
            }
        }
    }

    @FunctionalInterface
    private interface RowBody {
        /** One row: index, dense and other base offsets (other without the axis term), columns [j0, j1). */
        void row(int bi, int bd, int bo, int j0, int j1);
    }

    private static Walk walk(Tensor index, Tensor dense, float[] denseArray, Tensor other, float[] otherArray,
                             int axis) {
        int[] shape = index.shape();
        int last = shape[shape.length - 1];
        return new Walk(shape, axis, index.numel() / last, last,
                (long[]) ((CpuStorage) index.storage()).array(), index.offset(), index.strides(),
                denseArray, dense.offset(), dense.strides(), otherArray, other.offset(), other.strides());
    }

    /** Whether the kernels below take this case: f32 operands of rank >= 1, an I64 index of the same rank. */
    static boolean handles(Tensor x, Tensor index) {
        return x.dim() >= 1 && index.dim() == x.dim() && ((CpuStorage) index.storage()).array() instanceof long[];
    }

    // ---- gather ----

    /** {@code out[c] = x[c with c[axis] = index[c]]}; out has the index's shape, contiguous. */
    static void gather(Tensor x, float[] xv, int axis, Tensor index, Tensor out, float[] ov) {
        if (index.numel() == 0) {
            return;
        }
        Walk w = walk(index, out, ov, x, xv, axis);
        int rank = w.shape.length;
        boolean axisLast = axis == rank - 1;
        int is = w.idxStrides[rank - 1];
        int ds = w.denseStrides[rank - 1];
        int os = w.otherStrides[rank - 1];
        int oa = w.otherStrides[axis];
        long[] iv = w.idx;
        RowBody body = axisLast
                ? (bi, bd, bo, j0, j1) -> {
                    for (int j = j0; j < j1; j++) {
                        ov[bd + j * ds] = xv[bo + (int) iv[bi + j * is] * oa];
                    }
                }
                : (bi, bd, bo, j0, j1) -> {
                    if (is == 0 && os == 1 && ds == 1) {  // a row-broadcast index: one run of a picked row
                        System.arraycopy(xv, bo + (int) iv[bi] * oa + j0, ov, bd + j0, j1 - j0);
                        return;
                    }
                    for (int j = j0; j < j1; j++) {
                        ov[bd + j * ds] = xv[bo + (int) iv[bi + j * is] * oa + j * os];
                    }
                };
        // Every output element is written once, so any split gives the same bits.
        Parallel.range(w.rows, w.last, (r0, r1) -> w.run(r0, r1, 0, w.last, body));
    }

    // ---- scatter ----

    /** {@code out[c with c[axis] = index[c]] = / += src[c]}, in row-major index order; out starts as a copy of x. */
    static void scatter(Tensor out, float[] ov, int axis, Tensor index, Tensor src, float[] sv, boolean accumulate) {
        combine(out, ov, axis, index, src, sv, accumulate ? Mode.ADD : Mode.SET, null);
    }

    /** scatterReduce onto {@code out} (a contiguous copy of x), as {@link ReferenceBackend#scatterReduce}. */
    static void scatterReduce(Tensor out, float[] ov, int axis, Tensor index, Tensor src, float[] sv,
                              ScatterReduction reduction, boolean includeSelf) {
        Mode mode = switch (reduction) {
            case SUM -> Mode.SUM;
            case MEAN -> Mode.MEAN;
            case AMAX -> Mode.AMAX;
            case AMIN -> Mode.AMIN;
        };
        // How many values each position has combined: its own (when included) and those scattered onto it.
        int[] count = new int[ov.length];
        if (includeSelf) {
            java.util.Arrays.fill(count, 1);
        }
        combine(out, ov, axis, index, src, sv, mode, count);
        if (mode == Mode.MEAN) {
            for (int t = 0; t < ov.length; t++) {
                if (count[t] > 1) {
                    ov[t] /= count[t];
                }
            }
        }
    }

    private static void combine(Tensor out, float[] ov, int axis, Tensor index, Tensor src, float[] sv, Mode mode,
                                int[] count) {
        if (index.numel() == 0) {
            return;
        }
        Walk w = walk(index, src, sv, out, ov, axis);
        int rank = w.shape.length;
        int is = w.idxStrides[rank - 1];
        int ds = w.denseStrides[rank - 1];
        int os = w.otherStrides[rank - 1];
        int oa = w.otherStrides[axis];
        long[] iv = w.idx;
        boolean axisLast = axis == rank - 1;
        RowBody body = (bi, bd, bo, j0, j1) -> {
            if (!axisLast && is == 0 && os == 1 && ds == 1 && (mode == Mode.ADD || mode == Mode.SET)) {
                int o = bo + (int) iv[bi] * oa;  // a row-broadcast index: one run of the target row
                if (mode == Mode.SET) {
                    System.arraycopy(sv, bd + j0, ov, o + j0, j1 - j0);
                } else {
                    for (int j = j0; j < j1; j++) {
                        ov[o + j] += sv[bd + j];
                    }
                }
                return;
            }
            for (int j = j0; j < j1; j++) {
                int t = bo + (int) iv[bi + j * is] * oa + (axisLast ? 0 : j * os);
                float s = sv[bd + j * ds];
                switch (mode) {
                    case SET -> ov[t] = s;
                    case ADD -> ov[t] += s;
                    default -> ov[t] = count[t]++ == 0 ? s : switch (mode) {
                        case AMAX -> Math.max(ov[t], s);
                        case AMIN -> Math.min(ov[t], s);
                        default -> ov[t] + s;  // SUM, MEAN
                    };
                }
            }
        };
        if (axisLast) {
            // Distinct rows reach distinct positions: each thread owns whole rows.
            Parallel.range(w.rows, w.last, (r0, r1) -> w.run(r0, r1, 0, w.last, body));
        } else {
            // Each thread owns a range of columns (the positions' last coordinate) and walks all rows in order. The
            // ranges are whole cache lines: two threads writing halves of one line (GCN's 16 hidden units) made two
            // threads slower than one.
            int blocks = (w.last + LINE_FLOATS - 1) / LINE_FLOATS;
            Parallel.range(blocks, (long) w.rows * LINE_FLOATS, (b0, b1) ->
                    w.run(0, w.rows, b0 * LINE_FLOATS, Math.min(b1 * LINE_FLOATS, w.last), body));
        }
    }
}
