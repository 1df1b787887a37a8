package dev.deneb.dist;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Collectives over plain TCP, ranks on a ring: each rank connects once to the next rank and accepts once from the
 * previous one. All-reduce is the bandwidth-optimal ring (reduce-scatter, then all-gather: each rank sends
 * {@code 2·(size-1)/size} of the buffer); broadcast passes the buffer down the ring in chunks, so it is pipelined.
 * A collective sends on a helper thread while the caller receives, so neither side's socket buffer can fill and
 * deadlock the ring.
 *
 * <p>Each collective starts with a small header (operation, sequence number, length, root) that the receiver checks,
 * so ranks that call different operations or lengths fail with a message instead of exchanging garbage. Any failure
 * closes both sockets: the neighbours then fail at once (end of stream) rather than at their timeout, and the
 * failure travels round the ring with the name of the rank it came from.
 */
public final class TcpCommunicator implements Communicator {
    private static final int HELLO = 0x444E4231; // "DNB1"
    private static final int OP_ALL_REDUCE = 1;
    private static final int OP_BROADCAST = 2;
    private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    private final int rank;
    private final int size;
    private final List<PeerAddress> peers;
    private final TcpOptions options;
    private final Socket toNext;
    private final Socket fromPrev;
    private final DataOutputStream out;
    private final DataInputStream in;
    private final ExecutorService sender;
    private final byte[] sendBytes;
    private final byte[] receiveBytes;
    private long sequence;
    private volatile String broken;

