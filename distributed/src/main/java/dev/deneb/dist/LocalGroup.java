package dev.deneb.dist;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Ranks as threads of one JVM, sharing memory: {@code LocalGroup.create(4, timeout)} returns four communicators, one
 * per thread. The sums are the TCP ring's, bit for bit ({@link RingOrder}), so a test written against this group
 * says what the cluster will compute. A rank that stops calling makes the others fail after {@code timeout} instead
 * of hanging; one that closes its communicator makes them fail at once.
 */
public final class LocalGroup {
    private final int size;
    private final Duration timeout;
    private final CyclicBarrier barrier;
    private final float[][] posted;
    private final int[] lengths;
    private volatile String failure;

    private LocalGroup(int size, Duration timeout) {
        this.size = size;
        this.timeout = timeout;
        this.barrier = new CyclicBarrier(size);
        this.posted = new float[size][];
        this.lengths = new int[size];
    }

    /** {@code size} communicators sharing one group; give each to its own thread. */
    public static List<Communicator> create(int size, Duration timeout) {
        if (size < 1) {
            throw new IllegalArgumentException("LocalGroup: size must be at least 1, got " + size);
        }
        LocalGroup g = new LocalGroup(size, timeout);
        List<Communicator> out = new ArrayList<>();
        for (int r = 0; r < size; r++) {
            out.add(g.new Member(r));
        }
        return out;
    }

    private final class Member implements Communicator {
        private final int rank;
        private boolean closed;

        Member(int rank) {
            this.rank = rank;
        }

        @Override
        public int rank() {
            return rank;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public void allReduce(float[] data, int offset, int length) {
            Bounds.check("allReduce", data, offset, length);
            exchange("allReduce", Arrays.copyOfRange(data, offset, offset + length), length);
            for (int k = 0; k < size; k++) {
                int start = RingOrder.segmentStart(length, size, k);
                int end = RingOrder.segmentStart(length, size, k + 1);
                for (int i = start; i < end; i++) {
                    float sum = posted[k][i];
                    for (int j = 1; j < size; j++) {
                        sum += posted[RingOrder.mod(k + j, size)][i];
                    }
                    data[offset + i] = sum;
                }
            }
            await("allReduce");
        }

        @Override
        public void broadcast(float[] data, int offset, int length, int root) {
            Bounds.check("broadcast", data, offset, length);
            Bounds.checkRoot("broadcast", root, size);
            exchange("broadcast", rank == root ? Arrays.copyOfRange(data, offset, offset + length) : null, length);
            if (rank != root) {
                System.arraycopy(posted[root], 0, data, offset, length);
            }
            await("broadcast");
        }

        /** Posts this rank's values and waits for everyone's; checks that all ranks passed the same length. */
        private void exchange(String op, float[] values, int length) {
            if (closed) {
                throw new CommunicatorException(op + ": rank " + rank + "'s communicator is closed");
            }
            posted[rank] = values;
            lengths[rank] = length;
            await(op);
            for (int r = 0; r < size; r++) {
                if (lengths[r] != length) {
                    String msg = op + ": rank " + rank + " has " + length + " elements but rank " + r + " has "
                            + lengths[r];
                    failure = msg;
                    barrier.reset();
                    throw new CommunicatorException(msg);
                }
            }
        }

        private void await(String op) {
            try {
                barrier.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                failure = op + ": rank " + rank + " waited " + timeout.toMillis() + " ms for the other ranks";
                throw new CommunicatorException(failure, e);
            } catch (BrokenBarrierException e) {
                String why = failure;
                throw new CommunicatorException(op + ": rank " + rank + " gave up because another rank failed"
                        + (why == null ? "" : " (" + why + ")"), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommunicatorException(op + ": rank " + rank + " was interrupted", e);
            }
        }

        /** Leaving the group fails any collective the others are still waiting in (as a closed socket would). */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                if (barrier.getNumberWaiting() > 0) {
                    failure = "rank " + rank + " left the group";
                    barrier.reset();
                }
            }
        }
    }
}
