package dev.deneb.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerAddressTest {

    @Test
    void roundTripsIpv4NamesAndIpv6() {
        for (String s : new String[] {"10.0.0.7:4000", "worker-3.cluster:65535", "[::1]:123", "[fe80::1%eth0]:9"}) {
            assertEquals(s, PeerAddress.parse(s).toString());
        }
        assertEquals("::1", PeerAddress.parse("[::1]:123").host());
    }

    @Test
    void rejectsMalformedAddresses() {
        for (String s : new String[] {"", "host", "host:", ":80", "::1:80", "host:x", "host:0", "host:70000"}) {
            assertThrows(IllegalArgumentException.class, () -> PeerAddress.parse(s), s);
        }
    }

    @Test
    void aRingRunsOverIpv6Loopback() throws Exception {
        boolean v6;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            v6 = true;
        } catch (Exception e) {
            v6 = false;
        }
        assumeTrue(v6, "no IPv6 loopback on this machine");
        List<float[]> got = Ranks.run(Ranks.Kind.TCP, 3, Duration.ofSeconds(10), "::1", c -> {
            float[] x = {c.rank(), 1};
            c.allReduce(x);
            return x;
        });
        for (float[] x : got) {
            assertArrayEquals(new float[] {3, 3}, x);
        }
    }
}
