package dev.deneb.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shared pool: every index covered exactly once, failures surface, nesting and concurrent callers work. */
class ParallelTest {
    private int saved;

    @BeforeEach
    void save() {
        saved = Parallel.threads();
    }

    @AfterEach
    void restore() {
        Parallel.setThreads(saved);
    }

    private static void assertCoveredOnce(AtomicIntegerArray hits, String what) {
        for (int i = 0; i < hits.length(); i++) {
            assertEquals(1, hits.get(i), what + ": index " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void everyIndexRunsOnceForAnyChunking(int threads) {
        Parallel.setThreads(threads);
        for (int n : new int[] {0, 1, 2, 7, 1000}) {
            for (int chunks : new int[] {1, 2, 3, 16}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                for (int rep = 0; rep < 50; rep++) {
                    AtomicIntegerArray once = new AtomicIntegerArray(n);
                    Parallel.forChunks(n, Math.max(1, Math.min(chunks, n)), (s, e) -> {
                        for (int i = s; i < e; i++) {
                            once.incrementAndGet(i);
                        }
                    });
                    assertCoveredOnce(once, "n=" + n + ", chunks=" + chunks + ", threads=" + threads);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void aFailingChunkThrowsOnTheCaller(int threads) {
        Parallel.setThreads(threads);
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Parallel.forChunks(8, 4, (s, t) -> {
                    if (t > 4) {
                        throw boom; // whichever thread runs the part holding index 4 or more
                    }
                }));
        assertSame(boom, e);
        // The pool still works afterwards.
        AtomicIntegerArray hits = new AtomicIntegerArray(10);
        Parallel.forChunks(10, 2, (s, t) -> {
            for (int i = s; i < t; i++) {
                hits.incrementAndGet(i);
            }
        });
        assertCoveredOnce(hits, "after a failure");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void aBusyPoolLeavesTheCallerTheSameChunksWithNestingOff(int threads) {
        Parallel.setThreads(threads);
        List<String> seen = new ArrayList<>();
        try (BusyPool busy = new BusyPool()) {
            // The pool is taken, so this runs on the calling thread alone, in order.
            Parallel.forChunks(10, 3, (s, e) -> {
                boolean nested = Parallel.chunksFor(1000, 1000) == 1; // a worker's kernels do not split again
                seen.add(s + ".." + e + (nested ? " nested" : " not nested"));
            });
        }
        assertEquals(List.of("0..3 nested", "3..6 nested", "6..10 nested"), seen);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void nestedAndConcurrentCallsComplete(int threads) throws Exception {
        Parallel.setThreads(threads);
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try {
            List<Future<AtomicIntegerArray>> results = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                results.add(callers.submit(() -> {
                    AtomicIntegerArray hits = new AtomicIntegerArray(64 * 64);
                    for (int rep = 0; rep < 200; rep++) {
                        AtomicIntegerArray once = new AtomicIntegerArray(64 * 64);
                        Parallel.forChunks(64, 4, (s, e) -> {
                            for (int i = s; i < e; i++) {
                                int row = i;
                                Parallel.forChunks(64, 4, (a, b) -> {
                                    for (int j = a; j < b; j++) {
                                        once.incrementAndGet(row * 64 + j);
                                    }
                                });
                            }
                        });
                        for (int i = 0; i < once.length(); i++) {
                            hits.addAndGet(i, once.get(i) == 1 ? 0 : 1);
                        }
                    }
                    return hits;
                }));
            }
            for (Future<AtomicIntegerArray> f : results) {
                AtomicIntegerArray wrong = f.get();
                for (int i = 0; i < wrong.length(); i++) {
                    assertEquals(0, wrong.get(i), "index " + i + " not covered exactly once in some repetition");
                }
            }
        } finally {
            callers.shutdownNow();
        }
    }
}
