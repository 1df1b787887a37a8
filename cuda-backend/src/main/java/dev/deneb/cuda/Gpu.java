package dev.deneb.cuda;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * What {@link CudaBackend} needs from a GPU, in one narrow interface: memory, copies, kernel launches and GEMM.
 * {@link CudaContext} implements it with the driver and cuBLAS; tests implement it in host memory to run every op's
 * host-side logic, and check every launch's arguments against the shipped PTX, on machines without a GPU.
 */
interface Gpu {
    DeviceAllocator allocator();

    void copyHostToDevice(long dst, MemorySegment src, long bytes);

    /** Waits for queued work, then copies. */
    void copyDeviceToHost(MemorySegment dst, long src, long bytes);

    void copyDeviceToDevice(long dst, long src, long bytes);

    void memsetD8(long dst, byte value, long count);

    /** Queues kernel {@code name} with {@code args} (in the C parameter order). */
    void launch(String name, int blocks, int threads, List<Launch.Arg> args);

    /** Column-major strided-batched GEMM, as {@link dev.deneb.cuda.ffm.Cublas#gemm}. */
    void gemm(boolean f64, int transA, int transB, int m, int n, int k, double alpha, long a, int lda, long strideA,
              long b, int ldb, long strideB, double beta, long c, int ldc, long strideC, int batch);

    /** Waits until all queued work is done. */
    void synchronize();

    /** A one-line description of the device, for messages. */
    String describe();
}
