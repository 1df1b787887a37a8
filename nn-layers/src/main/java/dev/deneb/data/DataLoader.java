package dev.deneb.data;

import dev.deneb.tensor.Generator;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Iterates a {@link Dataset} in mini-batches, as PyTorch's {@code DataLoader}: optional seeded shuffling,
 * dropping a short last batch, a collate step, an optional per-batch transform, and background prefetching.
 *
 * <p>Batches are made by the {@link Collate} given to {@link Builder#collate}, from the samples' {@code get()};
 * without one, a {@link BatchedDataset} (such as {@link TensorDataset}) assembles each batch itself and any other
 * dataset's samples are stacked field by field ({@link Collate#stack()}).
 *
 * <p>Each call of {@link #iterator()} is one epoch; epochs are numbered 0, 1, 2… and epoch {@code e} is shuffled
 * with a permutation derived from {@code (seed, e)} only, so a run is reproducible and every epoch differs.
 * {@link #epoch(int)} replays a given epoch without advancing the counter.
 *
 * <p>With {@code prefetch > 0} a daemon thread prepares up to that many batches ahead. An exception thrown while
 * preparing a batch is rethrown by {@code next()} in the consuming thread. At most one prefetching iteration runs
 * per loader: starting a new one stops the previous producer, and an abandoned iterator's producer is stopped
 * when the iterator is garbage-collected or {@linkplain PrefetchIterator#close() closed}.
 */
public final class DataLoader implements Iterable<Batch> {
    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final int prefetch;
    private final UnaryOperator<Batch> transform;
    private final Collate collate;
    private final AtomicInteger nextEpoch = new AtomicInteger();
    // The stop action of the running producer, not its iterator: holding the iterator would keep it reachable.
    private Cleaner.Cleanable activeProducer;

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.dropLast = b.dropLast;
        this.prefetch = b.prefetch;
        this.transform = b.transform;
        this.collate = b.collate;
    }

    public static Builder builder(Dataset dataset) {
        return new Builder(dataset);
    }

    public Dataset dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Batches per epoch: {@code floor(n / batchSize)} with drop-last, else {@code ceil(n / batchSize)}. */
    public int numBatches() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The epoch the next {@link #iterator()} call will run. */
    public int nextEpoch() {
        return nextEpoch.get();
    }

    /** Sets the epoch the next {@link #iterator()} call runs (e.g. when resuming training from a checkpoint). */
    public void setEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("DataLoader: epoch must be >= 0, got " + epoch);
        }
        nextEpoch.set(epoch);
    }

    /** One epoch, advancing the epoch counter. */
    @Override
    public Iterator<Batch> iterator() {
        return iterator(nextEpoch.getAndIncrement());
    }

    /** A view of epoch {@code epoch} that does not advance the counter; iterating it twice gives the same batches. */
    public Iterable<Batch> epoch(int epoch) {
        return () -> iterator(epoch);
    }

    /** The sample order of {@code epoch}: a seeded permutation when shuffling, else {@code 0 .. n-1}. */
    public long[] order(int epoch) {
        int n = dataset.size();
        if (!shuffle) {
            long[] order = new long[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            return order;
        }
        return new Generator(epochSeed(seed, epoch)).permutation(n).toLongArray();
    }

    private Iterator<Batch> iterator(int epoch) {
        long[] order = order(epoch);
        int batches = numBatches();
        if (prefetch == 0) {
            return new Iterator<>() {
                private int k;

                @Override
                public boolean hasNext() {
                    return k < batches;
                }

                @Override
                public Batch next() {
                    if (k >= batches) {
                        throw new NoSuchElementException("DataLoader: epoch " + epoch + " has only " + batches
                                + " batches");
                    }
                    return makeBatch(order, k++);
                }
            };
        }
        PrefetchIterator it = new PrefetchIterator(batches, prefetch, k -> makeBatch(order, k));
        synchronized (this) {
            if (activeProducer != null) {
                activeProducer.clean();
            }
            activeProducer = it.stopper();
        }
        return it;
    }

    /** Batch {@code k} of an epoch whose sample order is {@code order}. */
    private Batch makeBatch(long[] order, int k) {
        int from = k * batchSize;
        int to = Math.min(order.length, from + batchSize);
        long[] idx = Arrays.copyOfRange(order, from, to);
        Batch b;
        if (collate == null && dataset instanceof BatchedDataset bd) {
            b = bd.batch(idx);
        } else {
            List<Sample> samples = new ArrayList<>(idx.length);
            for (long i : idx) {
                samples.add(dataset.get((int) i));
            }
            b = (collate == null ? Collate.stack() : collate).apply(samples);
            if (b == null) {
                throw new IllegalStateException("DataLoader: the collate function returned null for batch " + k);
            }
        }
        return transform == null ? b : transform.apply(b);
    }

    /** SplitMix64 of seed and epoch: nearby seeds and epochs give unrelated permutations. */
    static long epochSeed(long seed, int epoch) {
        long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return "DataLoader(size " + dataset.size() + ", batchSize " + batchSize + ", shuffle " + shuffle
                + ", seed " + seed + ", dropLast " + dropLast + ", prefetch " + prefetch + ")";
    }

    /** Options of a {@link DataLoader}; defaults: batch 1, no shuffle, seed 0, keep the last batch, no prefetch. */
    public static final class Builder {
        private final Dataset dataset;
        private int batchSize = 1;
        private boolean shuffle;
        private long seed;
        private boolean dropLast;
        private int prefetch;
        private UnaryOperator<Batch> transform;
        private Collate collate;

        private Builder(Dataset dataset) {
            if (dataset == null) {
                throw new IllegalArgumentException("DataLoader: dataset is null");
            }
            this.dataset = dataset;
        }

        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("DataLoader: batchSize must be >= 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Seeds the shuffling; implies nothing unless {@link #shuffle(boolean)} is on. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** Number of batches a background thread prepares ahead; 0 (the default) prepares them on demand. */
        public Builder prefetch(int batches) {
            if (batches < 0) {
                throw new IllegalArgumentException("DataLoader: prefetch must be >= 0, got " + batches);
            }
            this.prefetch = batches;
            return this;
        }

        /** Applied to every batch, on the prefetch thread when there is one (e.g. normalisation, augmentation). */
        public Builder transform(UnaryOperator<Batch> transform) {
            this.transform = transform;
            return this;
        }

        /**
         * Makes each batch from its samples (e.g. padding sequences to the longest); by default samples are stacked
         * field by field. With a collate, even a {@link BatchedDataset} is read sample by sample.
         */
        public Builder collate(Collate collate) {
            if (collate == null) {
                throw new IllegalArgumentException("DataLoader: collate is null");
            }
            this.collate = collate;
            return this;
        }

        public DataLoader build() {
            return new DataLoader(this);
        }
    }
}
