package dev.deneb.tensor;

/**
 * Whether operations are recorded for backward, per thread. Open a scope with try-with-resources:
 * <pre>{@code try (var scope = GradMode.noGrad()) { ...inference or optimizer updates... }}</pre>
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {}

    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Nothing inside the scope is recorded; results do not require gradients. */
    public static Scope noGrad() {
        return setEnabled(false);
    }

    /** Recording is on inside the scope (e.g. to build a graph inside a {@code noGrad} region). */
    public static Scope enableGrad() {
        return setEnabled(true);
    }

    /** Recording on or off inside the scope, as given (PyTorch's {@code set_grad_enabled}). */
    public static Scope setEnabled(boolean enabled) {
        boolean[] flag = ENABLED.get();
        Scope scope = new Scope(flag, flag[0]);
        flag[0] = enabled;
        return scope;
    }

    /** Restores the previous mode when closed (of recording, or of {@link Tracing}). Closing throws nothing. */
    public static final class Scope implements AutoCloseable {
        private final boolean[] flag;
        private final boolean previous;
        private final Runnable onClose;
        private boolean closed;

        Scope(boolean[] flag, boolean previous) {
            this(flag, previous, null);
        }

        Scope(boolean[] flag, boolean previous, Runnable onClose) {
            this.onClose = onClose;
            this.flag = flag;
            this.previous = previous;
        }

        @Override
        public void close() {
            flag[0] = previous;
            if (onClose != null && !closed) {
                closed = true; // a second close must not count twice
                onClose.run();
            }
        }
    }
}
