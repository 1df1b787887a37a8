package dev.deneb.cuda;

import dev.deneb.cuda.ffm.CublasApi;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link Gpu} in host memory, for testing the backend's host side without a GPU. "Device" blocks are native
 * segments; copies and memsets really happen; GEMM is computed in Java with cuBLAS's column-major semantics (so the
 * row-major mapping can be checked numerically); kernels are not run, but every launch is checked against the
 * shipped PTX (argument sizes), its grid, and every pointer argument must lie inside a live block.
 */
final class HostGpu implements Gpu {
    record Recorded(String name, int blocks, int threads, List<Launch.Arg> args) {}

    private final Arena arena = Arena.ofShared();
    private final TreeMap<Long, MemorySegment> blocks = new TreeMap<>();
    private final DeviceAllocator allocator;
    private final Map<String, List<Integer>> signatures = new HashMap<>();
    final List<Recorded> launches = new ArrayList<>();
    int gemms;
    long failAllocationsAbove = Long.MAX_VALUE;

    HostGpu() {
        for (String module : KernelCatalog.MODULES) {
            signatures.putAll(PtxSignatures.parse(PtxImage.load(module, KernelCatalog.ARCHITECTURES.getFirst())));
        }
        allocator = new DeviceAllocator(new DeviceMemory() {
            @Override
            public long allocate(long bytes) {
                if (liveBytes() + bytes > failAllocationsAbove) {
                    throw new OutOfDeviceMemory("host test GPU full", null);
                }
                MemorySegment s = arena.allocate(bytes, 256);
                blocks.put(s.address(), s);
                return s.address();
            }

            @Override
            public void free(long pointer) {
                if (blocks.remove(pointer) == null) {
                    throw new AssertionError("free of unknown block " + pointer);
                }
            }

            @Override
            public void synchronize() {}
        });
    }

    long liveBytes() {
        return blocks.values().stream().mapToLong(MemorySegment::byteSize).sum();
    }

    int liveBlocks() {
        return blocks.size();
    }

    /** The segment of {@code bytes} starting at device address {@code p}, which must lie in one block. */
    MemorySegment at(long p, long bytes) {
        var e = blocks.floorEntry(p);
        if (e == null || p - e.getKey() + bytes > e.getValue().byteSize()) {
            throw new AssertionError("device range " + Long.toHexString(p) + " + " + bytes
                    + " is outside every allocated block");
        }
        return e.getValue().asSlice(p - e.getKey(), bytes);
    }

    @Override
    public DeviceAllocator allocator() {
        return allocator;
    }

    @Override
    public void copyHostToDevice(long dst, MemorySegment src, long bytes) {
        MemorySegment.copy(src, 0, at(dst, bytes), 0, bytes);
    }

    @Override
    public void copyDeviceToHost(MemorySegment dst, long src, long bytes) {
        MemorySegment.copy(at(src, bytes), 0, dst, 0, bytes);
    }

    @Override
    public void copyDeviceToDevice(long dst, long src, long bytes) {
        MemorySegment.copy(at(src, bytes), 0, at(dst, bytes), 0, bytes);
    }

    @Override
    public void memsetD8(long dst, byte value, long count) {
        at(dst, count).fill(value);
    }

    @Override
    public void launch(String name, int blocks, int threads, List<Launch.Arg> args) {
        List<Integer> expected = signatures.get(name);
        if (expected == null) {
            throw new AssertionError("no kernel " + name + " in the shipped PTX");
        }
        PtxSignatures.check(name, expected, args);
        if (blocks < 1 || threads < 1 || threads > 1024) {
            throw new AssertionError(name + " launched with " + blocks + " blocks of " + threads + " threads");
        }
        for (Launch.Arg a : args) {
            if (a.devicePointer() != null && a.devicePointer() != 0) {
                at(a.devicePointer(), 1);
            }
        }
        launches.add(new Recorded(name, blocks, threads, args));
    }

    /** cuBLAS gemm semantics (column-major, op(A) m×k, op(B) k×n, C m×n), computed in double. */
    @Override
    public void gemm(boolean f64, int transA, int transB, int m, int n, int k, double alpha, long a, int lda,
                     long strideA, long b, int ldb, long strideB, double beta, long c, int ldc, long strideC,
                     int batch) {
        gemms++;
        int rowsA = transA == CublasApi.OP_N ? m : k;
        int rowsB = transB == CublasApi.OP_N ? k : n;
        if (lda < Math.max(1, rowsA) || ldb < Math.max(1, rowsB) || ldc < Math.max(1, m)) {
            throw new AssertionError("cuBLAS would reject lda " + lda + " ldb " + ldb + " ldc " + ldc + " for m " + m
                    + " n " + n + " k " + k);
        }
        long es = f64 ? 8 : 4;
        for (int p = 0; p < batch; p++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int q = 0; q < k; q++) {
                        long ai = transA == CublasApi.OP_N ? i + (long) q * lda : q + (long) i * lda;
                        long bi = transB == CublasApi.OP_N ? q + (long) j * ldb : j + (long) q * ldb;
                        s += read(a + (p * strideA + ai) * es, f64) * read(b + (p * strideB + bi) * es, f64);
                    }
                    long ci = c + (p * strideC + i + (long) j * ldc) * es;
                    double old = beta == 0 ? 0 : read(ci, f64);
                    write(ci, alpha * s + beta * old, f64);
                }
            }
        }
    }

    private double read(long p, boolean f64) {
        return f64 ? at(p, 8).get(ValueLayout.JAVA_DOUBLE, 0) : at(p, 4).get(ValueLayout.JAVA_FLOAT, 0);
    }

    private void write(long p, double v, boolean f64) {
        if (f64) {
            at(p, 8).set(ValueLayout.JAVA_DOUBLE, 0, v);
        } else {
            at(p, 4).set(ValueLayout.JAVA_FLOAT, 0, (float) v);
        }
    }

    @Override
    public void synchronize() {}

    @Override
    public String describe() {
        return "host test GPU";
    }
}
