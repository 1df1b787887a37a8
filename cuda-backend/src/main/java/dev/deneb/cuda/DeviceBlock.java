package dev.deneb.cuda;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One allocation owned by one {@link CudaStorage}. It is also the storage's {@link java.lang.ref.Cleaner} action,
 * so it must not refer to the storage: it only knows the pointer, the size and where to give them back. Releasing
 * twice (a {@link CudaScope} and later the cleaner) is harmless.
 */
final class DeviceBlock implements Runnable {
    private final DeviceAllocator allocator;
    private final long pointer;
    private final long bytes;
    private final AtomicBoolean released = new AtomicBoolean();

    DeviceBlock(DeviceAllocator allocator, long bytes) {
        this.allocator = allocator;
        this.bytes = bytes;
        this.pointer = bytes == 0 ? 0 : allocator.allocate(bytes);
    }

    /** The device address; throws once the block was released. */
    long pointer() {
        if (released.get()) {
            throw new IllegalStateException("CUDA storage used after it was freed (its CudaScope was closed);"
                    + " keep tensors that outlive a scope with CudaScope.keep");
        }
        return pointer;
    }

    long bytes() {
        return bytes;
    }

    boolean isReleased() {
        return released.get();
    }

    @Override
    public void run() {
        if (released.compareAndSet(false, true) && bytes != 0) {
            allocator.release(pointer, bytes);
        }
    }
}
