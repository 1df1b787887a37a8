package dev.deneb.tensor.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * The one thread pool the CPU kernels share. Its size is the number of cores unless set by the system property
 * {@code deneb.threads}, the environment variable {@code DENEB_NUM_THREADS}, or {@link #setThreads(int)}.
 *
 * <p>Work is split only when it is big enough to pay for the hand-off; the calling thread always takes the first
 * chunk, and a task that is already running on a pool thread never waits on the pool (no nested deadlock).
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
    private static volatile ExecutorService pool = newPool(threads);

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
        ExecutorService old = pool;
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

    /** Splits {@code [0, n)} into exactly {@code chunks} near-equal ranges and runs them in parallel. */
    public static void forChunks(int n, int chunks, RangeBody body) {
        if (chunks <= 1 || ON_WORKER.get()) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        ExecutorService p = pool;
        List<Future<?>> futures = new ArrayList<>(chunks - 1);
        for (int c = 1; c < chunks; c++) {
            int start = (int) ((long) n * c / chunks);
            int end = (int) ((long) n * (c + 1) / chunks);
            futures.add(p.submit(() -> body.run(start, end)));
        }
        RuntimeException failure = null;
        // While the caller runs its own chunk it counts as a worker, so nested kernels (a GEMM inside a
        // convolution tile) run inline instead of queueing behind the busy pool and waiting.
        ON_WORKER.set(true);
        try {
            body.run(0, (int) ((long) n / chunks));
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            ON_WORKER.set(false);
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Parallel: interrupted while waiting for workers", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r
                            : new IllegalStateException("Parallel: worker failed", e.getCause());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
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

    private static ExecutorService newPool(int n) {
        if (n <= 1) {
            return null;
        }
        ThreadFactory factory = r -> {
            Thread t = new Thread(() -> {
                ON_WORKER.set(true);
                r.run();
            }, "deneb-worker");
            t.setDaemon(true);
            return t;
        };
        return Executors.newFixedThreadPool(n - 1, factory);
    }
}
