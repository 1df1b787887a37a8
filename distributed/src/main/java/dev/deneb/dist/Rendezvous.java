package dev.deneb.dist;

import java.util.List;

/**
 * The one step a launcher has to provide: every rank hands in the address it listens on and gets back all ranks'
 * addresses, in rank order. Spark's {@code BarrierTaskContext.allGather} is one; {@link LocalRendezvous} (ranks as
 * threads) is another. It is called once per group, never per step.
 */
@FunctionalInterface
public interface Rendezvous {
    List<PeerAddress> exchange(int rank, int size, PeerAddress mine);
}
