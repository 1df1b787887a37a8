package dev.deneb.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DataLoaderTest {
    /** Sample i has input [i, -i] and target i, so a batch's targets name the samples it holds. */
    static TensorDataset numbered(int n) {
        float[] x = new float[2 * n];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i;
            y[i] = i;
        }
        return new TensorDataset(Tensor.of(x, n, 2), Tensor.of(y, n));
    }

    /** The same data seen only through get(), so the loader must stack samples. */
    static Dataset sampleOnly(TensorDataset d) {
        return new Dataset() {
            @Override
            public int size() {
                return d.size();
            }

            @Override
            public Sample get(int index) {
                return d.get(index);
            }
        };
    }

    static List<long[]> targets(Iterable<Batch> epoch) {
        List<long[]> out = new ArrayList<>();
        for (Batch b : epoch) {
            assertEquals(b.size(), b.inputs().size(0));
            long[] t = b.targets().toLongArray();
            float[] x = b.inputs().toFloatArray();
            for (int i = 0; i < t.length; i++) {
                assertEquals(t[i], x[2 * i]);
                assertEquals(-t[i], x[2 * i + 1]);
            }
            out.add(t);
        }
        return out;
    }

    /** Seeded random cases: dataset size, batch size, drop-last, shuffle, prefetch. */
    static Stream<Arguments> cases() {
        SplittableRandom r = new SplittableRandom(20240611);
        List<Arguments> list = new ArrayList<>();
        list.add(Arguments.of(0, 4, false, true, 2));
        list.add(Arguments.of(10, 10, true, false, 0));
        list.add(Arguments.of(10, 3, true, true, 1));
        list.add(Arguments.of(3, 5, true, true, 2));
        for (int k = 0; k < 8; k++) {
            list.add(Arguments.of(r.nextInt(1, 200), r.nextInt(1, 40), r.nextBoolean(), r.nextBoolean(),
                    r.nextInt(0, 4)));
        }
        return list.stream();
    }

    @ParameterizedTest(name = "n={0} batch={1} dropLast={2} shuffle={3} prefetch={4}")
    @MethodSource("cases")
    void everyIndexOncePerEpochAndBatchCounts(int n, int batch, boolean dropLast, boolean shuffle, int prefetch) {
        DataLoader loader = DataLoader.builder(numbered(n)).batchSize(batch).dropLast(dropLast).shuffle(shuffle)
                .seed(7).prefetch(prefetch).build();
        int expected = dropLast ? n / batch : (n + batch - 1) / batch;
        assertEquals(expected, loader.numBatches());
        for (int epoch = 0; epoch < 2; epoch++) {
            List<long[]> batches = targets(loader);
            assertEquals(expected, batches.size());
            long[] all = batches.stream().flatMapToLong(LongStream::of).toArray();
            for (int b = 0; b < batches.size(); b++) {
                boolean last = b == batches.size() - 1;
                assertEquals(last && !dropLast && n % batch != 0 ? n % batch : batch, batches.get(b).length);
            }
            long[] sorted = all.clone();
            Arrays.sort(sorted);
            if (dropLast) {
                assertEquals(n / batch * batch, all.length);
                assertEquals(all.length, Arrays.stream(sorted).distinct().count());
            } else {
                assertArrayEquals(LongStream.range(0, n).toArray(), sorted);
            }
            if (!shuffle) {
                assertArrayEquals(LongStream.range(0, all.length).toArray(), all);
            }
        }
    }

    @Test
    void seededShuffleIsReproducibleAndDiffersAcrossEpochs() {
        DataLoader a = DataLoader.builder(numbered(100)).batchSize(10).shuffle(true).seed(42).build();
        DataLoader b = DataLoader.builder(numbered(100)).batchSize(10).shuffle(true).seed(42).build();
        DataLoader c = DataLoader.builder(numbered(100)).batchSize(10).shuffle(true).seed(43).build();
        long[] a0 = flat(targets(a));
        long[] a1 = flat(targets(a));
        assertArrayEquals(a0, flat(targets(b)));
        assertArrayEquals(a1, flat(targets(b)));
        assertFalse(Arrays.equals(a0, a1), "epochs 0 and 1 must be shuffled differently");
        assertFalse(Arrays.equals(a0, flat(targets(c))), "seeds 42 and 43 must differ");
        assertFalse(Arrays.equals(a0, LongStream.range(0, 100).toArray()), "shuffled order is not the identity");
        // Replaying an epoch does not move the counter and gives the same batches.
        assertEquals(2, a.nextEpoch());
        assertArrayEquals(a1, flat(targets(a.epoch(1))));
        assertArrayEquals(a1, a.order(1));
        a.setEpoch(0);
        assertArrayEquals(a0, flat(targets(a)));
    }

    @ParameterizedTest(name = "batched={0}")
    @ValueSource(booleans = {true, false})
    void prefetchOnAndOffGiveIdenticalBatches(boolean batched) {
        TensorDataset data = numbered(77);
        Dataset ds = batched ? data : sampleOnly(data);
        for (int prefetch : new int[] {1, 2, 5}) {
            DataLoader off = DataLoader.builder(ds).batchSize(8).shuffle(true).seed(3).build();
            DataLoader on = DataLoader.builder(ds).batchSize(8).shuffle(true).seed(3).prefetch(prefetch).build();
            for (int epoch = 0; epoch < 3; epoch++) {
                Iterator<Batch> x = off.iterator();
                Iterator<Batch> y = on.iterator();
                while (x.hasNext()) {
                    assertTrue(y.hasNext());
                    Batch bx = x.next();
                    Batch by = y.next();
                    assertArrayEquals(bx.inputs().shape(), by.inputs().shape());
                    assertArrayEquals(bx.inputs().toFloatArray(), by.inputs().toFloatArray());
                    assertArrayEquals(bx.targets().toLongArray(), by.targets().toLongArray());
                }
                assertFalse(y.hasNext());
            }
        }
    }

    @Test
    void stackingAndIndexSelectPathsAgree() {
        TensorDataset data = numbered(23);
        DataLoader fast = DataLoader.builder(data).batchSize(5).shuffle(true).seed(1).build();
        DataLoader slow = DataLoader.builder(sampleOnly(data)).batchSize(5).shuffle(true).seed(1).build();
        Iterator<Batch> s = slow.iterator();
        for (Batch f : fast) {
            Batch b = s.next();
            assertArrayEquals(f.inputs().shape(), b.inputs().shape());
            assertArrayEquals(f.targets().shape(), b.targets().shape());
            assertArrayEquals(f.inputs().toFloatArray(), b.inputs().toFloatArray());
            assertArrayEquals(f.targets().toLongArray(), b.targets().toLongArray());
        }
    }

    /** A dataset whose sample 13 cannot be read. */
    static Dataset failingAt13() {
        TensorDataset d = numbered(40);
        return new Dataset() {
            @Override
            public int size() {
                return d.size();
            }

            @Override
            public Sample get(int index) {
                if (index == 13) {
                    throw new IllegalStateException("sample 13 is broken");
                }
                return d.get(index);
            }
        };
    }

    @ParameterizedTest(name = "prefetch={0}")
    @ValueSource(ints = {0, 1, 3})
    void producerExceptionsReachTheConsumer(int prefetch) {
        DataLoader loader = DataLoader.builder(failingAt13()).batchSize(4).prefetch(prefetch).build();
        Iterator<Batch> it = loader.iterator();
        for (int k = 0; k < 3; k++) {
            it.next(); // samples 0..11
        }
        var e = assertThrows(IllegalStateException.class, it::next);
        assertEquals("sample 13 is broken", e.getMessage());
    }

    @Test
    void transformRunsOnEveryBatch() {
        DataLoader loader = DataLoader.builder(numbered(10)).batchSize(4).prefetch(2)
                .transform(b -> new Batch(b.inputs().mul(2), b.targets(), b.size())).build();
        for (Batch b : loader) {
            long[] t = b.targets().toLongArray();
            assertEquals(2f * t[0], b.inputs().toFloatArray()[0]);
        }
    }

    @Test
    void abandonedIterationStopsItsProducer() throws InterruptedException {
        DataLoader loader = DataLoader.builder(numbered(1000)).batchSize(2).prefetch(2).build();
        PrefetchIterator first = (PrefetchIterator) loader.iterator();
        first.next();
        assertTrue(first.producerAlive(), "producer should be blocked on its full queue");
        // A fresh iterator stops the previous producer.
        PrefetchIterator second = (PrefetchIterator) loader.iterator();
        waitUntil(() -> !first.producerAlive());
        assertFalse(first.producerAlive());
        assertThrows(IllegalStateException.class, first::next);
        // Closing stops it too.
        second.next();
        second.close();
        waitUntil(() -> !second.producerAlive());
        assertFalse(second.producerAlive());
    }

    @Test
    void garbageCollectedIteratorStopsItsProducer() throws InterruptedException {
        DataLoader loader = DataLoader.builder(numbered(1000)).batchSize(2).prefetch(2).build();
        String name = startAndDrop(loader);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (threadAlive(name) && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertFalse(threadAlive(name), "the producer of an unreachable iterator must stop");
    }

    private static String startAndDrop(DataLoader loader) {
        PrefetchIterator it = (PrefetchIterator) loader.iterator();
        it.next();
        return it.threadName();
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    @Test
    void finishedIterationLeavesNoThread() throws InterruptedException {
        DataLoader loader = DataLoader.builder(numbered(10)).batchSize(3).prefetch(4).build();
        PrefetchIterator it = (PrefetchIterator) loader.iterator();
        while (it.hasNext()) {
            it.next();
        }
        waitUntil(() -> !it.producerAlive());
        assertFalse(it.producerAlive());
    }

    @Test
    void optionsAreValidated() {
        TensorDataset d = numbered(3);
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(d).batchSize(0));
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(d).prefetch(-1));
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(null));
    }

    @Test
    void tensorDatasetChecksSizesAndServesViews() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new TensorDataset(Tensor.zeros(4, 3), Tensor.zeros(5)));
        assertTrue(e.getMessage().contains("inputs have 4 samples"), e.getMessage());
        TensorDataset d = numbered(5);
        Sample s = d.get(3);
        assertArrayEquals(new float[] {3, -3}, s.input().toFloatArray());
        assertEquals(3, s.target().item());
        assertThrows(IndexOutOfBoundsException.class, () -> d.get(5));
        TensorDataset sub = d.subset(new long[] {4, 1});
        assertArrayEquals(new long[] {4, 1}, sub.targets().toLongArray());
        assertEquals(2, sub.size());
    }

    private static long[] flat(List<long[]> batches) {
        return batches.stream().flatMapToLong(LongStream::of).toArray();
    }

    private interface Condition {
        boolean holds();
    }

    private static void waitUntil(Condition c) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!c.holds() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(20);
    }
}
