package dev.deneb.tensor.cpu;

import dev.deneb.tensor.Backend;
import dev.deneb.tensor.BinaryOp;
import dev.deneb.tensor.ConvOptions;
import dev.deneb.tensor.CsrPattern;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.PoolOptions;
import dev.deneb.tensor.ReduceOp;
import dev.deneb.tensor.ScatterReduction;
import dev.deneb.tensor.Storage;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.UnaryOp;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The plain scalar CPU backend: the reference every other backend is tested against. Each op reads its inputs into
 * row-major arrays (doubles for floating types, longs otherwise), loops over them in the most obvious way, and
 * writes a new tensor. Floating-point work is done in double precision and rounded once to the result type.
 */
public class ReferenceBackend implements Backend {
    public static final ReferenceBackend INSTANCE = new ReferenceBackend();

    protected ReferenceBackend() {}

    @Override
    public String name() {
        return "cpu-reference";
    }

    // ---- storage ----

    @Override
    public Storage allocate(DType dtype, int size) {
        return new CpuStorage(this, dtype, size);
    }

    @Override
    public Storage upload(Object javaArray) {
        CpuStorage.dtypeOf(javaArray);
        return new CpuStorage(this, cloneArray(javaArray));
    }

    @Override
    public Object download(Tensor t) {
        Tensor out = Tensor.empty(this, t.dtype(), t.shape());
        copy(t, out);
        return ((CpuStorage) out.storage()).array();
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        if (src.dtype().isFloating()) {
            Elements.writeDoubles(dst, Elements.readDoubles(src));
        } else {
            Elements.writeLongs(dst, Elements.readLongs(src));
        }
    }

    @Override
    public void fill(Tensor dst, double value) {
        double[] v = new double[dst.numel()];
        java.util.Arrays.fill(v, value);
        Elements.writeDoubles(dst, v);
    }

    // ---- elementwise ----

    @Override
    public Tensor unary(UnaryOp op, Tensor x) {
        if (x.dtype().isFloating()) {
            double[] v = Elements.readDoubles(x);
            for (int i = 0; i < v.length; i++) {
                v[i] = op.apply(v[i]);
            }
            return Elements.newDoubles(this, x.dtype(), x.shape(), v);
        }
        long[] v = Elements.readLongs(x);
        for (int i = 0; i < v.length; i++) {
            v[i] = op.applyLong(v[i]);
        }
        return Elements.newLongs(this, x.dtype(), x.shape(), v);
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        DType out = op.resultType(a.dtype());
        if (a.dtype().isFloating()) {
            double[] x = Elements.readDoubles(a);
            double[] y = Elements.readDoubles(b);
            for (int i = 0; i < x.length; i++) {
                x[i] = op.apply(x[i], y[i]);
            }
            return Elements.newDoubles(this, out, a.shape(), x);
        }
        long[] x = Elements.readLongs(a);
        long[] y = Elements.readLongs(b);
        for (int i = 0; i < x.length; i++) {
            x[i] = op.applyLong(x[i], y[i]);
        }
        return Elements.newLongs(this, out, a.shape(), x);
    }

    @Override
    public Tensor where(Tensor cond, Tensor a, Tensor b) {
        long[] c = Elements.readLongs(cond);
        if (a.dtype().isFloating()) {
            double[] x = Elements.readDoubles(a);
            double[] y = Elements.readDoubles(b);
            for (int i = 0; i < x.length; i++) {
                x[i] = c[i] != 0 ? x[i] : y[i];
            }
            return Elements.newDoubles(this, a.dtype(), a.shape(), x);
        }
        long[] x = Elements.readLongs(a);
        long[] y = Elements.readLongs(b);
        for (int i = 0; i < x.length; i++) {
            x[i] = c[i] != 0 ? x[i] : y[i];
        }
        return Elements.newLongs(this, a.dtype(), a.shape(), x);
    }

    // ---- reductions ----

