package dev.deneb.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A caching allocator: freed blocks are kept, keyed by their rounded size, and handed out again instead of calling
 * {@code cuMemAlloc}/{@code cuMemFree} (both slow, and cuMemFree synchronizes the device). Sizes are rounded up to
 * 512 bytes below 1 MiB and to 2 MiB above, so a training loop that allocates the same shapes every step reuses the
 * same blocks. When the device is full, the cache is released and the allocation retried once.
 *
 * <p>Reuse is safe without synchronizing because every kernel, copy and GEMM of a context runs on one stream: work
 * that reads a block before it is freed is queued before work that writes its next owner.
 *
 * <p>Thread-safe: storages are released from any thread (by {@link java.lang.ref.Cleaner} or a {@link CudaScope}).
 */
final class DeviceAllocator {
    static final long SMALL = 1 << 20;
    static final long SMALL_ROUND = 512;
    static final long LARGE_ROUND = 2 << 20;

    private final DeviceMemory memory;
    private final Map<Long, ArrayDeque<Long>> cached = new HashMap<>();
    private long cachedBytes;
    private long inUseBytes;
    private long deviceCalls;

    DeviceAllocator(DeviceMemory memory) {
        this.memory = memory;
    }

    static long rounded(long bytes) {
        long round = bytes < SMALL ? SMALL_ROUND : LARGE_ROUND;
        return Math.max(round, (bytes + round - 1) / round * round);
    }

    /** A block of at least {@code bytes} (its real size is {@link #rounded}). */
    synchronized long allocate(long bytes) {
        long size = rounded(bytes);
        ArrayDeque<Long> free = cached.get(size);
        if (free != null && !free.isEmpty()) {
            cachedBytes -= size;
            inUseBytes += size;
            return free.pop();
        }
        long p;
        try {
            deviceCalls++;
            p = memory.allocate(size);
        } catch (DeviceMemory.OutOfDeviceMemory full) {
            releaseCached();
            deviceCalls++;
            p = memory.allocate(size);
        }
        inUseBytes += size;
        return p;
    }

    /** Returns a block (of the size it was allocated with) to the cache. */
    synchronized void release(long pointer, long bytes) {
        long size = rounded(bytes);
        cached.computeIfAbsent(size, k -> new ArrayDeque<>()).push(pointer);
        cachedBytes += size;
        inUseBytes -= size;
    }

    /** Gives every cached block back to the device. */
    synchronized void releaseCached() {
        if (cachedBytes == 0) {
            return;
        }
        memory.synchronize();
        for (ArrayDeque<Long> q : cached.values()) {
            for (long p : q) {
                memory.free(p);
            }
        }
        cached.clear();
        cachedBytes = 0;
    }

    synchronized long cachedBytes() {
        return cachedBytes;
    }

    synchronized long inUseBytes() {
        return inUseBytes;
    }

    /** How many times the device itself was asked for memory (for tests of reuse). */
    synchronized long deviceCalls() {
        return deviceCalls;
    }
}
