package dev.deneb.cuda;

import dev.deneb.tensor.Backend;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Storage;
import java.lang.ref.Cleaner;

/**
 * Elements in GPU memory: a device pointer and a size. The memory goes back to the {@link DeviceAllocator}'s cache
 * when the storage becomes unreachable (through a {@link Cleaner}), or at once when the {@link CudaScope} it was
 * created in closes.
 */
public final class CudaStorage extends Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    private final Backend backend;
    private final DType dtype;
    private final int size;
    private final DeviceBlock block;
    private final Cleaner.Cleanable cleanable;

    CudaStorage(Backend backend, DeviceAllocator allocator, DType dtype, int size) {
        this.backend = backend;
        this.dtype = dtype;
        this.size = size;
        this.block = new DeviceBlock(allocator, (long) size * dtype.bytes());
        this.cleanable = CLEANER.register(this, block);
        CudaScope.register(this);
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    /** The device address of element 0. */
    public long pointer() {
        return block.pointer();
    }

    /** The device address of element {@code index}. */
    long pointer(int index) {
        return block.pointer() + (long) index * dtype.bytes();
    }

    public long bytes() {
        return block.bytes();
    }

    /** True once the memory was given back (by a closed scope or the cleaner). */
    public boolean isFreed() {
        return block.isReleased();
    }

    /** Gives the memory back now; the storage must not be used afterwards. */
    void free() {
        cleanable.clean();
    }
}
