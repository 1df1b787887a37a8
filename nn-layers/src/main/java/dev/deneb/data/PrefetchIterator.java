package dev.deneb.data;

import java.lang.ref.Cleaner;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Batches prepared by a daemon thread into a bounded queue. The producer holds no reference to this iterator, so
 * an iterator dropped mid-epoch becomes unreachable and the {@link Cleaner} stops its producer.
 */
public final class PrefetchIterator implements Iterator<Batch>, AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Producer producer;
    private final Cleaner.Cleanable cleanable;
    private final int batches;
    private int delivered;

    PrefetchIterator(int batches, int capacity, IntFunction<Batch> make) {
        this.batches = batches;
        this.producer = new Producer(batches, capacity, make);
        this.cleanable = CLEANER.register(this, producer::stop);
        if (batches > 0) {
            Thread t = new Thread(producer, "deneb-dataloader-prefetch-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            producer.thread = t;
            t.start();
        }
    }

    @Override
    public boolean hasNext() {
        return delivered < batches;
    }

    @Override
    public Batch next() {
        if (delivered >= batches) {
            throw new NoSuchElementException("DataLoader: all " + batches + " batches of this epoch were delivered");
        }
        Object item = producer.take();
        if (item instanceof Failure f) {
            close();
            throw rethrow(f.error());
        }
        delivered++;
        if (delivered == batches) {
            cleanable.clean();
        }
        return (Batch) item;
    }

    /** Stops the background thread; later calls of {@link #next()} fail. Safe to call more than once. */
    @Override
    public void close() {
        cleanable.clean();
    }

    /** The producer's exception as is when unchecked, so prefetching changes no exception types. */
    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        if (t instanceof RuntimeException r) {
            return r;
        }
        return new RuntimeException("DataLoader: preparing a batch failed: " + t, t);
    }

    private record Failure(Throwable error) {}

    private static final class Producer implements Runnable {
        private final int batches;
        private final BlockingQueue<Object> queue;
        private final IntFunction<Batch> make;
        private volatile boolean stopped;
        private volatile Thread thread;

        Producer(int batches, int capacity, IntFunction<Batch> make) {
            this.batches = batches;
            this.queue = new ArrayBlockingQueue<>(capacity);
            this.make = make;
        }

        @Override
        public void run() {
            try {
                for (int k = 0; k < batches && !stopped; k++) {
                    Object item;
                    try {
                        item = make.apply(k);
                    } catch (Throwable t) {
                        queue.put(new Failure(t));
                        return;
                    }
                    queue.put(item);
                }
            } catch (InterruptedException e) {
                // stop() interrupts a producer blocked on a full queue; just end.
            }
        }

        /** Waits for the next item, polling so that a consumer blocked here notices {@link #stop()}. */
        Object take() {
            try {
                while (true) {
                    if (stopped) {
                        throw new IllegalStateException("DataLoader: this iteration was stopped (closed, or "
                                + "superseded by a newer iterator of the same DataLoader)");
                    }
                    Object item = queue.poll(50, TimeUnit.MILLISECONDS);
                    if (item != null) {
                        return item;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("DataLoader: interrupted while waiting for the next batch", e);
            }
        }

        void stop() {
            stopped = true;
            Thread t = thread;
            if (t != null) {
                t.interrupt();
            }
        }

        boolean alive() {
            Thread t = thread;
            return t != null && t.isAlive();
        }
    }

    /** Whether the background thread is still running (for tests and diagnostics). */
    boolean producerAlive() {
        return producer.alive();
    }

    /** Stops the producer; references the producer only, so holding it keeps this iterator collectable. */
    Cleaner.Cleanable stopper() {
        return cleanable;
    }

    String threadName() {
        Thread t = producer.thread;
        return t == null ? "" : t.getName();
    }
}
