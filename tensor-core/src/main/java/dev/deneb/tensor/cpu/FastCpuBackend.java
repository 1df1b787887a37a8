package dev.deneb.tensor.cpu;

import dev.deneb.tensor.BinaryOp;
import dev.deneb.tensor.ConvOptions;
import dev.deneb.tensor.CsrPattern;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.GruPointwise;
import dev.deneb.tensor.LstmPointwise;
import dev.deneb.tensor.PoolOptions;
import dev.deneb.tensor.ReduceOp;
import dev.deneb.tensor.RowNorm;
import dev.deneb.tensor.ScatterReduction;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.UnaryOp;
import java.util.Arrays;

/**
 * The fast CPU backend: Vector API kernels and both cores for the hot f32 paths (GEMM, convolution, pooling,
 * elementwise, reductions, softmax, strided copies, row selection, gather, scatter and scatterReduce). Everything
 * else — f64, integers, rarer ops — falls back to the reference implementation it extends, so both always agree on
 * what an op means. Without the Vector API module (or with {@code -Ddeneb.vector=false}) the same threads and cache
 * blocking run scalar inner loops instead ({@link VectorSupport}).
 */
public final class FastCpuBackend extends ReferenceBackend {
    public static final FastCpuBackend INSTANCE = new FastCpuBackend();

    private FastCpuBackend() {}

    @Override
    public String name() {
        return "cpu";
    }

    private static boolean f32(Tensor t) {
        return t.dtype() == DType.F32;
    }

    private static float[] floats(Tensor t) {
        return ((CpuStorage) t.storage()).floats();
    }

    private Tensor newF32(int[] shape) {
        return Tensor.empty(this, DType.F32, shape);
    }

    // ---- storage ----

    @Override
    public Object download(Tensor t) {
        if (f32(t)) {
            Tensor c = t.contiguous();
            return Arrays.copyOfRange(floats(c), c.offset(), c.offset() + c.numel());
        }
        return super.download(t);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        if (f32(src) && f32(dst)) {
            StridedCopy.copy(floats(src), src, floats(dst), dst);
        } else if (!(src.isContiguous() && dst.isContiguous()
                && Casts.copy(array(src), src.offset(), array(dst), dst.offset(), src.numel()))) {
            super.copy(src, dst);
        }
    }

    private static Object array(Tensor t) {
        return ((CpuStorage) t.storage()).array();
    }

    @Override
    public void fill(Tensor dst, double value) {
        if (f32(dst) && dst.isContiguous()) {
            Arrays.fill(floats(dst), dst.offset(), dst.offset() + dst.numel(), (float) value);
        } else {
            super.fill(dst, value);
        }
    }

    // ---- elementwise ----

    @Override
    public Tensor unary(UnaryOp op, Tensor x) {
        if (!f32(x)) {
            return super.unary(op, x);
        }
        Tensor c = x.contiguous();
        Tensor out = newF32(x.shape());
        float[] src = floats(c);
        float[] dst = floats(out);
        int off = c.offset();
        lanesAligned(c.numel(), costOf(op), (s, e) -> FloatRuns.unary(op, src, off + s, dst, s, e - s));
        return out;
    }

    /**
     * Splits [0, n) at multiples of the vector width, so every element takes the same path (vector body or scalar
     * tail) whatever the thread count, and results are bitwise the same on 1 or 2 threads.
     */
    private static void lanesAligned(int n, long costPerItem, Parallel.RangeBody body) {
        int lanes = FloatRuns.LANES;
        int blocks = Math.ceilDiv(n, lanes);
        Parallel.range(blocks, costPerItem * lanes, (b0, b1) -> body.run(b0 * lanes, Math.min(n, b1 * lanes)));
    }

