package dev.deneb.tensor;

/**
 * Whole-graph recording for exporters, per thread. Normally the tape records an op only when an input requires a
 * gradient, so ops on integer tensors, masks and constants leave no trace. Inside a tracing scope every op run with
 * recording on ({@link GradMode}) gets a {@link Node}, whatever its dtype, so a forward pass can be read back as a
 * complete graph from its output ({@link Tensor#gradFn()}), as {@code torch.jit.trace} does. Results of inputs that
 * do not require gradients still do not require one, so a traced graph is never differentiated by accident.
 * <pre>{@code try (var scope = Tracing.trace()) { y = model.forward(x); } }</pre>
 */
public final class Tracing {
    private static final ThreadLocal<boolean[]> ACTIVE = ThreadLocal.withInitial(() -> new boolean[] {false});
    /** Tracing scopes open on any thread. */
    private static volatile int open;
    private static final Object LOCK = new Object();

    private Tracing() {}

    /** True inside a {@link #trace()} scope on this thread. */
    public static boolean isActive() {
        // Every op asks; outside exports no thread traces, and a plain read answers without the thread-local.
        return open > 0 && ACTIVE.get()[0];
    }

    /** Records every op on this thread until the scope is closed. */
    public static GradMode.Scope trace() {
        boolean[] flag = ACTIVE.get();
        GradMode.Scope scope = new GradMode.Scope(flag, flag[0], Tracing::closed);
        synchronized (LOCK) {
            open++;
        }
        flag[0] = true;
        return scope;
    }

    private static void closed() {
        synchronized (LOCK) {
            open--;
        }
    }
}
