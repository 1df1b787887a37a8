package dev.deneb.cuda;

import dev.deneb.tensor.Backend;
import dev.deneb.tensor.BinaryOp;
import dev.deneb.tensor.ConvOptions;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.PoolOptions;
import dev.deneb.tensor.ReduceOp;
import dev.deneb.tensor.ScatterReduction;
import dev.deneb.tensor.Storage;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.UnaryOp;
import dev.deneb.tensor.cpu.ReferenceBackend;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * tensor-core's {@link Backend} on an NVIDIA GPU. Matrix products run in cuBLAS; everything else runs in Deneb's own
 * kernels ({@code src/main/cuda}, shipped as PTX), which follow the CPU reference: floating-point work in double
 * precision rounded once, integer work in 64-bit two's complement, Java's rules for NaN, signed zeros and
 * conversions. Convolution is im2col + cuBLAS GEMM; pooling has direct kernels.
 *
 * <p>Get it with {@link #get()} (or from {@link java.util.ServiceLoader}; every instance shares one GPU context and
 * its tensors report {@link #get()}'s instance as their backend). Nothing native is touched until the first call
 * that needs the GPU; {@link #available()} says whether one can be used and {@link #unavailableReason()} why not.
 * GPU memory is cached and reused ({@link CudaScope} frees it eagerly). All work is queued on one stream;
 * {@link #download} waits for it.
 */
public final class CudaBackend implements Backend {
    private static final CudaBackend INSTANCE = new CudaBackend(null, null);

    private final Gpu fixedGpu;
    private final Backend owner;

    /** For {@link java.util.ServiceLoader}; prefer {@link #get()}. Touches nothing native. */
    public CudaBackend() {
        this(null, null);
    }

    /** A backend on a given {@link Gpu} (tests use a host-memory one). */
    CudaBackend(Gpu gpu, Backend owner) {
        this.fixedGpu = gpu;
        this.owner = owner;
    }

    // =========================================================================================================
    // Availability
    // =========================================================================================================

    /** The shared context, opened on first use. */
    private static final class Shared {
        static final Probe PROBE = Probe.run();
    }

    private record Probe(CudaContext context, String reason) {
        static Probe run() {
            try {
                return new Probe(CudaContext.open(), null);
            } catch (Throwable t) {
                String why = t.getMessage() == null ? t.toString() : t.getMessage();
                return new Probe(null, why);
            }
        }
    }

    /** True when a GPU, its driver, cuBLAS and Deneb's kernels can be used. Opens the GPU on the first call. */
    public static boolean available() {
        return Shared.PROBE.context != null;
    }

    /** Why {@link #available()} is false (null when it is true), e.g. "libcuda.so.1 not found in …". */
    public static String unavailableReason() {
        return Shared.PROBE.reason;
    }

    /**
     * The CUDA backend.
     *
     * @throws IllegalStateException "CUDA backend unavailable: …" when there is no usable GPU
     */
    public static CudaBackend get() {
        if (!available()) {
            throw unavailable();
        }
        return INSTANCE;
    }

    private static IllegalStateException unavailable() {
        return new IllegalStateException("CUDA backend unavailable: " + unavailableReason());
    }

    /** The GPU in use, e.g. "NVIDIA H100 80GB HBM3 (compute capability 9.0, driver CUDA 13.0, PTX compute_90)". */
    public static String deviceDescription() {
        return get().gpu().describe();
    }

    /** Waits until every queued kernel and copy has finished (for timing). */
    public void synchronize() {
        gpu().synchronize();
    }

    /**
     * Milliseconds the GPU spent on the work {@code work} queues (CUDA events around it on the stream); waits for
     * it to finish.
     */
    public float timeMillis(Runnable work) {
        if (gpu() instanceof CudaContext c) {
            return c.timeMillis(work);
        }
        long t0 = System.nanoTime();
        work.run();
        synchronize();
        return (System.nanoTime() - t0) / 1e6f;
    }

    /** Gives the cached, unused GPU memory back to the driver. */
    public void releaseCachedMemory() {
        gpu().allocator().releaseCached();
    }

    /** Bytes held by live tensors and bytes cached for reuse: {@code {inUse, cached}}. */
    public long[] memoryUse() {
        DeviceAllocator a = gpu().allocator();
        return new long[] {a.inUseBytes(), a.cachedBytes()};
    }

    Gpu gpu() {
        if (fixedGpu != null) {
            return fixedGpu;
        }
        if (!available()) {
            throw unavailable();
        }
        return Shared.PROBE.context;
    }

    private Backend owner() {
        return fixedGpu != null ? (owner != null ? owner : this) : INSTANCE;
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public String toString() {
        return "CudaBackend";
    }

    // =========================================================================================================
    // Helpers
    // =========================================================================================================

    CudaStorage newStorage(DType dtype, int size) {
        return new CudaStorage(owner(), gpu().allocator(), dtype, size);
    }

    /** A new contiguous tensor whose elements are not initialised. */
    Tensor newTensor(DType dtype, int... shape) {
        return Tensor.fromStorage(newStorage(dtype, numel(shape)), shape, contiguousStrides(shape), 0);
    }

    static CudaStorage storage(Tensor t) {
        Storage s = t.storage();
        if (s instanceof CudaStorage cs) {
            return cs;
        }
        throw new IllegalArgumentException("cuda: expected a tensor on the CUDA backend, got one on "
                + t.backend().name() + "; move it with to(CudaBackend.get())");
    }

    /** Device address of storage element 0 (kernels add the view's offset). */
    static long base(Tensor t) {
        return storage(t).pointer();
    }

    /** Device address of the tensor's first element. */
    static long first(Tensor t) {
        return storage(t).pointer(t.offset());
    }

    Launch launch(String kernel) {
        return new Launch(gpu(), kernel);
    }

    static int numel(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    static int[] contiguousStrides(int[] shape) {
        int[] s = new int[shape.length];
        for (int d = shape.length - 1, acc = 1; d >= 0; d--) {
            s[d] = acc;
            acc *= Math.max(shape[d], 1);
        }
        return s;
    }

    static KernelView view(Tensor t) {
        return KernelView.of(t.shape(), KernelView.layout(t.offset(), t.strides()))[0];
    }

    // =========================================================================================================
    // Storage
    // =========================================================================================================

    @Override
    public Storage allocate(DType dtype, int size) {
        CudaStorage s = newStorage(dtype, size);
        if (s.bytes() > 0) {
            gpu().memsetD8(s.pointer(), (byte) 0, s.bytes());
        }
        return s;
    }

    @Override
    public Storage upload(Object javaArray) {
        DType dtype = HostTransfer.dtypeOf(javaArray);
        int n = HostTransfer.length(javaArray);
        CudaStorage s = newStorage(dtype, n);
        if (n > 0) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment staging = a.allocate(s.bytes(), 8);
                HostTransfer.write(javaArray, staging);
                gpu().copyHostToDevice(s.pointer(), staging, s.bytes());
            }
        }
        return s;
    }

    @Override
    public Object download(Tensor t) {
        int n = t.numel();
        Tensor c = t.isContiguous() ? t : t.copy();
        long bytes = (long) n * t.dtype().bytes();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment staging = a.allocate(Math.max(bytes, 1), 8);
            if (n > 0) {
                gpu().copyDeviceToHost(staging, first(c), bytes);
            }
            return HostTransfer.read(t.dtype(), staging, n);
        }
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        int n = dst.numel();
        if (n == 0) {
            return;
        }
        if (src.storage() == dst.storage()) {
            src = src.copy();                     // the reference reads everything before writing
        }
        if (src.dtype() == dst.dtype() && src.isContiguous() && dst.isContiguous()) {
            gpu().copyDeviceToDevice(first(dst), first(src), (long) n * dst.dtype().bytes());
            return;
        }
        KernelView[] v = KernelView.of(dst.shape(), KernelView.layout(src.offset(), src.strides()),
                KernelView.layout(dst.offset(), dst.strides()));
        launch("deneb_copy_" + DTypes.suffix(src.dtype()) + "_" + DTypes.suffix(dst.dtype()))
                .view(v[0]).ptr(base(src)).view(v[1]).ptr(base(dst)).i64(n).runElements(n);
    }

    @Override
    public void fill(Tensor dst, double value) {
        int n = dst.numel();
        launch("deneb_fill_" + DTypes.suffix(dst.dtype())).view(view(dst)).ptr(base(dst)).f64(value).i64(n)
                .runElements(n);
    }

    // =========================================================================================================
    // Elementwise
    // =========================================================================================================

    @Override
    public Tensor unary(UnaryOp op, Tensor x) {
        if (x.dtype() == DType.BOOL) {
            x = x.to(DType.I64);
        }
        Tensor out = newTensor(x.dtype(), x.shape());
        int n = x.numel();
        launch("deneb_unary_" + DTypes.suffix(x.dtype())).i32(OpCodes.unary(op)).view(view(x)).ptr(base(x))
                .ptr(base(out)).i64(n).runElements(n);
        return out;
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        if (a.dtype() == DType.BOOL) {
            Tensor r = binary(op, a.to(DType.I64), b.to(DType.I64));
            return op.isComparison() ? r : r.to(DType.BOOL);
        }
        if (op == BinaryOp.POW && !a.dtype().isFloating()) {
            checkIntegerExponents(b);
        }
        int n = a.numel();
        Tensor out = newTensor(op.resultType(a.dtype()), a.shape());
        KernelView[] v = KernelView.of(a.shape(), KernelView.layout(a.offset(), a.strides()),
                KernelView.layout(b.offset(), b.strides()));
        String t = DTypes.suffix(a.dtype());
        Launch l = launch(OpCodes.kernel(op) + t).i32(OpCodes.binary(op));
        l.view(v[0]).ptr(base(a)).view(v[1]).ptr(base(b)).ptr(base(out)).i64(n).runElements(n);
        return out;
    }

    /** The reference's error for a negative integer exponent, naming the first one in row-major order. */
    private void checkIntegerExponents(Tensor b) {
        Object e = download(b);
        int n = java.lang.reflect.Array.getLength(e);
        for (int i = 0; i < n; i++) {
            long v = e instanceof int[] ints ? ints[i] : ((long[]) e)[i];
            if (v < 0) {
                throw new IllegalArgumentException("pow: integers to negative integer powers are not allowed"
                        + " (exponent " + v + ")");
            }
        }
    }

    @Override
    public Tensor where(Tensor cond, Tensor a, Tensor b) {
        int n = a.numel();
        Tensor out = newTensor(a.dtype(), a.shape());
        KernelView[] v = KernelView.of(a.shape(), KernelView.layout(cond.offset(), cond.strides()),
                KernelView.layout(a.offset(), a.strides()), KernelView.layout(b.offset(), b.strides()));
        launch("deneb_where_" + DTypes.sizeSuffix(a.dtype())).view(v[0]).ptr(base(cond)).view(v[1]).ptr(base(a))
                .view(v[2]).ptr(base(b)).ptr(base(out)).i64(n).runElements(n);
        return out;
    }

    // =========================================================================================================
    // Reductions
    // =========================================================================================================

    @Override
    public Tensor reduce(ReduceOp op, Tensor x, int[] axes, boolean keepdim) {
        if (x.dtype() == DType.BOOL) {
            Tensor r = reduce(op, x.to(DType.I64), axes, keepdim);
            return op.resultType(DType.BOOL) == DType.BOOL ? r.to(DType.BOOL) : r;
        }
        Rows rows = Rows.of(x, axes, keepdim);
        DType outType = op.resultType(x.dtype());
        Tensor out = newTensor(outType, rows.outShape());
        String kernel = switch (x.dtype()) {
            case I32 -> outType == DType.I64 ? "deneb_reduce_i32_i64" : "deneb_reduce_i32";
            default -> "deneb_reduce_" + DTypes.suffix(x.dtype());
        };
        launch(kernel).i32(OpCodes.reduce(op)).view(view(rows.permuted())).ptr(base(x)).ptr(base(out))
                .i64(rows.count()).i32(rows.length()).runRows(rows.count(), rows.length());
        return out;
    }

    @Override
    public Tensor[] argReduce(ReduceOp op, Tensor x, int axis, boolean keepdim) {
        Rows rows = Rows.of(x, new int[] {axis}, keepdim);
        Tensor values = newTensor(x.dtype(), rows.outShape());
        Tensor indices = newTensor(DType.I64, rows.outShape());
        launch("deneb_argreduce_" + DTypes.suffix(x.dtype())).i32(op == ReduceOp.MAX ? 1 : 0)
                .view(view(rows.permuted())).ptr(base(x)).ptr(base(values)).ptr(base(indices))
                .i64(rows.count()).i32(rows.length()).runRows(rows.count(), rows.length());
        return new Tensor[] {values, indices};
    }

    @Override
    public Tensor softmax(Tensor x, int axis, boolean log) {
        Rows rows = Rows.of(x, new int[] {axis}, true);
        Tensor permuted = rows.permuted();
        Tensor out = newTensor(x.dtype(), permuted.shape());
        if (rows.length() > 0) {
            launch("deneb_softmax_" + DTypes.suffix(x.dtype())).view(view(permuted)).ptr(base(x)).ptr(base(out))
                    .i64(rows.count()).i32(rows.length()).i32(log ? 1 : 0).runRows(rows.count(), rows.length());
        }
        return axis == x.dim() - 1 ? out : rows.restore(out).copy();
    }

    @Override
    public Tensor argsort(Tensor x, int axis, boolean descending) {
        return HostFallback.run1(this, new Tensor[] {x},
                h -> ReferenceBackend.INSTANCE.argsort(h[0], axis, descending));
    }

    @Override
    public Tensor cumulative(ReduceOp op, Tensor x, int axis) {
        return HostFallback.run1(this, new Tensor[] {x}, h -> ReferenceBackend.INSTANCE.cumulative(op, h[0], axis));
    }

    // =========================================================================================================
    // Linear algebra
    // =========================================================================================================

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        return Gemm.matmul(this, a, b);
    }

    // ---- decompositions and solvers: no GPU kernels yet, they run on the CPU reference (HostFallback) ----

    @Override
    public Tensor[] inverse(Tensor a) {
        return HostFallback.run(this, new Tensor[] {a}, h -> ReferenceBackend.INSTANCE.inverse(h[0]));
    }

    @Override
    public Tensor[] solve(Tensor a, Tensor b) {
        return HostFallback.run(this, new Tensor[] {a, b}, h -> ReferenceBackend.INSTANCE.solve(h[0], h[1]));
    }

    @Override
    public Tensor[] slogdet(Tensor a) {
        return HostFallback.run(this, new Tensor[] {a}, h -> ReferenceBackend.INSTANCE.slogdet(h[0]));
    }

    @Override
    public Tensor[] cholesky(Tensor a) {
        return HostFallback.run(this, new Tensor[] {a}, h -> ReferenceBackend.INSTANCE.cholesky(h[0]));
    }

    @Override
    public Tensor[] qr(Tensor a) {
        return HostFallback.run(this, new Tensor[] {a}, h -> ReferenceBackend.INSTANCE.qr(h[0]));
    }

    @Override
    public Tensor[] svd(Tensor a) {
        return HostFallback.run(this, new Tensor[] {a}, h -> ReferenceBackend.INSTANCE.svd(h[0]));
    }

    @Override
    public Tensor[] eigh(Tensor a) {
        return HostFallback.run(this, new Tensor[] {a}, h -> ReferenceBackend.INSTANCE.eigh(h[0]));
    }

    // =========================================================================================================
    // Indexing
    // =========================================================================================================

    @Override
    public Tensor indexSelect(Tensor x, int axis, Tensor index) {
        int[] outShape = x.shape();
        outShape[axis] = index.numel();
        // The 1-D index seen with the output's shape: stride 0 on every axis but `axis`.
        int[] idxStrides = new int[outShape.length];
        idxStrides[axis] = index.strides()[0];
        KernelView idx = KernelView.exact(outShape, idxStrides, index.offset());
        return Indexing.gather(this, x, axis, idx, index, outShape);
    }

    @Override
    public Tensor gather(Tensor x, int axis, Tensor index) {
        if (x.dim() == 0) {
            return gather(x.reshape(1), 0, index.reshape(-1)).reshape(index.shape());
        }
        KernelView idx = KernelView.exact(index.shape(), index.strides(), index.offset());
        return Indexing.gather(this, x, axis, idx, index, index.shape());
    }

    @Override
    public Tensor scatter(Tensor x, int axis, Tensor index, Tensor src, boolean accumulate) {
        if (x.dim() == 0) {
            return scatter(x.reshape(1), 0, index.reshape(-1), src.reshape(-1), accumulate).reshape();
        }
        return Indexing.scatter(this, x, axis, index, src, accumulate);
    }

    @Override
    public Tensor scatterReduce(Tensor x, int axis, Tensor index, Tensor src, ScatterReduction reduction,
                                boolean includeSelf) {
        return HostFallback.run1(this, new Tensor[] {x, index, src},
                h -> ReferenceBackend.INSTANCE.scatterReduce(h[0], axis, h[1], h[2], reduction, includeSelf));
    }

    // =========================================================================================================
    // Convolution and pooling
    // =========================================================================================================

    @Override
    public Tensor conv2d(Tensor input, Tensor weight, ConvOptions o) {
        return Convolution.forward(this, input.contiguous(), weight.contiguous(), o);
    }

    @Override
    public Tensor conv2dInputGrad(Tensor gradOut, Tensor weight, int[] inputShape, ConvOptions o) {
        return Convolution.inputGrad(this, gradOut.contiguous(), weight.contiguous(), inputShape, o);
    }

    @Override
    public Tensor conv2dWeightGrad(Tensor input, Tensor gradOut, int[] weightShape, ConvOptions o) {
        return Convolution.weightGrad(this, input.contiguous(), gradOut.contiguous(), weightShape, o);
    }

    @Override
    public Tensor[] maxPool2d(Tensor input, PoolOptions o) {
        return Pooling.maxForward(this, input.contiguous(), o);
    }

    @Override
    public Tensor maxPool2dBackward(Tensor gradOut, Tensor indices, int[] inputShape, PoolOptions o) {
        return Pooling.maxBackward(this, gradOut.contiguous(), indices.contiguous(), inputShape, o);
    }

    @Override
    public Tensor avgPool2d(Tensor input, PoolOptions o) {
        return Pooling.avgForward(this, input.contiguous(), o);
    }

    @Override
    public Tensor avgPool2dBackward(Tensor gradOut, int[] inputShape, PoolOptions o) {
        return Pooling.avgBackward(this, gradOut.contiguous(), inputShape, o);
    }

    // =========================================================================================================
    // Fused optimizer update (not part of Backend)
    // =========================================================================================================

    /**
     * One Adam/AdamW step in place on contiguous f32 tensors of this backend, in the form of
     * {@code dev.deneb.optim.AdamUpdate}: {@code g' = g + l2·p; m = b1·m + (1-b1)·g'; v = b2·v + (1-b2)·g'²;
     * vmax = max(vmax, v); p = p·decay - stepSize·m / (sqrt(vmax or v)/bc2Sqrt + eps)}. {@code vmax} may be null
     * (no AMSGrad).
     */
    public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, Tensor vmax, float b1, float b2, float eps,
                         float l2, float decay, float stepSize, float bc2Sqrt) {
        for (Tensor t : new Tensor[] {param, grad, m, v, vmax}) {
            if (t != null && (t.dtype() != DType.F32 || !t.isContiguous() || !Arrays.equals(t.shape(), param.shape()))) {
                throw new IllegalArgumentException("adamStep: expected contiguous f32 tensors of shape "
                        + Arrays.toString(param.shape()) + ", got " + t.dtype() + Arrays.toString(t.shape()));
            }
        }
        int n = param.numel();
        launch("deneb_adam_f32").ptr(first(param)).ptr(first(grad)).ptr(first(m)).ptr(first(v))
                .ptr(vmax == null ? 0 : first(vmax)).i64(n).f32(b1).f32(b2).f32(eps).f32(l2).f32(decay)
                .f32(stepSize).f32(bc2Sqrt).runElements(n);
        param.storage().bumpVersion();
        m.storage().bumpVersion();
        v.storage().bumpVersion();
        if (vmax != null) {
            vmax.storage().bumpVersion();
        }
    }
}
