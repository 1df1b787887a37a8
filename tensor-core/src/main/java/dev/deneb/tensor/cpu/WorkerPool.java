package dev.deneb.tensor.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The worker threads behind {@link Parallel}: a fork/join that costs about a microsecond, not the 20–80 µs of an
 * executor here (queue, futex wake-up, future), which is as long as a whole element-wise op on a [2048, 128] tensor.
 *
 * <p>How: a job is a range cut into chunks that the caller and the workers claim from one counter, so the caller
 * never waits for a worker to wake up before work starts, and finishes everything alone if none does. Between jobs
 * a worker spins (with {@link Thread#onSpinWait}) for {@link #SPIN_NANOS}, which covers the gap between the ops of a
 * training step, then parks until the next job unparks it. One job runs at a time; a second thread that finds the
 * pool busy runs its work inline.
 */
final class WorkerPool {
    /** How long an idle worker spins before it parks. */
    static final long SPIN_NANOS = 200_000;

    private final Thread[] workers;
    private final ReentrantLock running = new ReentrantLock();
    private volatile Job job;
    private volatile long generation;
    private volatile boolean stopped;
    /** 1 while worker w is parked or about to park (volatile reads and writes: see {@link #idle}). */
    private final AtomicIntegerArray parked;

    WorkerPool(int count, ThreadLocal<Boolean> onWorker) {
        workers = new Thread[count];
        parked = new AtomicIntegerArray(count);
        for (int w = 0; w < count; w++) {
            int id = w;
            workers[w] = new Thread(() -> {
                onWorker.set(true);
                loop(id);
            }, "deneb-worker-" + (w + 1));
            workers[w].setDaemon(true);
            workers[w].start();
        }
    }

    /** Runs the job's chunks on the caller and the workers; false (nothing run) when the pool is busy. */
    boolean tryRun(int n, int chunks, Parallel.RangeBody body, ThreadLocal<Boolean> onWorker) {
        if (!running.tryLock()) {
            return false;
        }
        try {
            Job j = new Job(n, chunks, body);
            job = j;
            generation++;
            for (int w = 0; w < workers.length; w++) {
                if (parked.get(w) == 1) {
                    LockSupport.unpark(workers[w]);
                }
            }
            // The caller counts as a worker while it helps, so nested kernels run inline.
            onWorker.set(true);
            try {
                j.work();
            } finally {
                onWorker.set(false);
            }
            j.awaitDone();
            job = null;
            j.rethrow();
            return true;
        } finally {
            running.unlock();
        }
    }

    void shutdown() {
        stopped = true;
        for (Thread t : workers) {
            LockSupport.unpark(t);
        }
    }

    private void loop(int id) {
        long seen = 0;
        while (!stopped) {
            long g = generation;
            if (g != seen) {
                seen = g;
                Job j = job;
                if (j != null) {
                    j.work();
                }
                continue;
            }
            idle(id, seen);
        }
    }

    /** Spins until a new job is published, then parks if none came. */
    private void idle(int id, long seen) {
        long start = System.nanoTime();
        while (generation == seen && !stopped) {
            for (int i = 0; i < 64; i++) {
                Thread.onSpinWait();
            }
            if (System.nanoTime() - start > SPIN_NANOS) {
                parked.set(id, 1);
                // Re-check after announcing: a job published before this read is seen here; one published after
                // it finds the flag set and unparks us (an unpark before park makes park return at once).
                if (generation == seen && !stopped) {
                    LockSupport.park(this);
                }
                parked.set(id, 0);
                return;
            }
        }
    }

    /** One range cut into chunks, claimed from a shared counter. */
    private static final class Job {
        private final int n;
        private final int chunks;
        private final Parallel.RangeBody body;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        private volatile Throwable failure;

        Job(int n, int chunks, Parallel.RangeBody body) {
            this.n = n;
            this.chunks = chunks;
            this.body = body;
        }

        void work() {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                try {
                    body.run(Parallel.chunkStart(n, chunks, c), Parallel.chunkStart(n, chunks, c + 1));
                } catch (Throwable t) {
                    if (failure == null) {
                        failure = t;
                    }
                } finally {
                    done.incrementAndGet();
                }
            }
        }

        void awaitDone() {
            while (done.get() < chunks) {
                Thread.onSpinWait();
            }
        }

        void rethrow() {
            Throwable t = failure;
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException("Parallel: a worker failed", t);
            }
        }
    }
}
