package dev.deneb.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A rank that dies, hangs or disagrees makes the others fail with a message naming it, never hang. */
class FailureTest {

    @Test
    void aRankThatDiesMidReduceFailsTheOthersAtOnce() {
        Duration timeout = Duration.ofSeconds(60);
        long start = System.nanoTime();
        List<Ranks.Outcome<Integer>> out = Ranks.runAll(Ranks.Kind.TCP, 3, timeout, "127.0.0.1", c -> {
            float[] x = new float[200_000];
            c.allReduce(x);
            if (c.rank() == 1) {
                c.close(); // dies: its sockets close while the others are inside the next all-reduce
                throw new IllegalStateException("rank 1 crashed");
            }
            c.allReduce(x);
            return 0;
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 30, "the survivors took " + seconds + " s to notice: they waited for the timeout");
        for (int r : new int[] {0, 2}) {
            assertInstanceOf(CommunicatorException.class, out.get(r).error(), "rank " + r);
        }
        String next = out.get(2).error().getMessage();
        assertTrue(next.contains("rank 1 (127.0.0.1:") && next.contains("closed the connection"), next);
    }

    @Test
    void aStuckRankIsNamedAfterTheTimeout() {
        Duration timeout = Duration.ofMillis(1500);
        List<Ranks.Outcome<Integer>> out = Ranks.runAll(Ranks.Kind.TCP, 3, timeout, "127.0.0.1", c -> {
            if (c.rank() == 1) {
                sleep(4000); // stuck: never joins the collective
                return 1;
            }
            c.allReduce(new float[10]);
            return 0;
        });
        String msg = out.get(2).error().getMessage();
        assertTrue(msg.contains("received nothing from rank 1") && msg.contains("1500 ms"), msg);
        assertNotNull(out.get(0).error(), "rank 0 must fail too");
    }

    @ParameterizedTest
    @EnumSource(Ranks.Kind.class)
    void ranksThatDisagreeOnTheLengthFail(Ranks.Kind kind) {
        List<Ranks.Outcome<Integer>> out = Ranks.runAll(kind, 2, Duration.ofSeconds(5), "127.0.0.1", c -> {
            c.allReduce(new float[c.rank() == 0 ? 10 : 11]);
            return 0;
        });
        for (Ranks.Outcome<Integer> o : out) {
            assertInstanceOf(CommunicatorException.class, o.error());
        }
        String msg = out.get(0).error().getMessage() + " | " + out.get(1).error().getMessage();
        assertTrue(msg.contains("10") && msg.contains("11"), msg);
    }

    @Test
    void aLocalRankThatNeverArrivesTimesOut() {
        List<Ranks.Outcome<Integer>> out = Ranks.runAll(Ranks.Kind.LOCAL, 3, Duration.ofMillis(500), "127.0.0.1",
                c -> {
                    if (c.rank() != 2) {
                        c.allReduce(new float[4]);
                    }
                    return 0;
                });
        assertInstanceOf(CommunicatorException.class, out.get(0).error());
        assertInstanceOf(CommunicatorException.class, out.get(1).error());
        assertEquals(null, out.get(2).error());
    }

    @Test
    void aBrokenCommunicatorRefusesLaterCalls() {
        List<Ranks.Outcome<String>> out = Ranks.runAll(Ranks.Kind.TCP, 2, Duration.ofSeconds(5), "127.0.0.1", c -> {
            if (c.rank() == 1) {
                c.close();
                return "closed";
            }
            try {
                c.allReduce(new float[3]);
            } catch (CommunicatorException first) {
                CommunicatorException again = assertThrows(CommunicatorException.class, () -> c.broadcast(
                        new float[3], 0));
                return again.getMessage();
            }
            return "no failure";
        });
        assertTrue(out.get(0).value().contains("unusable"), out.get(0).value());
    }

    @Test
    void argumentsAreChecked() {
        List<Communicator> g = LocalGroup.create(2, Duration.ofSeconds(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.get(0).allReduce(new float[4], 2, 3));
        assertTrue(e.getMessage().contains("allReduce") && e.getMessage().contains("[2, 5)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.get(0).broadcast(new float[1], 2));
        assertTrue(e.getMessage().contains("root 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TcpCommunicator.connect(3, 3, null,
                TcpOptions.defaults()));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
