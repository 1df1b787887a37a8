package dev.deneb.tensor;

import dev.deneb.tensor.cpu.Parallel;

/**
 * How many threads the CPU kernels use: the public home of the setting, so programs need not reach into the kernels'
 * package ({@code dev.deneb.tensor.cpu}, internal). The default is the number of cores, or
 * {@code -Ddeneb.threads=N}, or the environment variable {@code DENEB_NUM_THREADS}. Like PyTorch's
 * {@code torch.set_num_threads}, the setting is global to the JVM; the GPU backend ignores it.
 *
 * <pre>{@code
 * int saved = Threads.count();
 * Threads.set(1);
 * try { ... } finally { Threads.set(saved); }
 * }</pre>
 */
public final class Threads {
    private Threads() {}

    /** The number of threads the CPU kernels may use (at least 1). */
    public static int count() {
        return Parallel.threads();
    }

    /**
     * Sets the number of threads the CPU kernels may use; 1 runs everything on the calling thread. Replaces the
     * kernels' worker pool, so call it between steps, not inside an op.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static void set(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Threads.set: thread count must be >= 1, got " + n);
        }
        Parallel.setThreads(n);
    }
}