    private static long costOf(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, RELU, STEP -> 1;
            default -> 8;
        };
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        if (!f32(a)) {
            return super.binary(op, a, b);
        }
        if (op.isComparison()) {
            return compare(op, a, b);
        }
        Tensor out = newF32(a.shape());
        float[] x = floats(a);
        float[] y = floats(b);
        float[] z = floats(out);
        forEachRun(a, b, (ao, as, bo, bs, zo, len) -> FloatRuns.binary(op, x, ao, as, y, bo, bs, z, zo, len));
        return out;
    }

    @Override
    public void binaryInPlace(BinaryOp op, Tensor target, Tensor other) {
        if (!f32(target) || !target.isContiguous()) {
            super.binaryInPlace(op, target, other);
            return;
        }
        // The runs and kernels of binary(), with the output at target's own offsets: the same values, bit for bit.
        float[] x = floats(target);
        float[] y = floats(other);
        int base = target.offset();
        forEachRun(target, other, (ao, as, bo, bs, zo, len) -> FloatRuns.binary(op, x, ao, as, y, bo, bs, x,
                base + zo, len));
    }

    private Tensor compare(BinaryOp op, Tensor a, Tensor b) {
        Tensor out = Tensor.empty(this, DType.BOOL, a.shape());
        boolean[] z = (boolean[]) array(out);
        float[] x = floats(a);
        float[] y = floats(b);
        forEachRun(a, b, (ao, as, bo, bs, zo, len) -> Comparisons.run(op, x, ao, as, y, bo, bs, z, zo, len));
        return out;
    }

    /** One run of an elementwise op of two operands: offsets and steps into each, and where the output goes. */
    @FunctionalInterface
    private interface RunBody {
        void run(int aOff, int aStep, int bOff, int bStep, int outOff, int len);
    }

    /**
     * Cuts an elementwise op of two same-shape operands (into a contiguous output) into runs, in parallel: one long
     * run when each operand is contiguous or a single broadcast value, else rows along the merged last axis (bias
     * rows [N, C] + [C], columns [N, C] + [N, 1], channels [N, C, H, W] + [1, C, 1, 1]).
     */
    private static void forEachRun(Tensor a, Tensor b, RunBody body) {
        int n = a.numel();
        if (n == 0) {
            return;
        }
        int aStep = runStep(a);
        int bStep = runStep(b);
        if (aStep >= 0 && bStep >= 0) {
            int ao = a.offset();
            int bo = b.offset();
            lanesAligned(n, 1, (s, e) -> body.run(ao + s * aStep, aStep, bo + s * bStep, bStep, s, e - s));
            return;
        }
        Coalesced c = Coalesced.of(a.shape(), a.strides(), b.strides());
        int len = c.rowLength();
        int[] shape = c.shape;
        int[] aStrides = c.strides[0];
        int[] bStrides = c.strides[1];
        int as = aStrides[c.rank() - 1];
        int bs = bStrides[c.rank() - 1];
        Parallel.range(n / len, len, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                body.run(StridedCopy.rowOffset(shape, aStrides, a.offset(), r), as,
                        StridedCopy.rowOffset(shape, bStrides, b.offset(), r), bs, r * len, len);
            }
        });
    }

    @Override
    public Tensor where(Tensor cond, Tensor a, Tensor b) {
        if (!f32(a) || !cond.isContiguous()) {
            return super.where(cond, a, b);
        }
        Tensor x = a.contiguous();
        Tensor y = b.contiguous();
        Tensor out = newF32(a.shape());
        boolean[] c = (boolean[]) array(cond);
        float[] xa = floats(x);
        float[] ya = floats(y);
        float[] z = floats(out);
        int co = cond.offset();
        int xo = x.offset();
        int yo = y.offset();
        Parallel.range(out.numel(), 1, (s, e) -> {
            for (int i = s; i < e; i++) {
                z[i] = c[co + i] ? xa[xo + i] : ya[yo + i];
            }
        });
        return out;
    }

    /** 1 if the tensor is contiguous, 0 if all its elements are one broadcast value, else -1. */
    private static int runStep(Tensor t) {
        if (t.isContiguous()) {
            return 1;
        }
        for (int s : t.strides()) {
            if (s != 0) {
                return -1;
            }
        }
        return 0;
    }

    // ---- reductions ----

    @Override
    public Tensor reduce(ReduceOp op, Tensor x, int[] axes, boolean keepdim) {
        if (!f32(x) || op == ReduceOp.PROD) {
            return super.reduce(op, x, axes, keepdim);
        }
        int[] outShape = Rows.reducedShape(x.shape(), axes, keepdim);
        Tensor out = newF32(outShape);
        float[] z = floats(out);
        if (x.numel() == 0) {
            Arrays.fill(z, (float) op.identity());
            return out;
        }
        int mid = Rows.rowLength(x, axes);
        // Reducing every axis is both "leading" and "trailing": the row path (blocked double sums) must win, the
        // column path accumulates in float and would lose precision over millions of rows.
        if (x.isContiguous() && leading(axes) && !trailing(axes, x.dim())) {
            reduceMiddle(op, floats(x), x.offset(), mid, z.length, z);
            return out;
        }
        int split = trailingStart(axes, x.dim());
        if (x.isContiguous() && split > 0 && split < axes.length && leading(java.util.Arrays.copyOf(axes, split))) {
            // Leading and trailing axes (a bias gradient sums [N, C, H, W] over 0, 2, 3): rows first, then columns,
            // instead of a permuted copy of the whole input.
            Tensor inner = reduce(op, x, java.util.Arrays.copyOfRange(axes, split, axes.length), false);
            return reduce(op, inner, java.util.Arrays.copyOf(axes, split), false).reshape(outShape);
        }
        if (x.isContiguous() && consecutive(axes) && !trailing(axes, x.dim()) && mid <= MIDDLE_MAX) {
            // A block of middle axes (a mean over the sequence of [B, T, C]): per outer index, a sum of rows, as for
            // leading axes, instead of a permuted copy of the whole input.
            int inner = 1;
            for (int d = axes[axes.length - 1] + 1; d < x.dim(); d++) {
                inner *= x.shape()[d];
            }
            reduceMiddle(op, floats(x), x.offset(), mid, inner, z);
            return out;
        }
        Tensor rows = x.isContiguous() && trailing(axes, x.dim()) ? x : Rows.reducedLast(x, axes).contiguous();
        float[] v = floats(rows);
        int base = rows.offset();
        int len = mid;
        Parallel.range(z.length, len, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                z[r] = op == ReduceOp.SUM ? FloatRuns.sum(v, base + r * len, len)
                        : FloatRuns.extreme(v, base + r * len, len, op == ReduceOp.MAX);
            }
        });
        return out;
    }

    /** Middle blocks longer than this keep the permuted copy and blocked row sums, for their precision. */
    private static final int MIDDLE_MAX = 4096;

    /**
     * Reduces the middle axis of a contiguous {@code [outer, mid, inner]} block into {@code z[outer*inner]} (leading
     * axes: outer = 1): each output element combines its {@code mid} inputs in order, whatever the thread count.
     */
    private static void reduceMiddle(ReduceOp op, float[] x, int off, int mid, int inner, float[] z) {
        BinaryOp combine = switch (op) {
            case SUM -> BinaryOp.ADD;
            case MAX -> BinaryOp.MAXIMUM;
            default -> BinaryOp.MINIMUM;
        };
        Parallel.range(z.length, mid, (s, e) -> {
            for (int i = s; i < e; ) {
                int o = i / inner;
                int c = i - o * inner;
                int len = Math.min(e - i, inner - c);
                int src = off + o * mid * inner + c;
                System.arraycopy(x, src, z, i, len);
                for (int r = 1; r < mid; r++) {
                    FloatRuns.accumulate(combine, z, i, x, src + r * inner, len);
                }
                i += len;
            }
        });
    }

    private static boolean consecutive(int[] axes) {
        for (int i = 1; i < axes.length; i++) {
            if (axes[i] != axes[i - 1] + 1) {
                return false;
            }
        }
        return true;
    }

    private static boolean leading(int[] axes) {
        for (int i = 0; i < axes.length; i++) {
            if (axes[i] != i) {
                return false;
            }
        }
        return true;
    }

    /** Index into {@code axes} where its run of trailing axes begins ({@code axes.length} if there is none). */
    private static int trailingStart(int[] axes, int rank) {
        int k = axes.length;
        while (k > 0 && axes[k - 1] == rank - (axes.length - k) - 1) {
            k--;
        }
        return k;
    }

    private static boolean trailing(int[] axes, int rank) {
        for (int i = 0; i < axes.length; i++) {
            if (axes[i] != rank - axes.length + i) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Tensor softmax(Tensor x, int axis, boolean log) {
        if (!f32(x)) {
            return super.softmax(x, axis, log);
        }
        int[] axes = {axis};
        boolean last = axis == x.dim() - 1 && x.isContiguous();
        Tensor rows = last ? x : Rows.reducedLast(x, axes).contiguous();
        Tensor out = newF32(rows.shape());
        int len = x.shape()[axis];
        float[] v = floats(rows);
        float[] z = floats(out);
        int base = rows.offset();
        int count = len == 0 ? 0 : x.numel() / len;
        Parallel.range(count, 4L * len, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                FloatRuns.softmaxRow(v, base + r * len, z, r * len, len, log);
            }
        });
        return last ? out : Rows.restore(out, axes).contiguous();
    }

    @Override
    public Tensor softmaxBackward(Tensor grad, Tensor y, int axis, boolean log) {
        if (!f32(grad) || !f32(y) || axis != y.dim() - 1 || !y.isContiguous() || !grad.isContiguous()) {
            return super.softmaxBackward(grad, y, axis, log);
        }
        Tensor dx = newF32(y.shape());
        int len = y.shape()[axis];
        float[] gv = floats(grad);
        float[] yv = floats(y);
        float[] dv = floats(dx);
        int count = len == 0 ? 0 : y.numel() / len;
        Parallel.range(count, 3L * len, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                SoftmaxKernels.backwardRow(gv, grad.offset() + r * len, yv, y.offset() + r * len, len, log, dv,
                        r * len);
            }
        });
        return dx;
    }

    // ---- sorting ----

    @Override
    public Tensor argsort(Tensor x, int axis, boolean descending) {
        int[] axes = {axis};
        boolean last = axis == x.dim() - 1 && x.isContiguous();
        Tensor rows = last ? x : Rows.reducedLast(x, axes).contiguous();
        int len = x.shape()[axis];
        int count = len == 0 ? 0 : x.numel() / len;
        Object a = array(rows);
        int base = rows.offset();
        long[] out = new long[x.numel()];
        long cost = (long) len * (2 + 64 - Long.numberOfLeadingZeros(len));
        Parallel.range(count, cost, (r0, r1) -> {
            SortKernels.Scratch scratch = new SortKernels.Scratch();
            for (int r = r0; r < r1; r++) {
                SortKernels.argsortRow(a, base + r * len, len, descending, out, r * len, scratch);
            }
        });
        Tensor permuted = Tensor.fromStorage(new CpuStorage(this, out), rows.shape(),
                contiguousStrides(rows.shape()), 0);
        return last ? permuted : Rows.restore(permuted, axes).contiguous();
    }

    private static int[] contiguousStrides(int[] shape) {
        int[] st = new int[shape.length];
        for (int d = shape.length - 1, acc = 1; d >= 0; d--) {
            st[d] = acc;
            acc *= Math.max(shape[d], 1);
        }
        return st;
    }

    // ---- linear algebra ----

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        if (!f32(a)) {
            return super.matmul(a, b);
        }
        int rank = a.dim();
        int m = a.shape()[rank - 2];
        int k = a.shape()[rank - 1];
        int n = b.shape()[rank - 1];
        int[] outShape = a.shape().clone();
        outShape[rank - 1] = n;
        int batch = 1;
        for (int d = 0; d < rank - 2; d++) {
            batch *= outShape[d];
        }
        Tensor out = newF32(outShape);
        float[] x = floats(a);
        float[] y = floats(b);
        float[] z = floats(out);
        int[] as = a.strides();
        int[] bs = b.strides();
        long flops = (long) m * n * k;
        // Many small products: one per thread. Large ones: Sgemm splits each product itself.
        long perItemCost = flops < SgemmSettings.PARALLEL_MIN_MNK ? flops : 1;
        Parallel.range(batch, perItemCost, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                Sgemm.gemm(m, n, k, x, a.offset() + batchOffset(a, p), as[rank - 2], as[rank - 1],
                        y, b.offset() + batchOffset(b, p), bs[rank - 2], bs[rank - 1], z, p * m * n, n, false);
            }
        });
        return out;
    }

    /** Several batch axes, any strides (zero for a broadcast one): taken as they are, see {@link #matmul}. */
    @Override
    public boolean matmulTakesBatchAxes(Tensor a, Tensor b) {
        return f32(a) && f32(b);
    }

    /** Offset of batch item {@code p} (row-major over the batch axes, all but the last two) in t's storage. */
    private static int batchOffset(Tensor t, int p) {
        int[] shape = t.shape();
        int[] strides = t.strides();
        int off = 0;
        for (int d = shape.length - 3; d >= 0 && p > 0; d--) {
            off += (p % shape[d]) * strides[d];
            p /= shape[d];
        }
        return off;
    }

    /** The product starts from the bias: C's rows are filled with b, then the GEMM adds x·wᵀ into them. */
    @Override
    public Tensor linear(Tensor x, Tensor w, Tensor b) {
        if (!f32(x) || !f32(w) || !f32(b)) {
            return super.linear(x, w, b);
        }
        int m = x.size(0);
        int k = x.size(1);
        int n = w.size(0);
        Tensor out = newF32(new int[] {m, n});
        float[] y = floats(out);
        float[] bv = floats(b);
        int bOff = b.offset();
        int bs = b.strides()[0];
        for (int i = 0; i < m; i++) {
            if (bs == 1) {
                System.arraycopy(bv, bOff, y, i * n, n);
            } else {
                for (int j = 0; j < n; j++) {
                    y[i * n + j] = bv[bOff + j * bs];
                }
            }
        }
        int[] xs = x.strides();
        int[] ws = w.strides();
        // The weight by its storage: a weight used again unchanged keeps its packed panels (inference).
        Sgemm.gemm(m, n, k, floats(x), x.offset(), xs[0], xs[1], (CpuStorage) w.storage(), w.offset(), ws[1], ws[0],
                y, 0, n, true);
        return out;
    }

    // ---- fused LSTM step ----

    @Override
    public LstmPointwise.Step lstmCell(Tensor gates, Tensor cellPrev) {
        if (!f32(gates) || !gates.isContiguous() || !cellPrev.isContiguous()) {
            return super.lstmCell(gates, cellPrev);
        }
        int b = gates.size(0);
        int hs = gates.size(1) / 4;
        Tensor act = newF32(new int[] {b, 4 * hs});
        Tensor c = newF32(new int[] {b, hs});
        Tensor tc = newF32(new int[] {b, hs});
        Tensor h = newF32(new int[] {b, hs});
        float[] g = floats(gates);
        float[] cp = floats(cellPrev);
        float[] av = floats(act);
        float[] cv = floats(c);
        float[] tv = floats(tc);
        float[] hv = floats(h);
        Parallel.range(b, 4L * hs, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                LstmKernels.forwardRow(r, hs, g, gates.offset(), cp, cellPrev.offset(), av, cv, tv, hv);
            }
        });
        return new LstmPointwise.Step(act, c, tc, h);
    }

    @Override
    public LstmPointwise.Grads lstmCellBackward(Tensor act, Tensor cellPrev, Tensor tanhCell, Tensor gradHidden,
                                                Tensor gradCell) {
        if (!f32(act) || !act.isContiguous() || !cellPrev.isContiguous() || !tanhCell.isContiguous()
                || !gradHidden.isContiguous() || !gradCell.isContiguous()) {
            return super.lstmCellBackward(act, cellPrev, tanhCell, gradHidden, gradCell);
        }
        int b = act.size(0);
        int hs = act.size(1) / 4;
        Tensor dGates = newF32(new int[] {b, 4 * hs});
        Tensor dcPrev = newF32(new int[] {b, hs});
        float[] av = floats(act);
        float[] cp = floats(cellPrev);
        float[] tv = floats(tanhCell);
        float[] dh = floats(gradHidden);
        float[] dc = floats(gradCell);
        float[] dg = floats(dGates);
        float[] dcp = floats(dcPrev);
        Parallel.range(b, 4L * hs, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                LstmKernels.backwardRow(r, hs, av, act.offset(), cp, cellPrev.offset(), tv, tanhCell.offset(),
                        dh, gradHidden.offset(), dc, gradCell.offset(), dg, dcp);
            }
        });
        return new LstmPointwise.Grads(dGates, dcPrev);
    }

    // ---- fused GRU step ----

    @Override
    public GruPointwise.Step gruCell(Tensor inputGates, Tensor hiddenGates, Tensor hiddenPrev) {
        if (!f32(inputGates) || !inputGates.isContiguous() || !hiddenGates.isContiguous()
                || !hiddenPrev.isContiguous()) {
            return super.gruCell(inputGates, hiddenGates, hiddenPrev);
        }
        int b = inputGates.size(0);
        int hs = inputGates.size(1) / 3;
        Tensor act = newF32(new int[] {b, 3 * hs});
        Tensor h = newF32(new int[] {b, hs});
        float[] gi = floats(inputGates);
        float[] gh = floats(hiddenGates);
        float[] hp = floats(hiddenPrev);
        float[] av = floats(act);
        float[] hv = floats(h);
        int giOff = inputGates.offset();
        int ghOff = hiddenGates.offset();
        int hpOff = hiddenPrev.offset();
        // Two passes, each its own parallel call (see GruKernels.gates): r and z, then n and h'.
        Parallel.range(b, 2L * hs, (r0, r1) -> GruKernels.gates(r0, r1, hs, gi, giOff, gh, ghOff, av));
        Parallel.range(b, 2L * hs, (r0, r1) -> GruKernels.newState(r0, r1, hs, gi, giOff, gh, ghOff, hp, hpOff,
                av, hv));
        return new GruPointwise.Step(act, h);
    }

    @Override
    public GruPointwise.Grads gruCellBackward(Tensor act, Tensor hiddenGates, Tensor hiddenPrev, Tensor gradHidden) {
        if (!f32(act) || !act.isContiguous() || !hiddenGates.isContiguous() || !hiddenPrev.isContiguous()
                || !gradHidden.isContiguous()) {
            return super.gruCellBackward(act, hiddenGates, hiddenPrev, gradHidden);
        }
        int b = act.size(0);
        int hs = act.size(1) / 3;
        Tensor dGi = newF32(new int[] {b, 3 * hs});
        Tensor dGh = newF32(new int[] {b, 3 * hs});
        Tensor dhPrev = newF32(new int[] {b, hs});
        float[] av = floats(act);
        float[] gh = floats(hiddenGates);
        float[] hp = floats(hiddenPrev);
        float[] dh = floats(gradHidden);
        float[] di = floats(dGi);
        float[] dg = floats(dGh);
        float[] dp = floats(dhPrev);
        int aOff = act.offset();
        int ghOff = hiddenGates.offset();
        int hpOff = hiddenPrev.offset();
        int dhOff = gradHidden.offset();
        Parallel.range(b, 3L * hs, (r0, r1) -> GruKernels.backward(r0, r1, hs, av, aOff, gh, ghOff, hp, hpOff, dh,
                dhOff, di, dg, dp));
        return new GruPointwise.Grads(dGi, dGh, dhPrev);
    }

    // ---- fused row normalisation ----

    @Override
    public RowNorm.Result normalizeRows(Tensor x, double eps) {
        if (!f32(x) || !x.isContiguous()) {
            return super.normalizeRows(x, eps);
        }
        int rows = x.size(0);
        int n = x.size(1);
        Tensor y = newF32(new int[] {rows, n});
        Tensor rstd = newF32(new int[] {rows, 1});
        float[] xv = floats(x);
        float[] yv = floats(y);
        float[] rv = floats(rstd);
        Parallel.range(rows, 4L * n, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                rv[r] = RowNormKernels.forwardRow(xv, x.offset() + r * n, n, (float) eps, yv, r * n);
            }
        });
        return new RowNorm.Result(y, rstd);
    }

    @Override
    public RowNorm.AffineResult normalizeRowsAffine(Tensor x, Tensor weight, Tensor bias, double eps) {
        if (!f32(x) || !f32(weight) || !f32(bias) || !x.isContiguous() || !weight.isContiguous()
                || !bias.isContiguous()) {
            return super.normalizeRowsAffine(x, weight, bias, eps);
        }
        int rows = x.size(0);
        int n = x.size(1);
        Tensor xh = newF32(new int[] {rows, n});
        Tensor y = newF32(new int[] {rows, n});
        Tensor rstd = newF32(new int[] {rows, 1});
        float[] xv = floats(x);
        float[] hv = floats(xh);
        float[] yv = floats(y);
        float[] rv = floats(rstd);
        float[] wv = floats(weight);
        float[] bv = floats(bias);
        Parallel.range(rows, 6L * n, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                rv[r] = RowNormKernels.forwardRow(xv, x.offset() + r * n, n, (float) eps, hv, r * n);
                RowNormKernels.scaleShiftRow(hv, r * n, n, wv, weight.offset(), bv, bias.offset(), yv, r * n);
            }
        });
        return new RowNorm.AffineResult(y, xh, rstd);
    }

    @Override
    public RowNorm.AffineGrads normalizeRowsAffineBackward(Tensor grad, Tensor normalized, Tensor rstd,
                                                           Tensor weight) {
        if (!f32(grad) || !grad.isContiguous() || !normalized.isContiguous() || !rstd.isContiguous()
                || !weight.isContiguous()) {
            return super.normalizeRowsAffineBackward(grad, normalized, rstd, weight);
        }
        int rows = grad.size(0);
        int n = grad.size(1);
        Tensor dx = newF32(new int[] {rows, n});
        Tensor dw = newF32(new int[] {n});
        Tensor db = newF32(new int[] {n});
        float[] gv = floats(grad);
        float[] hv = floats(normalized);
        float[] rv = floats(rstd);
        float[] wv = floats(weight);
        float[] dxv = floats(dx);
        int gOff = grad.offset();
        int hOff = normalized.offset();
        Parallel.range(rows, 4L * n, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                RowNormKernels.affineBackwardRow(gv, gOff + r * n, hv, hOff + r * n, n, rv[rstd.offset() + r], wv,
                        weight.offset(), dxv, r * n);
            }
        });
        // Columns split among threads, each summed over all rows in order: the bits of the composed sums.
        float[] dwv = floats(dw);
        float[] dbv = floats(db);
        if (rows > 0) {
            Parallel.range(n, 2L * rows, (c0, c1) -> RowNormKernels.columnSums(gv, gOff, hv, hOff, rows, n, c0, c1,
                    dwv, dbv));
        }
        return new RowNorm.AffineGrads(dx, dw, db);
    }

    @Override
    public Tensor normalizeRowsBackward(Tensor grad, Tensor normalized, Tensor rstd) {
        if (!f32(grad) || !grad.isContiguous() || !normalized.isContiguous() || !rstd.isContiguous()) {
            return super.normalizeRowsBackward(grad, normalized, rstd);
        }
        int rows = grad.size(0);
        int n = grad.size(1);
        Tensor dx = newF32(new int[] {rows, n});
        float[] gv = floats(grad);
        float[] xv = floats(normalized);
        float[] rv = floats(rstd);
        float[] dv = floats(dx);
        Parallel.range(rows, 3L * n, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                RowNormKernels.backwardRow(gv, grad.offset() + r * n, xv, normalized.offset() + r * n, n,
                        rv[rstd.offset() + r], dv, r * n);
            }
        });
        return dx;
    }

    // ---- sparse product ----

    @Override
    public Tensor sparseMatmul(CsrPattern pattern, Tensor values, Tensor dense) {
        if (!f32(dense) || !f32(values) || values.backend() != this || dense.backend() != this) {
            return super.sparseMatmul(pattern, values, dense);
        }
        Tensor d = dense.contiguous();
        Tensor v = values.contiguous();
        int n = d.size(1);
        Tensor out = newF32(new int[] {pattern.rows(), n});
        SparseKernels.csrTimesDense(pattern.rows(), n, (long[]) array(pattern.rowPointers()),
                (long[]) array(pattern.columns()), floats(v), v.offset(), floats(d), d.offset(), floats(out));
        return out;
    }

    // ---- indexing ----

    @Override
    public Tensor indexSelect(Tensor x, int axis, Tensor index) {
        if (axis != 0 || !x.isContiguous()) {
            return super.indexSelect(x, axis, index);
        }
        // Row gathers (embeddings, mini-batches, their labels), of any dtype: one array copy per picked row, reading
        // only the rows picked.
        long[] idx = (long[]) download(index.to(DType.I64));
        int[] shape = x.shape();
        int row = x.numel() / Math.max(1, shape[0]);
        shape[0] = idx.length;
        Tensor out = Tensor.empty(this, x.dtype(), shape);
        Object src = array(x);
        Object dst = array(out);
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(src, x.offset() + (int) idx[i] * row, dst, i * row, row);
        }
        return out;
    }

    @Override
    public Tensor gather(Tensor x, int axis, Tensor index) {
        if (!f32(x) || !IndexKernels.handles(x, index)) {
            return super.gather(x, axis, index);
        }
        Tensor out = newF32(index.shape());
        IndexKernels.gather(x, floats(x), axis, index, out, floats(out));
        return out;
    }

    @Override
    public Tensor scatter(Tensor x, int axis, Tensor index, Tensor src, boolean accumulate) {
        if (!f32(x) || !f32(src) || !IndexKernels.handles(x, index)) {
            return super.scatter(x, axis, index, src, accumulate);
        }
        Tensor out = copyOf(x);
        IndexKernels.scatter(out, floats(out), axis, index, src, floats(src), accumulate);
        return out;
    }

    @Override
    public Tensor scatterReduce(Tensor x, int axis, Tensor index, Tensor src, ScatterReduction reduction,
                                boolean includeSelf) {
        if (!f32(x) || !f32(src) || !IndexKernels.handles(x, index)) {
            return super.scatterReduce(x, axis, index, src, reduction, includeSelf);
        }
        Tensor out = copyOf(x);
        IndexKernels.scatterReduce(out, floats(out), axis, index, src, floats(src), reduction, includeSelf);
        return out;
    }

    /** A new contiguous f32 tensor with x's values. */
    private Tensor copyOf(Tensor x) {
        Tensor out = newF32(x.shape());
        StridedCopy.copy(floats(x), x, floats(out), out);
        return out;
    }

    // ---- convolution and pooling ----

    @Override
    public Tensor conv2d(Tensor input, Tensor weight, ConvOptions o) {
        if (!f32(input)) {
            return super.conv2d(input, weight, o);
        }
        float[] y = ConvFast.conv2d(floats(input), input.offset(), input.shape(), floats(weight), weight.offset(),
                weight.shape(), o);
        return wrap(y, ConvShapes.conv2dOut(input.shape(), weight.shape(), o));
    }

    @Override
    public Tensor conv2dInputGrad(Tensor gradOut, Tensor weight, int[] inputShape, ConvOptions o) {
        if (!f32(gradOut)) {
            return super.conv2dInputGrad(gradOut, weight, inputShape, o);
        }
        float[] g = ConvFast.conv2dInputGrad(floats(gradOut), gradOut.offset(), gradOut.shape(), floats(weight),
                weight.offset(), weight.shape(), inputShape, o);
        return wrap(g, inputShape);
    }

    @Override
    public Tensor conv2dWeightGrad(Tensor input, Tensor gradOut, int[] weightShape, ConvOptions o) {
        if (!f32(input)) {
            return super.conv2dWeightGrad(input, gradOut, weightShape, o);
        }
        float[] g = ConvFast.conv2dWeightGrad(floats(input), input.offset(), input.shape(), floats(gradOut),
                gradOut.offset(), gradOut.shape(), weightShape, o);
        return wrap(g, weightShape);
    }

    @Override
    public Tensor[] maxPool2d(Tensor input, PoolOptions o) {
        if (!f32(input)) {
            return super.maxPool2d(input, o);
        }
        int[] outShape = ConvShapes.pool2dOut(input.shape(), o);
        long[] idx = new long[prod(outShape, 0, 4)];
        float[] y = PoolFast.maxPool2d(floats(input), input.offset(), input.shape(), o, idx);
        return new Tensor[] {wrap(y, outShape), Tensor.fromStorage(new CpuStorage(this, idx), outShape, contiguous(outShape), 0)};
    }

    @Override
    public Tensor maxPool2dValues(Tensor input, PoolOptions o) {
        if (!f32(input)) {
            return super.maxPool2dValues(input, o);
        }
        return wrap(PoolFast.maxPool2dValues(floats(input), input.offset(), input.shape(), o),
                ConvShapes.pool2dOut(input.shape(), o));
    }

    @Override
    public Tensor maxPool2dBackward(Tensor gradOut, Tensor indices, int[] inputShape, PoolOptions o) {
        if (!f32(gradOut)) {
            return super.maxPool2dBackward(gradOut, indices, inputShape, o);
        }
        Tensor idx = indices.contiguous();
        float[] g = PoolFast.maxPool2dBackward(floats(gradOut), gradOut.offset(),
                (long[]) ((CpuStorage) idx.storage()).array(), idx.offset(), gradOut.shape(), inputShape);
        return wrap(g, inputShape);
    }

    @Override
    public Tensor avgPool2d(Tensor input, PoolOptions o) {
        if (!f32(input)) {
            return super.avgPool2d(input, o);
        }
        float[] y = PoolFast.avgPool2d(floats(input), input.offset(), input.shape(), o);
        return wrap(y, ConvShapes.pool2dOut(input.shape(), o));
    }

    @Override
    public Tensor avgPool2dBackward(Tensor gradOut, int[] inputShape, PoolOptions o) {
        if (!f32(gradOut)) {
            return super.avgPool2dBackward(gradOut, inputShape, o);
        }
        float[] g = PoolFast.avgPool2dBackward(floats(gradOut), gradOut.offset(), gradOut.shape(), inputShape, o);
        return wrap(g, inputShape);
    }

    /** A tensor over an array the kernel just made (no copy). */
    private Tensor wrap(float[] data, int[] shape) {
        return Tensor.fromStorage(new CpuStorage(this, data), shape, contiguous(shape), 0);
    }

    private static int[] contiguous(int[] shape) {
        int[] s = new int[shape.length];
        for (int d = shape.length - 1, acc = 1; d >= 0; d--) {
            s[d] = acc;
            acc *= Math.max(1, shape[d]);
        }
        return s;
    }
}
