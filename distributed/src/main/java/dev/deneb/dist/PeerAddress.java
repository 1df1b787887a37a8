package dev.deneb.dist;

import java.net.InetSocketAddress;

/**
 * Where a rank listens: a host name or IP literal and a port. Written {@code host:port}, with IPv6 literals in
 * brackets ({@code [::1]:40123}), so an address survives a trip through a string (Spark's {@code allGather}).
 */
public record PeerAddress(String host, int port) {
    public PeerAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("PeerAddress: host is empty");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("PeerAddress: port " + port + " of '" + host + "' is outside 1..65535");
        }
    }

    /** Parses {@code host:port} or {@code [v6-literal]:port}. */
    public static PeerAddress parse(String text) {
        int colon = text == null ? -1 : text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("PeerAddress: expected host:port or [ipv6]:port, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.contains(":") && !(host.startsWith("[") && host.endsWith("]"))) {
            throw new IllegalArgumentException("PeerAddress: an IPv6 host must be in brackets ([::1]:port), got '"
                    + text + "'");
        }
        try {
            return new PeerAddress(host, Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("PeerAddress: port is not a number in '" + text + "'", e);
        }
    }

    /** The socket address to connect to (resolves the host name). */
    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
