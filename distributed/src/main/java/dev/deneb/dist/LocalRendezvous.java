package dev.deneb.dist;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Rendezvous} for ranks that are threads of one JVM (tests, or several ranks on one machine): each rank
 * posts its address and waits until all {@code size} have. One instance serves one group, once.
 */
public final class LocalRendezvous implements Rendezvous {
    private final int size;
    private final PeerAddress[] addresses;
    private final CountDownLatch arrived;
    private final Duration timeout;

    public LocalRendezvous(int size, Duration timeout) {
        if (size < 1) {
            throw new IllegalArgumentException("LocalRendezvous: size must be at least 1, got " + size);
        }
        this.size = size;
        this.addresses = new PeerAddress[size];
        this.arrived = new CountDownLatch(size);
        this.timeout = timeout;
    }

    @Override
    public List<PeerAddress> exchange(int rank, int size, PeerAddress mine) {
        if (size != this.size || rank < 0 || rank >= size) {
            throw new IllegalArgumentException("LocalRendezvous: rank " + rank + " of " + size
                    + " does not fit a group of " + this.size);
        }
        synchronized (addresses) {
            if (addresses[rank] != null) {
                throw new IllegalStateException("LocalRendezvous: rank " + rank + " arrived twice");
            }
            addresses[rank] = mine;
        }
        arrived.countDown();
        try {
            if (!arrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new CommunicatorException("rendezvous: rank " + rank + " waited " + timeout.toMillis()
                        + " ms, but only " + (size - arrived.getCount()) + " of " + size + " ranks arrived");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommunicatorException("rendezvous: rank " + rank + " was interrupted", e);
        }
        synchronized (addresses) {
            return List.copyOf(Arrays.asList(addresses));
        }
    }
}
