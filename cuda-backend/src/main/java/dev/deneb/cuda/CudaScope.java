package dev.deneb.cuda;

import dev.deneb.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Frees GPU memory eagerly. Every CUDA storage created on this thread while the scope is open is given back when it
 * closes, except the storages of tensors passed to {@link #keep}. Without a scope, memory is given back when the
 * garbage collector finds a storage unreachable, which may be later than the GPU would like.
 *
 * <pre>{@code
 * try (CudaScope scope = CudaScope.open()) {
 *     Tensor loss = model.forward(x).sub(y).pow(2).mean();
 *     result = scope.keep(loss);           // everything else made here is freed at the closing brace
 * }
 * }</pre>
 * Scopes nest; a kept tensor moves to the enclosing scope, if any. Using a freed tensor throws
 * {@link IllegalStateException}. A scope belongs to the thread that opened it.
 */
public final class CudaScope implements AutoCloseable {
    private static final ThreadLocal<ArrayDeque<CudaScope>> OPEN = ThreadLocal.withInitial(ArrayDeque::new);

    private final List<CudaStorage> created = new ArrayList<>();
    private final Set<CudaStorage> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Thread owner = Thread.currentThread();
    private boolean closed;

    private CudaScope() {}

    public static CudaScope open() {
        CudaScope s = new CudaScope();
        OPEN.get().push(s);
        return s;
    }

    static void register(CudaStorage storage) {
        CudaScope s = OPEN.get().peek();
        if (s != null) {
            s.created.add(storage);
        }
    }

    /** Keeps the storage of {@code t} alive past this scope and returns {@code t}. */
    public Tensor keep(Tensor t) {
        if (t.storage() instanceof CudaStorage cs) {
            kept.add(cs);
        }
        return t;
    }

    /** Number of storages this scope will free when it closes. */
    public int pending() {
        int n = 0;
        for (CudaStorage s : created) {
            n += kept.contains(s) || s.isFreed() ? 0 : 1;
        }
        return n;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("CudaScope closed on " + Thread.currentThread().getName()
                    + " but opened on " + owner.getName());
        }
        closed = true;
        ArrayDeque<CudaScope> stack = OPEN.get();
        stack.remove(this);
        CudaScope parent = stack.peek();
        for (int i = created.size() - 1; i >= 0; i--) {
            CudaStorage s = created.get(i);
            if (kept.contains(s)) {
                if (parent != null) {
                    parent.created.add(s);
                }
            } else {
                s.free();
            }
        }
        created.clear();
    }
}
