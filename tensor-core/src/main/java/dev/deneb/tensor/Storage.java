package dev.deneb.tensor;

/**
 * A flat buffer of elements owned by one backend. Tensors are views onto a storage (shape, strides, offset);
 * several tensors may share one storage. The version counts in-place writes, so autograd can tell when a value it
 * saved has been overwritten.
 */
public abstract class Storage {
    private int version;

    public abstract DType dtype();

    /** Number of elements. */
    public abstract int size();

    public abstract Backend backend();

    public final int version() {
        return version;
    }

    /** Called by every in-place write. */
    public final void bumpVersion() {
        version++;
    }
}