    @Override
    public Tensor reduce(ReduceOp op, Tensor x, int[] axes, boolean keepdim) {
        Tensor rows = Rows.reducedLast(x, axes);
        int len = Rows.rowLength(x, axes);
        int count = outCount(x, axes);
        int[] outShape = Rows.reducedShape(x.shape(), axes, keepdim);
        DType outType = op.resultType(x.dtype());
        if (x.dtype().isFloating()) {
            double[] v = Elements.readDoubles(rows);
            double[] out = new double[count];
            for (int r = 0; r < count; r++) {
                double acc = op.identity();
                for (int i = 0; i < len; i++) {
                    acc = op.combine(acc, v[r * len + i]);
                }
                out[r] = acc;
            }
            return Elements.newDoubles(this, outType, outShape, out);
        }
        long[] v = Elements.readLongs(rows);
        long[] out = new long[count];
        for (int r = 0; r < count; r++) {
            long acc = op.identityLong();
            for (int i = 0; i < len; i++) {
                acc = op.combineLong(acc, v[r * len + i]);
            }
            out[r] = acc;
        }
        return Elements.newLongs(this, outType, outShape, out);
    }

    private static int outCount(Tensor x, int[] axes) {
        int n = 1;
        for (int d : Rows.reducedShape(x.shape(), axes, false)) {
            n *= d;
        }
        return n;
    }

    @Override
    public Tensor[] argReduce(ReduceOp op, Tensor x, int axis, boolean keepdim) {
        int[] axes = {axis};
        Tensor rows = Rows.reducedLast(x, axes);
        int len = x.shape()[axis];
        int count = outCount(x, axes);
        int[] outShape = Rows.reducedShape(x.shape(), axes, keepdim);
        long[] idx = new long[count];
        boolean max = op == ReduceOp.MAX;
        if (x.dtype().isFloating()) {
            double[] v = Elements.readDoubles(rows);
            double[] out = new double[count];
            for (int r = 0; r < count; r++) {
                int best = 0;
                for (int i = 1; i < len; i++) {
                    if (better(v[r * len + i], v[r * len + best], max)) {
                        best = i;
                    }
                }
                out[r] = v[r * len + best];
                idx[r] = best;
            }
            return new Tensor[] {Elements.newDoubles(this, x.dtype(), outShape, out),
                    Elements.newLongs(this, DType.I64, outShape, idx)};
        }
        long[] v = Elements.readLongs(rows);
        long[] out = new long[count];
        for (int r = 0; r < count; r++) {
            int best = 0;
            for (int i = 1; i < len; i++) {
                long c = v[r * len + i];
                long b = v[r * len + best];
                if (max ? c > b : c < b) {
                    best = i;
                }
            }
            out[r] = v[r * len + best];
            idx[r] = best;
        }
        return new Tensor[] {Elements.newLongs(this, x.dtype(), outShape, out),
                Elements.newLongs(this, DType.I64, outShape, idx)};
    }

    /** Strictly better candidate; the first NaN wins over any number, as in PyTorch. */
    static boolean better(double candidate, double best, boolean max) {
        if (Double.isNaN(best)) {
            return false;
        }
        if (Double.isNaN(candidate)) {
            return true;
        }
        return max ? candidate > best : candidate < best;
    }