    private TcpCommunicator(int rank, int size, List<PeerAddress> peers, TcpOptions options, Socket toNext,
            Socket fromPrev) throws IOException {
        this.rank = rank;
        this.size = size;
        this.peers = peers;
        this.options = options;
        this.toNext = toNext;
        this.fromPrev = fromPrev;
        boolean alone = size == 1;
        this.out = alone ? null : new DataOutputStream(toNext.getOutputStream());
        this.in = alone ? null : new DataInputStream(fromPrev.getInputStream());
        this.sender = alone ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "deneb-dist-send-rank-" + rank);
            t.setDaemon(true);
            return t;
        });
        int chunkBytes = alone ? 0 : 4 * options.chunkFloats();
        this.sendBytes = new byte[chunkBytes];
        this.receiveBytes = new byte[chunkBytes];
    }

    /**
     * Joins a group: listens on {@code options.host()} (a free port), exchanges addresses through
     * {@code rendezvous}, connects to the next rank and accepts the previous one. Every rank of the group must call
     * it; it returns when this rank's two links are up, or throws after {@code options.timeout()}.
     */
    public static TcpCommunicator connect(int rank, int size, Rendezvous rendezvous, TcpOptions options) {
        if (size < 1 || rank < 0 || rank >= size) {
            throw new IllegalArgumentException("TcpCommunicator: rank " + rank + " is not in a group of " + size);
        }
        long deadline = System.nanoTime() + options.timeout().toNanos();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName(options.host()), 0), Math.max(size, 4));
            PeerAddress mine = new PeerAddress(options.host(), server.getLocalPort());
            List<PeerAddress> peers = List.copyOf(rendezvous.exchange(rank, size, mine));
            if (peers.size() != size || !mine.equals(peers.get(rank))) {
                throw new CommunicatorException("rendezvous: rank " + rank + " of " + size + " got " + peers
                        + ", which does not list " + mine + " at position " + rank);
            }
            if (size == 1) {
                return new TcpCommunicator(rank, size, peers, options, null, null);
            }
            int next = (rank + 1) % size;
            int prev = (rank + size - 1) % size;
            int group = peers.toString().hashCode();
            Socket toNext = connectWithRetry(rank, next, peers.get(next), deadline, options);
            DataOutputStream hello = new DataOutputStream(toNext.getOutputStream());
            hello.writeInt(HELLO);
            hello.writeInt(rank);
            hello.writeInt(size);
            hello.writeInt(group);
            hello.flush();
            Socket fromPrev = acceptPrevious(server, rank, size, prev, group, peers, deadline, options);
            return new TcpCommunicator(rank, size, peers, options, toNext, fromPrev);
        } catch (IOException e) {
            throw new CommunicatorException("connect: rank " + rank + " of " + size + " on " + options.host()
                    + " failed: " + e, e);
        }
    }

    private static Socket connectWithRetry(int rank, int next, PeerAddress address, long deadline, TcpOptions o)
            throws IOException {
        IOException last = null;
        while (System.nanoTime() < deadline) {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.setSendBufferSize(4 << 20);
                int wait = (int) Math.max(1, Math.min(10_000, (deadline - System.nanoTime()) / 1_000_000));
                s.connect(address.socketAddress(), wait);
                return s;
            } catch (ConnectException | SocketTimeoutException e) {
                last = e;
                s.close();
                sleep(50);
            } catch (IOException e) {
                s.close();
                throw e;
            }
        }
        throw new CommunicatorException("connect: rank " + rank + " could not reach rank " + next + " at " + address
                + " within " + o.timeout().toMillis() + " ms (last error: " + last + ")");
    }

    private static Socket acceptPrevious(ServerSocket server, int rank, int size, int prev, int group,
            List<PeerAddress> peers, long deadline, TcpOptions o) throws IOException {
        String rejected = "";
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new CommunicatorException("connect: rank " + rank + " waited " + o.timeout().toMillis()
                        + " ms for rank " + prev + " (" + peers.get(prev) + ") to connect" + rejected);
            }
            server.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
            Socket s;
            try {
                s = server.accept();
            } catch (SocketTimeoutException e) {
                continue;
            }
            s.setTcpNoDelay(true);
            s.setReceiveBufferSize(4 << 20);
            s.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left)));
            try {
                DataInputStream hello = new DataInputStream(s.getInputStream());
                int magic = hello.readInt();
                int from = hello.readInt();
                int theirSize = hello.readInt();
                int theirGroup = hello.readInt();
                if (magic == HELLO && from == prev && theirSize == size && theirGroup == group) {
                    s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, o.timeout().toMillis()));
                    return s;
                }
                rejected = "; rejected a connection from " + s.getRemoteSocketAddress() + " (rank " + from + " of "
                        + theirSize + ", expected rank " + prev + " of " + size + " of this group)";
            } catch (IOException e) {
                rejected = "; rejected a connection from " + s.getRemoteSocketAddress() + " that sent no greeting";
            }
            s.close();
        }
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return size;
    }

    /** The addresses of all ranks, in rank order. */
    public List<PeerAddress> peers() {
        return peers;
    }

    @Override
    public void allReduce(float[] data, int offset, int length) {
        Bounds.check("allReduce", data, offset, length);
        ensureUsable("allReduce");
        if (size == 1) {
            return;
        }
        try {
            header(OP_ALL_REDUCE, length, 0, "allReduce");
            for (int step = 0; step < size - 1; step++) {
                int send = RingOrder.reduceSendSegment(rank, size, step);
                transfer(data, offset, length, send, RingOrder.mod(send - 1, size), true,
                        "allReduce (reduce-scatter step " + (step + 1) + " of " + (size - 1) + ")");
            }
            for (int step = 0; step < size - 1; step++) {
                int send = RingOrder.gatherSendSegment(rank, size, step);
                transfer(data, offset, length, send, RingOrder.mod(send - 1, size), false,
                        "allReduce (all-gather step " + (step + 1) + " of " + (size - 1) + ")");
            }
        } catch (CommunicatorException e) {
            fail(e.getMessage());
            throw e;
        }
    }

    @Override
    public void broadcast(float[] data, int offset, int length, int root) {
        Bounds.check("broadcast", data, offset, length);
        Bounds.checkRoot("broadcast", root, size);
        ensureUsable("broadcast");
        if (size == 1) {
            return;
        }
        int next = (rank + 1) % size;
        boolean forward = next != root;
        boolean receive = rank != root;
        String op = "broadcast from rank " + root;
        try {
            if (receive) {
                expectHeader(OP_BROADCAST, length, root, op);
            }
            Future<?> sending = forward ? sendHeader(OP_BROADCAST, length, root) : null;
            sequence++;
            for (int start = 0; start < length; start += options.chunkFloats()) {
                int n = Math.min(options.chunkFloats(), length - start);
                if (receive) {
                    receive(n, op);
                    for (int i = 0; i < n; i++) {
                        data[offset + start + i] = (float) FLOAT.get(receiveBytes, 4 * i);
                    }
                }
                if (forward) {
                    await(sending, op);
                    sending = send(data, offset + start, n);
                }
            }
            if (forward) {
                await(sending, op);
            }
        } catch (CommunicatorException e) {
            fail(e.getMessage());
            throw e;
        }
    }

    /** Sends one segment to the next rank while receiving one from the previous; adds it in, or copies it. */
    private void transfer(float[] data, int offset, int length, int sendSegment, int receiveSegment, boolean add,
            String op) {
        int sendStart = offset + RingOrder.segmentStart(length, size, sendSegment);
        int sendLength = RingOrder.segmentLength(length, size, sendSegment);
        int receiveStart = offset + RingOrder.segmentStart(length, size, receiveSegment);
        int receiveLength = RingOrder.segmentLength(length, size, receiveSegment);
        int chunk = options.chunkFloats();
        for (int done = 0; done < Math.max(sendLength, receiveLength); done += chunk) {
            int s = Math.max(0, Math.min(chunk, sendLength - done));
            int r = Math.max(0, Math.min(chunk, receiveLength - done));
            Future<?> sending = s > 0 ? send(data, sendStart + done, s) : null;
            if (r > 0) {
                receive(r, op);
                int base = receiveStart + done;
                if (add) {
                    for (int i = 0; i < r; i++) {
                        data[base + i] = (float) FLOAT.get(receiveBytes, 4 * i) + data[base + i];
                    }
                } else {
                    for (int i = 0; i < r; i++) {
                        data[base + i] = (float) FLOAT.get(receiveBytes, 4 * i);
                    }
                }
            }
            await(sending, op);
        }
    }

    private void header(int op, int length, int root, String name) {
        Future<?> sending = sendHeader(op, length, root);
        expectHeader(op, length, root, name);
        await(sending, name);
        sequence++;
    }

    private Future<?> sendHeader(int op, int length, int root) {
        long seq = sequence;
        return sender.submit(() -> {
            out.writeInt(op);
            out.writeLong(seq);
            out.writeInt(length);
            out.writeInt(root);
            out.flush();
            return null;
        });
    }

    private void expectHeader(int op, int length, int root, String name) {
        int prev = (rank + size - 1) % size;
        try {
            int theirOp = in.readInt();
            long theirSeq = in.readLong();
            int theirLength = in.readInt();
            int theirRoot = in.readInt();
            if (theirOp != op || theirSeq != sequence || theirLength != length || theirRoot != root) {
                throw new CommunicatorException(name + ": ranks disagree: rank " + rank + " called "
                        + describe(op, sequence, length, root) + " but rank " + prev + " (" + peers.get(prev)
                        + ") called " + describe(theirOp, theirSeq, theirLength, theirRoot));
            }
        } catch (IOException e) {
            throw receiveFailure(name, e);
        }
    }

    private static String describe(int op, long seq, int length, int root) {
        String name = op == OP_ALL_REDUCE ? "allReduce" : op == OP_BROADCAST ? "broadcast(root " + root + ")"
                : "operation " + op;
        return name + " of " + length + " elements as collective #" + seq;
    }

    private Future<?> send(float[] data, int start, int n) {
        for (int i = 0; i < n; i++) {
            FLOAT.set(sendBytes, 4 * i, data[start + i]);
        }
        return sender.submit(() -> {
            out.write(sendBytes, 0, 4 * n);
            out.flush();
            return null;
        });
    }

    private void receive(int n, String op) {
        try {
            in.readFully(receiveBytes, 0, 4 * n);
        } catch (IOException e) {
            throw receiveFailure(op, e);
        }
    }

    private CommunicatorException receiveFailure(String op, IOException e) {
        int prev = (rank + size - 1) % size;
        String who = "rank " + prev + " (" + peers.get(prev) + ")";
        if (e instanceof SocketTimeoutException) {
            return new CommunicatorException(op + ": rank " + rank + " received nothing from " + who + " for "
                    + options.timeout().toMillis() + " ms; it is stuck or slower than the timeout", e);
        }
        if (e instanceof EOFException) {
            return new CommunicatorException(op + ": " + who + " closed the connection to rank " + rank
                    + "; it has probably failed (see its log for the first error)", e);
        }
        return new CommunicatorException(op + ": rank " + rank + " lost the connection from " + who + ": " + e, e);
    }

    private void await(Future<?> sending, String op) {
        if (sending == null) {
            return;
        }
        int next = (rank + 1) % size;
        String who = "rank " + next + " (" + peers.get(next) + ")";
        try {
            sending.get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new CommunicatorException(op + ": rank " + rank + " could not send to " + who + " for "
                    + options.timeout().toMillis() + " ms; it stopped reading", e);
        } catch (ExecutionException e) {
            throw new CommunicatorException(op + ": rank " + rank + " failed to send to " + who
                    + "; it has probably failed (see its log for the first error): " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommunicatorException(op + ": rank " + rank + " was interrupted", e);
        }
    }

    private void ensureUsable(String op) {
        String why = broken;
        if (why != null) {
            throw new CommunicatorException(op + ": rank " + rank + "'s communicator is unusable: " + why);
        }
    }

    /** Marks the communicator broken and drops both links, so the neighbours notice at once. */
    private void fail(String why) {
        if (broken == null) {
            broken = why;
        }
        closeQuietly();
    }

    @Override
    public void close() {
        if (broken == null) {
            broken = "closed";
        }
        closeQuietly();
    }

    private void closeQuietly() {
        if (sender != null) {
            sender.shutdownNow();
        }
        for (Socket s : new Socket[] {toNext, fromPrev}) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing is best effort: the peer sees end of stream or a reset either way
                }
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommunicatorException("connect: interrupted", e);
        }
    }
}
