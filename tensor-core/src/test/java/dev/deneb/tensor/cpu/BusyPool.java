package dev.deneb.tensor.cpu;

import java.util.concurrent.CountDownLatch;

/**
 * Keeps the shared pool busy with another thread's job until closed, as a data loader's prefetch thread may: a
 * kernel called meanwhile finds the pool taken and runs its chunks on the calling thread. Needs 2 or more threads.
 */
final class BusyPool implements AutoCloseable {
    private final CountDownLatch started;
    private final CountDownLatch release = new CountDownLatch(1);
    private final Thread holder;

    BusyPool() {
        int threads = Parallel.threads();
        if (threads < 2) {
            throw new IllegalStateException("BusyPool: needs a pool, but Parallel.threads() is " + threads);
        }
        // One chunk per thread, each parked on the latch: the pool's lock is held and no worker is free.
        started = new CountDownLatch(threads);
        holder = new Thread(() -> Parallel.forChunks(threads, threads, (s, e) -> {
            started.countDown();
            awaitUninterruptibly(release);
        }), "busy-pool-holder");
        holder.setDaemon(true);
        holder.start();
        awaitUninterruptibly(started);
    }

    @Override
    public void close() {
        release.countDown();
        try {
            holder.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("BusyPool: interrupted while waiting for the holder", e);
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