    @Override
    public Tensor softmax(Tensor x, int axis, boolean log) {
        int[] axes = {axis};
        Tensor rows = Rows.reducedLast(x, axes);
        int len = x.shape()[axis];
        double[] v = Elements.readDoubles(rows);
        for (int r = 0; len > 0 && r < v.length / len; r++) {
            int base = r * len;
            double m = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < len; i++) {
                m = Math.max(m, v[base + i]);
            }
            double sum = 0;
            for (int i = 0; i < len; i++) {
                sum += Math.exp(v[base + i] - m);
            }
            double logSum = Math.log(sum);
            for (int i = 0; i < len; i++) {
                v[base + i] = log ? v[base + i] - m - logSum : Math.exp(v[base + i] - m) / sum;
            }
        }
        Tensor permuted = Elements.newDoubles(this, x.dtype(), rows.shape(), v);
        return Rows.restore(permuted, axes).copy();
    }

    // ---- sorting and scans ----

    @Override
    public Tensor argsort(Tensor x, int axis, boolean descending) {
        int[] axes = {axis};
        Tensor rows = Rows.reducedLast(x, axes);
        int len = x.shape()[axis];
        int count = len == 0 ? 0 : x.numel() / len;
        Object v = Elements.readExact(rows);
        long[] out = new long[x.numel()];
        Integer[] order = new Integer[len];
        for (int r = 0; r < count; r++) {
            int base = r * len;
            Comparator<Integer> byValue = v instanceof double[] d
                    ? (i, j) -> compareNanLast(d[base + i], d[base + j])
                    : (i, j) -> Long.compare(((long[]) v)[base + i], ((long[]) v)[base + j]);
            for (int i = 0; i < len; i++) {
                order[i] = i;
            }
            // Arrays.sort of objects is a stable merge sort; the reversed comparator keeps ties in order too.
            Arrays.sort(order, descending ? byValue.reversed() : byValue);
            for (int i = 0; i < len; i++) {
                out[base + i] = order[i];
            }
        }
        Tensor permuted = Elements.newLongs(this, DType.I64, rows.shape(), out);
        return Rows.restore(permuted, axes).copy();
    }

    /** Ascending order with NaN above everything (all NaNs equal) and -0.0 equal to 0.0, as PyTorch sorts. */
    static int compareNanLast(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Boolean.compare(Double.isNaN(a), Double.isNaN(b));
        }
        return a < b ? -1 : a > b ? 1 : 0;
    }

    @Override
    public Tensor cumulative(ReduceOp op, Tensor x, int axis) {
        int[] axes = {axis};
        Tensor rows = Rows.reducedLast(x, axes);
        int len = x.shape()[axis];
        int count = len == 0 ? 0 : x.numel() / len;
        Object v = Elements.readExact(rows);
        for (int r = 0; r < count; r++) {
            if (v instanceof double[] d) {
                double acc = op.identity();
                for (int i = r * len; i < (r + 1) * len; i++) {
                    acc = op.combine(acc, d[i]);
                    d[i] = acc;
                }
            } else {
                long[] l = (long[]) v;
                long acc = op.identityLong();
                for (int i = r * len; i < (r + 1) * len; i++) {
                    acc = op.combineLong(acc, l[i]);
                    l[i] = acc;
                }
            }
        }
        Tensor permuted = Elements.newExact(this, op.resultType(x.dtype()), rows.shape(), v);
        return Rows.restore(permuted, axes).copy();
    }

    // ---- linear algebra ----

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        int batch = a.shape()[0];
        int m = a.shape()[1];
        int k = a.shape()[2];
        int n = b.shape()[2];
        double[] x = Elements.readDoubles(a);
        double[] y = Elements.readDoubles(b);
        double[] out = new double[batch * m * n];
        for (int p = 0; p < batch; p++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int q = 0; q < k; q++) {
                        s += x[(p * m + i) * k + q] * y[(p * k + q) * n + j];
                    }
                    out[(p * m + i) * n + j] = s;
                }
            }
        }
        return Elements.newDoubles(this, a.dtype(), new int[] {batch, m, n}, out);
    }

    // ---- decompositions and solvers (LinalgKernels: EJML in f64, one matrix at a time) ----

    @Override
    public Tensor[] inverse(Tensor a) {
        int[] s = a.shape();
        long[] info = new long[s[0]];
        double[] x = LinalgKernels.inverse(Elements.readDoubles(a), s[0], s[1], info);
        return new Tensor[] {Elements.newDoubles(this, a.dtype(), s, x), info(info)};
    }

    @Override
    public Tensor[] solve(Tensor a, Tensor b) {
        int[] s = b.shape();
        long[] info = new long[s[0]];
        double[] x = LinalgKernels.solve(Elements.readDoubles(a), Elements.readDoubles(b), s[0], s[1], s[2], info);
        return new Tensor[] {Elements.newDoubles(this, b.dtype(), s, x), info(info)};
    }

    @Override
    public Tensor[] slogdet(Tensor a) {
        int[] s = a.shape();
        double[] sign = new double[s[0]];
        double[] logAbs = new double[s[0]];
        LinalgKernels.slogdet(Elements.readDoubles(a), s[0], s[1], sign, logAbs);
        int[] batch = {s[0]};
        return new Tensor[] {Elements.newDoubles(this, a.dtype(), batch, sign),
                Elements.newDoubles(this, a.dtype(), batch, logAbs)};
    }

    @Override
    public Tensor[] cholesky(Tensor a) {
        int[] s = a.shape();
        long[] info = new long[s[0]];
        double[] l = LinalgKernels.cholesky(Elements.readDoubles(a), s[0], s[1], info);
        return new Tensor[] {Elements.newDoubles(this, a.dtype(), s, l), info(info)};
    }

    @Override
    public Tensor[] qr(Tensor a) {
        int[] s = a.shape();
        int k = Math.min(s[1], s[2]);
        double[] q = new double[s[0] * s[1] * k];
        double[] r = new double[s[0] * k * s[2]];
        LinalgKernels.qr(Elements.readDoubles(a), s[0], s[1], s[2], q, r);
        return new Tensor[] {Elements.newDoubles(this, a.dtype(), new int[] {s[0], s[1], k}, q),
                Elements.newDoubles(this, a.dtype(), new int[] {s[0], k, s[2]}, r)};
    }

    @Override
    public Tensor[] svd(Tensor a) {
        int[] s = a.shape();
        int k = Math.min(s[1], s[2]);
        double[] u = new double[s[0] * s[1] * k];
        double[] sv = new double[s[0] * k];
        double[] vh = new double[s[0] * k * s[2]];
        long[] info = new long[s[0]];
        LinalgKernels.svd(Elements.readDoubles(a), s[0], s[1], s[2], u, sv, vh, info);
        return new Tensor[] {Elements.newDoubles(this, a.dtype(), new int[] {s[0], s[1], k}, u),
                Elements.newDoubles(this, a.dtype(), new int[] {s[0], k}, sv),
                Elements.newDoubles(this, a.dtype(), new int[] {s[0], k, s[2]}, vh), info(info)};
    }

    @Override
    public Tensor[] eigh(Tensor a) {
        int[] s = a.shape();
        double[] values = new double[s[0] * s[1]];
        double[] vectors = new double[s[0] * s[1] * s[1]];
        long[] info = new long[s[0]];
        LinalgKernels.eigh(Elements.readDoubles(a), s[0], s[1], values, vectors, info);
        return new Tensor[] {Elements.newDoubles(this, a.dtype(), new int[] {s[0], s[1]}, values),
                Elements.newDoubles(this, a.dtype(), s, vectors), info(info)};
    }

    private Tensor info(long[] info) {
        return Elements.newLongs(this, DType.I32, new int[] {info.length}, info);
    }

    // ---- sparse product ----

    /** Each output element summed in f64 over its row's entries, rounded once. */
    @Override
    public Tensor sparseMatmul(CsrPattern pattern, Tensor values, Tensor dense) {
        long[] ptr = Elements.readLongs(pattern.rowPointers());
        long[] col = Elements.readLongs(pattern.columns());
        double[] v = Elements.readDoubles(values);
        double[] d = Elements.readDoubles(dense);
        int n = dense.size(1);
        double[] out = new double[pattern.rows() * n];
        for (int r = 0; r < pattern.rows(); r++) {
            for (int k = (int) ptr[r]; k < ptr[r + 1]; k++) {
                for (int j = 0; j < n; j++) {
                    out[r * n + j] += v[k] * d[(int) col[k] * n + j];
                }
            }
        }
        return Elements.newDoubles(this, dense.dtype(), new int[] {pattern.rows(), n}, out);
    }

    // ---- indexing ----

    /** One pass over the index's elements (each element of an expanded view once). */
    @Override
    public long[] indexRange(Tensor index) {
        return IndexKernels.range(index);
    }

    @Override
    public Tensor indexSelect(Tensor x, int axis, Tensor index) {
        int[] shape = x.shape();
        long[] idx = Elements.readLongs(index);
        int outer = prod(shape, 0, axis);
        int inner = prod(shape, axis + 1, shape.length);
        int[] outShape = shape.clone();
        outShape[axis] = idx.length;
        int[] from = new int[outer * idx.length * inner];
        for (int o = 0, p = 0; o < outer; o++) {
            for (long i : idx) {
                for (int r = 0; r < inner; r++) {
                    from[p++] = (int) ((o * (long) shape[axis] + i) * inner + r);
                }
            }
        }
        return take(x, from, outShape);
    }

    @Override
    public Tensor gather(Tensor x, int axis, Tensor index) {
        int[] from = scatterTargets(x.shape(), axis, index);
        return take(x, from, index.shape());
    }

    @Override
    public Tensor scatter(Tensor x, int axis, Tensor index, Tensor src, boolean accumulate) {
        int[] to = scatterTargets(x.shape(), axis, index);
        Object values = Elements.readExact(x);
        Object s = Elements.readExact(src);
        for (int i = 0; i < to.length; i++) {
            if (values instanceof double[] v) {
                double si = ((double[]) s)[i];
                v[to[i]] = accumulate ? v[to[i]] + si : si;
            } else {
                long[] v = (long[]) values;
                long si = ((long[]) s)[i];
                v[to[i]] = accumulate ? v[to[i]] + si : si;
            }
        }
        return Elements.newExact(this, x.dtype(), x.shape(), values);
    }

    @Override
    public Tensor scatterReduce(Tensor x, int axis, Tensor index, Tensor src, ScatterReduction reduction,
                                boolean includeSelf) {
        int[] to = scatterTargets(x.shape(), axis, index);
        Object values = Elements.readExact(x);
        Object s = Elements.readExact(src);
        // How many values each position combines: its own (when included) and those scattered onto it.
        int[] count = new int[x.numel()];
        if (includeSelf) {
            Arrays.fill(count, 1);
        }
        if (values instanceof double[] v) {
            double[] sv = (double[]) s;
            for (int i = 0; i < to.length; i++) {
                int t = to[i];
                v[t] = count[t]++ == 0 ? sv[i] : switch (reduction) {
                    case SUM, MEAN -> v[t] + sv[i];
                    case AMAX -> Math.max(v[t], sv[i]);
                    case AMIN -> Math.min(v[t], sv[i]);
                };
            }
            for (int t = 0; t < v.length && reduction == ScatterReduction.MEAN; t++) {
                v[t] = count[t] > 1 ? v[t] / count[t] : v[t];
            }
        } else {
            long[] v = (long[]) values;
            long[] sv = (long[]) s;
            for (int i = 0; i < to.length; i++) {
                int t = to[i];
                v[t] = count[t]++ == 0 ? sv[i] : switch (reduction) {
                    case SUM, MEAN -> v[t] + sv[i];
                    case AMAX -> Math.max(v[t], sv[i]);
                    case AMIN -> Math.min(v[t], sv[i]);
                };
            }
            for (int t = 0; t < v.length && reduction == ScatterReduction.MEAN; t++) {
                v[t] = count[t] > 1 ? Math.floorDiv(v[t], count[t]) : v[t];
            }
        }
        return Elements.newExact(this, x.dtype(), x.shape(), values);
    }

    /** For each element of {@code index} (row-major), the row-major position in x that it points at. */
    private static int[] scatterTargets(int[] xShape, int axis, Tensor index) {
        int[] ishape = index.shape();
        long[] idx = Elements.readLongs(index);
        int[] xStrides = new int[xShape.length];
        for (int d = xShape.length - 1, acc = 1; d >= 0; d--) {
            xStrides[d] = acc;
            acc *= xShape[d];
        }
        int[] out = new int[idx.length];
        int[] coord = new int[ishape.length];
        for (int i = 0; i < idx.length; i++) {
            int pos = 0;
            for (int d = 0; d < ishape.length && d < xShape.length; d++) {
                pos += (d == axis ? (int) idx[i] : coord[d]) * xStrides[d];
            }
            if (xShape.length == 0) {
                pos = 0;
            }
            out[i] = pos;
            for (int d = ishape.length - 1; d >= 0; d--) {
                if (++coord[d] < ishape[d]) {
                    break;
                }
                coord[d] = 0;
            }
        }
        return out;
    }

    /** A new tensor of {@code shape} whose i-th element is x's element at row-major position {@code from[i]}. */
    private Tensor take(Tensor x, int[] from, int[] shape) {
        Object v = Elements.readExact(x);
        if (v instanceof double[] d) {
            double[] out = new double[from.length];
            for (int i = 0; i < from.length; i++) {
                out[i] = d[from[i]];
            }
            return Elements.newDoubles(this, x.dtype(), shape, out);
        }
        long[] l = (long[]) v;
        long[] out = new long[from.length];
        for (int i = 0; i < from.length; i++) {
            out[i] = l[from[i]];
        }
        return Elements.newLongs(this, x.dtype(), shape, out);
    }

    // ---- convolution and pooling ----

    @Override
    public Tensor conv2d(Tensor input, Tensor weight, ConvOptions o) {
        double[] y = ConvReference.conv2d(Elements.readDoubles(input), input.shape(), Elements.readDoubles(weight),
                weight.shape(), o);
        return Elements.newDoubles(this, input.dtype(), ConvShapes.conv2dOut(input.shape(), weight.shape(), o), y);
    }

    @Override
    public Tensor conv2dInputGrad(Tensor gradOut, Tensor weight, int[] inputShape, ConvOptions o) {
        double[] g = ConvReference.conv2dInputGrad(Elements.readDoubles(gradOut), gradOut.shape(),
                Elements.readDoubles(weight), weight.shape(), inputShape, o);
        return Elements.newDoubles(this, gradOut.dtype(), inputShape, g);
    }

    @Override
    public Tensor conv2dWeightGrad(Tensor input, Tensor gradOut, int[] weightShape, ConvOptions o) {
        double[] g = ConvReference.conv2dWeightGrad(Elements.readDoubles(input), input.shape(),
                Elements.readDoubles(gradOut), gradOut.shape(), weightShape, o);
        return Elements.newDoubles(this, input.dtype(), weightShape, g);
    }

    @Override
    public Tensor[] maxPool2d(Tensor input, PoolOptions o) {
        int[] outShape = ConvShapes.pool2dOut(input.shape(), o);
        long[] idx = new long[prod(outShape, 0, 4)];
        double[] y = PoolReference.maxPool2d(Elements.readDoubles(input), input.shape(), o, idx);
        return new Tensor[] {Elements.newDoubles(this, input.dtype(), outShape, y),
                Elements.newLongs(this, DType.I64, outShape, idx)};
    }

    @Override
    public Tensor maxPool2dBackward(Tensor gradOut, Tensor indices, int[] inputShape, PoolOptions o) {
        double[] g = PoolReference.maxPool2dBackward(Elements.readDoubles(gradOut), Elements.readLongs(indices),
                gradOut.shape(), inputShape);
        return Elements.newDoubles(this, gradOut.dtype(), inputShape, g);
    }

    @Override
    public Tensor avgPool2d(Tensor input, PoolOptions o) {
        double[] y = PoolReference.avgPool2d(Elements.readDoubles(input), input.shape(), o);
        return Elements.newDoubles(this, input.dtype(), ConvShapes.pool2dOut(input.shape(), o), y);
    }

    @Override
    public Tensor avgPool2dBackward(Tensor gradOut, int[] inputShape, PoolOptions o) {
        double[] g = PoolReference.avgPool2dBackward(Elements.readDoubles(gradOut), gradOut.shape(), inputShape, o);
        return Elements.newDoubles(this, gradOut.dtype(), inputShape, g);
    }

    // ---- helpers ----

    static int prod(int[] shape, int from, int to) {
        int p = 1;
        for (int d = from; d < to; d++) {
            p *= shape[d];
        }
        return p;
    }

    private static Object cloneArray(Object a) {
        return switch (a) {
            case float[] f -> f.clone();
            case double[] d -> d.clone();
            case int[] i -> i.clone();
            case long[] l -> l.clone();
            case boolean[] b -> b.clone();
            default -> throw new IllegalArgumentException("upload: unsupported array " + a.getClass());
        };
    }
}
