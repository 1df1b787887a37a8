package dev.deneb.nn;

import java.util.Map;

/**
 * Removes the hook it was returned for (PyTorch's {@code RemovableHandle}). Also {@link AutoCloseable}, so a hook can
 * live for one block: {@code try (var h = layer.registerForwardHook(...)) { ... }}.
 */
public final class HookHandle implements AutoCloseable {
    private final Map<HookHandle, ?> owner;

    HookHandle(Map<HookHandle, ?> owner) {
        this.owner = owner;
    }

    /** Unregisters the hook; removing it again does nothing. */
    public void remove() {
        owner.remove(this);
    }

    /** Same as {@link #remove()}. */
    @Override
    public void close() {
        remove();
    }
}
