package dev.deneb.dist;

/**
 * How a ring all-reduce splits a buffer and in which order it adds the ranks' values, written once so the in-process
 * group ({@link LocalGroup}) gives the same bits as the TCP ring ({@link TcpCommunicator}).
 *
 * <p>The buffer is cut into {@code size} contiguous segments, segment {@code k} being
 * {@code [⌊k·n/size⌋, ⌊(k+1)·n/size⌋)}. In the reduce-scatter phase segment {@code k} starts at rank {@code k} and
 * travels the ring {@code k → k+1 → …}, each rank adding its own values, so its sum is
 * {@code ((x_k + x_{k+1}) + x_{k+2}) + … + x_{k-1}} (indices mod size) and ends complete at rank {@code k-1}; the
 * all-gather phase then passes the finished segments on around the ring.
 */
final class RingOrder {
    private RingOrder() {}

    /** Start (inclusive) of segment {@code k} of a buffer of {@code length} elements split into {@code size} parts. */
    static int segmentStart(int length, int size, int k) {
        return (int) ((long) k * length / size);
    }

    /** Length of segment {@code k}. */
    static int segmentLength(int length, int size, int k) {
        return segmentStart(length, size, k + 1) - segmentStart(length, size, k);
    }

    /** {@code a mod size}, never negative. */
    static int mod(int a, int size) {
        return Math.floorMod(a, size);
    }

    /** The segment rank {@code rank} sends in reduce-scatter step {@code step} (0-based). */
    static int reduceSendSegment(int rank, int size, int step) {
        return mod(rank - step, size);
    }

    /** The segment rank {@code rank} sends in all-gather step {@code step}: the one it completed, then each received. */
    static int gatherSendSegment(int rank, int size, int step) {
        return mod(rank + 1 - step, size);
    }
}
