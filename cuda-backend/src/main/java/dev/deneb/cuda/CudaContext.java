package dev.deneb.cuda;

import dev.deneb.cuda.ffm.Cublas;
import dev.deneb.cuda.ffm.CublasApi;
import dev.deneb.cuda.ffm.CudaException;
import dev.deneb.cuda.ffm.Driver;
import dev.deneb.cuda.ffm.DriverApi;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * Everything one GPU needs, created once: the driver and cuBLAS bindings, the device's primary context, one stream
 * (every kernel, copy and GEMM goes on it, in order), a cuBLAS handle on that stream, the caching allocator and the
 * kernel modules. The context is made current on each thread the first time that thread uses the backend.
 */
final class CudaContext implements Gpu {
    /** The GPU to use, by ordinal (default 0). */
    static final String DEVICE_PROPERTY = "deneb.cuda.device";
    /** {@code true} lets cuBLAS use TF32 tensor cores for f32 GEMM (faster, about 10 mantissa bits). */
    static final String TF32_PROPERTY = "deneb.cuda.tf32";

    final Driver driver;
    final Cublas cublas;
    final int device;
    final String deviceName;
    final int computeMajor;
    final int computeMinor;
    final int driverVersion;
    final int ptxArchitecture;
    final MemorySegment context;
    final MemorySegment stream;
    final MemorySegment cublasHandle;
    final DeviceAllocator allocator;
    final Kernels kernels;
    private final ThreadLocal<Boolean> current = ThreadLocal.withInitial(() -> false);

    private CudaContext(Driver driver, Cublas cublas, int ordinal) {
        this.driver = driver;
        this.cublas = cublas;
        driver.init();
        driverVersion = driver.driverVersion();
        int count = driver.deviceCount();
        if (count == 0) {
            throw new IllegalStateException("the NVIDIA driver sees no GPU");
        }
        if (ordinal < 0 || ordinal >= count) {
            throw new IllegalStateException("-D" + DEVICE_PROPERTY + "=" + ordinal + " but there are " + count
                    + " GPU(s)");
        }
        device = driver.device(ordinal);
        deviceName = driver.deviceName(device);
        computeMajor = driver.attribute(DriverApi.ATTR_COMPUTE_CAPABILITY_MAJOR, device);
        computeMinor = driver.attribute(DriverApi.ATTR_COMPUTE_CAPABILITY_MINOR, device);
        ptxArchitecture = PtxImage.architectureFor(computeMajor, computeMinor);
        if (ptxArchitecture < 0) {
            throw new IllegalStateException(deviceName + " has compute capability " + computeMajor + "."
                    + computeMinor + "; Deneb's kernels need 7.5 or newer");
        }
        if (PtxImage.isaFor(driverVersion) == null) {
            throw new IllegalStateException("the NVIDIA driver supports CUDA " + driverVersion / 1000 + "."
                    + (driverVersion % 1000) / 10 + "; Deneb needs CUDA 12.0 or newer");
        }
        context = driver.primaryContextRetain(device);
        driver.setCurrent(context);
        current.set(true);
        stream = driver.streamCreate(0);
        cublasHandle = cublas.create();
        cublas.setStream(cublasHandle, stream);
        cublas.setMathMode(cublasHandle, Boolean.getBoolean(TF32_PROPERTY) ? CublasApi.TF32_TENSOR_OP_MATH
                : CublasApi.DEFAULT_MATH);
        allocator = new DeviceAllocator(new DriverMemory());
        kernels = new Kernels(this);
    }

    /** Binds the libraries and opens the GPU named by {@value #DEVICE_PROPERTY}. */
    static CudaContext open() {
        Driver driver = Driver.load();
        Cublas cublas = Cublas.load();
        return new CudaContext(driver, cublas, Integer.getInteger(DEVICE_PROPERTY, 0));
    }

    /** Makes the context current on the calling thread (once per thread). */
    void makeCurrent() {
        if (!current.get()) {
            driver.setCurrent(context);
            current.set(true);
        }
    }

    // ---- Gpu ----

    @Override
    public DeviceAllocator allocator() {
        return allocator;
    }

    @Override
    public void copyHostToDevice(long dst, MemorySegment src, long bytes) {
        makeCurrent();
        driver.copyHostToDevice(dst, src, bytes);
    }

    @Override
    public void copyDeviceToHost(MemorySegment dst, long src, long bytes) {
        makeCurrent();
        driver.copyDeviceToHost(dst, src, bytes);
    }

    @Override
    public void copyDeviceToDevice(long dst, long src, long bytes) {
        makeCurrent();
        driver.copyDeviceToDevice(dst, src, bytes);
    }

    @Override
    public void memsetD8(long dst, byte value, long count) {
        makeCurrent();
        driver.memsetD8(dst, value, count);
    }

    @Override
    public void launch(String name, int blocks, int threads, List<Launch.Arg> args) {
        makeCurrent();
        MemorySegment function = kernels.function(name);
        PtxSignatures.check(name, kernels.parameterSizes(name), args);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pointers = a.allocate(ValueLayout.ADDRESS, args.size());
            for (int i = 0; i < args.size(); i++) {
                Launch.Arg arg = args.get(i);
                MemorySegment value = a.allocate(arg.size(), arg.align());
                arg.writer().accept(value, 0L);
                pointers.setAtIndex(ValueLayout.ADDRESS, i, value);
            }
            driver.launchKernel(function, blocks, 1, 1, threads, 1, 1, 0, stream, pointers);
        }
    }

    @Override
    public void gemm(boolean f64, int transA, int transB, int m, int n, int k, double alpha, long a, int lda,
                     long strideA, long b, int ldb, long strideB, double beta, long c, int ldc, long strideC,
                     int batch) {
        makeCurrent();
        cublas.gemm(cublasHandle, f64, transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc,
                strideC, batch);
    }

    @Override
    public void synchronize() {
        makeCurrent();
        driver.streamSynchronize(stream);
    }

    /** GPU time of the work {@code work} queues, measured with CUDA events on the stream. */
    float timeMillis(Runnable work) {
        makeCurrent();
        MemorySegment start = driver.eventCreate(0);
        MemorySegment end = driver.eventCreate(0);
        try {
            driver.eventRecord(start, stream);
            work.run();
            driver.eventRecord(end, stream);
            driver.eventSynchronize(end);
            return driver.eventElapsedMillis(start, end);
        } finally {
            driver.eventDestroy(start);
            driver.eventDestroy(end);
        }
    }

    @Override
    public String describe() {
        return deviceName + " (compute capability " + computeMajor + "." + computeMinor + ", driver CUDA "
                + driverVersion / 1000 + "." + (driverVersion % 1000) / 10 + ", PTX compute_" + ptxArchitecture + ")";
    }

    /** cuMemAlloc/cuMemFree for the allocator. */
    private final class DriverMemory implements DeviceMemory {
        @Override
        public long allocate(long bytes) {
            makeCurrent();
            try {
                return driver.memAlloc(bytes);
            } catch (CudaException e) {
                if (e.code() == Driver.ERROR_OUT_OF_MEMORY) {
                    throw new OutOfDeviceMemory("out of GPU memory allocating " + bytes + " bytes on " + deviceName, e);
                }
                throw e;
            }
        }

        @Override
        public void free(long pointer) {
            makeCurrent();
            driver.memFree(pointer);
        }

        @Override
        public void synchronize() {
            CudaContext.this.synchronize();
        }
    }
}
