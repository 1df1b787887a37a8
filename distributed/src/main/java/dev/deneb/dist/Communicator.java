package dev.deneb.dist;

/**
 * Collectives among {@code size()} ranks, numbered {@code 0 … size()-1}: every rank calls the same operations in the
 * same order with buffers of the same length (as in MPI, NCCL and {@code torch.distributed}). Results are the same
 * bits on every rank and on every run: each element's sum is taken in an order fixed by the rank count alone (see
 * {@link RingOrder}), never by timing.
 *
 * <p>A failure anywhere (a peer that died, a timeout, a length mismatch) throws {@link CommunicatorException} naming
 * the peer and the operation; after that the communicator is broken and every later call throws at once. Close it
 * when the group is done (it holds sockets and a thread).
 */
public interface Communicator extends AutoCloseable {

    /** This process's rank, {@code 0 ≤ rank < size}. */
    int rank();

    /** The number of ranks in the group. */
    int size();

    /** Replaces {@code data[offset … offset+length)} on every rank by the element-wise sum over all ranks. */
    void allReduce(float[] data, int offset, int length);

    /** {@link #allReduce(float[], int, int)} over the whole array. */
    default void allReduce(float[] data) {
        allReduce(data, 0, data.length);
    }

    /** Copies {@code data[offset … offset+length)} of rank {@code root} into the same range on every rank. */
    void broadcast(float[] data, int offset, int length, int root);

    /** {@link #broadcast(float[], int, int, int)} over the whole array. */
    default void broadcast(float[] data, int root) {
        broadcast(data, 0, data.length, root);
    }

    /** Returns once every rank has called it. */
    default void barrier() {
        allReduce(new float[1]);
    }

    /** Releases the connections; later calls throw. Never throws itself. */
    @Override
    void close();
}
