package dev.deneb.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The caching allocator, the cleaner and CudaScope, on a {@link HostGpu}. */
class DeviceMemoryTest {
    final HostGpu gpu = new HostGpu();
    final CudaBackend be = new CudaBackend(gpu, null);
    final DeviceAllocator alloc = gpu.allocator();

    @Test
    void sizesRoundToClasses() {
        assertEquals(512, DeviceAllocator.rounded(1));
        assertEquals(1024, DeviceAllocator.rounded(513));
        assertEquals(2 << 20, DeviceAllocator.rounded((1 << 20) + 1));
        assertEquals(4 << 20, DeviceAllocator.rounded((2 << 20) + 1));
    }

    @Test
    void freedBlocksAreReusedWithoutAskingTheDevice() {
        for (int step = 0; step < 100; step++) {
            try (CudaScope scope = CudaScope.open()) {
                Tensor a = Tensor.empty(be, DType.F32, 64, 64);
                Tensor b = a.add(a);
                assertEquals(2, scope.pending());
                assertEquals(DType.F32, b.dtype());
            }
        }
        assertEquals(2, alloc.deviceCalls(), "two live blocks per step, reused every step");
        assertEquals(0, alloc.inUseBytes());
        assertEquals(2 * DeviceAllocator.rounded(64 * 64 * 4), alloc.cachedBytes());
        alloc.releaseCached();
        assertEquals(0, gpu.liveBlocks());
    }

    @Test
    void keptTensorsSurviveTheirScopeAndFreedOnesFailClearly() {
        Tensor kept;
        Tensor lost;
        try (CudaScope outer = CudaScope.open()) {
            try (CudaScope inner = CudaScope.open()) {
                kept = inner.keep(Tensor.empty(be, DType.F32, 3));
                lost = Tensor.empty(be, DType.F32, 3);
            }
            assertFalse(((CudaStorage) kept.storage()).isFreed());
            assertTrue(((CudaStorage) lost.storage()).isFreed());
            IllegalStateException e = assertThrows(IllegalStateException.class, lost::toFloatArray);
            assertTrue(e.getMessage().contains("CudaScope"), e.getMessage());
            assertEquals(1, outer.pending(), "the kept storage moved to the enclosing scope");
        }
        assertTrue(((CudaStorage) kept.storage()).isFreed());
    }

    @Test
    void unreachableStoragesAreReturnedByTheCleaner() throws InterruptedException {
        long bytes = DeviceAllocator.rounded(1000 * 4);
        for (int i = 0; i < 10; i++) {
            Tensor.empty(be, DType.F32, 1000);
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (alloc.inUseBytes() > 0 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(0, alloc.inUseBytes(), "every block back in the cache");
        assertTrue(alloc.cachedBytes() >= bytes);
    }

    @Test
    void aFullDeviceReleasesTheCacheAndRetries() {
        long block = DeviceAllocator.rounded(1 << 20);
        try (CudaScope s = CudaScope.open()) {
            Tensor.empty(be, DType.I32, 1 << 18);        // 1 MiB, rounded to 2 MiB
            assertEquals(1, s.pending());
        }
        assertEquals(block, alloc.cachedBytes());
        gpu.failAllocationsAbove = block + 1000;       // room for one block of this size, not two
        try (CudaScope s = CudaScope.open()) {
            Tensor.empty(be, DType.I32, 1 << 19);        // needs a new, larger block: the cached one must go first
            assertEquals(1, s.pending());
        }
        assertEquals(1, gpu.liveBlocks());
    }
}
