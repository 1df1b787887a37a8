package dev.deneb.cuda;

/** Raw device memory: what {@link DeviceAllocator} caches. The driver implements it; tests use a fake. */
interface DeviceMemory {
    /** A new block of at least {@code bytes}; throws {@link OutOfDeviceMemory} when the device is full. */
    long allocate(long bytes);

    void free(long pointer);

    /** Waits until no queued work can still touch freed memory. */
    void synchronize();

    /** Thrown by {@link #allocate} when the device has no room. */
    final class OutOfDeviceMemory extends RuntimeException {
        OutOfDeviceMemory(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
