package dev.deneb.tensor.cpu;

/**
 * The one thread pool the CPU kernels share. Its size is the number of cores unless set by the system property
 * {@code deneb.threads}, the environment variable {@code DENEB_NUM_THREADS}, or {@link #setThreads(int)}.
 * Programs set it through {@link dev.deneb.tensor.Threads}, the public home of the setting; this package is the
 * kernels' own, and {@code setThreads} stays for the code that already calls it.
 *
 * <p>Work is split only when it is big enough to pay for the hand-off ({@link WorkerPool} keeps that near a
 * microsecond); the calling thread always works on the chunks too, and a kernel already running inside a parallel
 * region runs its own work inline (no nested deadlock).
 */
public final class Parallel {
    /** Below this many element-operations a kernel runs on the calling thread (EJML uses a similar bound). */
    public static final long DEFAULT_GRAIN = 50_000;

    /** A body over the half-open range {@code [start, end)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    private static final ThreadLocal<Boolean> ON_WORKER = ThreadLocal.withInitial(() -> false);
    private static volatile int threads = initialThreads();
    private static volatile WorkerPool pool = newPool(threads);

    private Parallel() {}

    /** The number of threads kernels may use. */
    public static int threads() {
        return threads;
    }

    /** Sets the number of threads kernels may use (1 = everything on the calling thread). */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Parallel.setThreads: thread count must be >= 1, got " + n);
        }
        if (n == threads) {
            return;
        }
        WorkerPool old = pool;
        pool = newPool(n);
        threads = n;
        if (old != null) {
            old.shutdown();
        }
    }

    /**
     * Runs {@code body} over {@code [0, n)}, split into at most {@link #threads()} contiguous chunks when
     * {@code n * costPerItem} reaches {@link #DEFAULT_GRAIN}; otherwise on the calling thread.
     */
    public static void range(int n, long costPerItem, RangeBody body) {
        int chunks = chunksFor(n, costPerItem);
        if (chunks <= 1) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        forChunks(n, chunks, body);
    }

    /** How many chunks {@link #range} would use for this much work (1 when it would not split). */
    public static int chunksFor(int n, long costPerItem) {
        int t = threads;
        if (t <= 1 || n <= 1 || ON_WORKER.get() || (long) n * Math.max(1, costPerItem) < DEFAULT_GRAIN) {
            return 1;
        }
        return Math.min(t, n);
    }

    /**
     * Splits {@code [0, n)} into exactly {@code chunks} near-equal ranges and runs them in parallel.
     *
     * <p>When the pool is busy with another thread's job (a data loader's, say) or there is no pool, the calling
     * thread runs the same ranges itself, one after another, with nested parallelism off as on a worker: a body whose
     * result depends on its range (a GEMM cut into column blocks) then gives the same bits whether or not the pool
     * was free, so results never depend on timing. A nested call runs the whole range inline.
     */
    public static void forChunks(int n, int chunks, RangeBody body) {
        if (chunks <= 1 || ON_WORKER.get()) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        WorkerPool p = pool;
        if (p == null || !p.tryRun(n, chunks, body, ON_WORKER)) {
            runChunksHere(n, chunks, body);
        }
    }

    private static void runChunksHere(int n, int chunks, RangeBody body) {
        ON_WORKER.set(true);
        try {
            for (int c = 0; c < chunks; c++) {
                body.run(chunkStart(n, chunks, c), chunkStart(n, chunks, c + 1));
            }
        } finally {
            ON_WORKER.set(false);
        }
    }

    /** Where chunk {@code c} of {@code [0, n)} cut into {@code chunks} begins (chunk {@code chunks}: at n). */
    static int chunkStart(int n, int chunks, int c) {
        return (int) ((long) n * c / chunks);
    }

    private static int initialThreads() {
        String v = System.getProperty("deneb.threads");
        if (v == null || v.isBlank()) {
            v = System.getenv("DENEB_NUM_THREADS");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        if (v == null || v.isBlank()) {
            return cores;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "deneb.threads / DENEB_NUM_THREADS must be a positive integer, got '" + v + "'");
        }
    }

    private static WorkerPool newPool(int n) {
        return n <= 1 ? null : new WorkerPool(n - 1, ON_WORKER);
    }
}
