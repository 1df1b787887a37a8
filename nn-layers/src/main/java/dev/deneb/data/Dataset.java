package dev.deneb.data;

/**
 * A finite, indexable collection of samples, as PyTorch's map-style {@code Dataset}. Implementations must allow
 * {@link #get} to be called from a background thread (the {@link DataLoader} prefetches).
 */
public interface Dataset {
    int size();

    /** The sample at {@code index}, {@code 0 <= index < size()}. */
    Sample get(int index);
}
