package dev.deneb.dist;

import java.time.Duration;

/**
 * Settings of a {@link TcpCommunicator}.
 *
 * @param host    the address to listen on and to announce to the other ranks (an IPv4 or IPv6 literal or a name);
 *                under Spark, the executor address Spark reports for the task
 * @param timeout the longest a rank waits for a peer: to connect, for the next bytes of a collective, or for a send
 *                to drain. A rank that is slower than this between two collectives (a long forward pass) is
 *                indistinguishable from a dead one, so set it above the longest step
 * @param chunkFloats how many floats travel per write (pipelining and the size of the two staging buffers)
 */
public record TcpOptions(String host, Duration timeout, int chunkFloats) {
    public TcpOptions {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("TcpOptions: host is empty");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("TcpOptions: timeout must be positive, got " + timeout);
        }
        if (chunkFloats < 1) {
            throw new IllegalArgumentException("TcpOptions: chunkFloats must be at least 1, got " + chunkFloats);
        }
    }

    /** Loopback, a 5-minute timeout, 256 Ki floats (1 MiB) per write. */
    public static TcpOptions defaults() {
        return new TcpOptions("127.0.0.1", Duration.ofMinutes(5), 1 << 18);
    }

    public TcpOptions host(String host) {
        return new TcpOptions(host, timeout, chunkFloats);
    }

    public TcpOptions timeout(Duration timeout) {
        return new TcpOptions(host, timeout, chunkFloats);
    }

    public TcpOptions chunkFloats(int chunkFloats) {
        return new TcpOptions(host, timeout, chunkFloats);
    }
}
