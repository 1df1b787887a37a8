package dev.deneb.spark;

import dev.deneb.dist.Communicator;
import dev.deneb.dist.DistributedDataParallel;
import dev.deneb.nn.Layer;
import dev.deneb.nn.io.Checkpoint;
import dev.deneb.optim.Optimizer;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One rank's share of data-parallel training, independent of Spark (so it runs the same with ranks as threads):
 * load the initial weights, resume from the checkpoint if there is one, then per epoch walk this rank's rows in
 * {@link EpochOrder}, averaging gradients every step through {@link DistributedDataParallel}. Rank 0 writes the
 * checkpoint after each epoch. Every rank takes the same number of equal-sized steps (ranks with fewer rows repeat
 * some), so the collectives always pair up.
 */
final class DataParallelWorker {
    private final TrainingSpec spec;
    private final DataParallelOptions options;
    private final Communicator comm;
    private final LabeledData data;
    private final byte[] initialState;
    private final int stageAttempt;

    DataParallelWorker(TrainingSpec spec, DataParallelOptions options, Communicator comm, LabeledData data,
            byte[] initialState, int stageAttempt) {
        this.spec = spec;
        this.options = options;
        this.comm = comm;
        this.data = data;
        this.initialState = initialState;
        this.stageAttempt = stageAttempt;
    }

    /** Trains; rank 0's result carries the weights, the others' only the history. */
    TrainingResult run() {
        int rank = comm.rank();
        int size = comm.size();
        if (spec.batchSize() % size != 0) {
            throw new IllegalArgumentException("data-parallel training: the global batch " + spec.batchSize()
                    + " does not split evenly over " + size + " workers; choose a multiple of " + size);
        }
        int localBatch = spec.batchSize() / size;
        int maxRows = agreeOnRows(rank, size);

        Layer model = StateBytes.load(spec.model().create(), initialState);
        Optimizer optimizer = spec.optimizer().create(model.parameters());
        CheckpointStore store = options.checkpointDir() == null ? null : new CheckpointStore(options.checkpointDir());
        List<EpochStats> history = new ArrayList<>();
        int resumedFrom = 0;
        Checkpoint saved = store == null ? null : store.read();
        if (saved != null) {
            saved.restore(model, true);
            optimizer.loadStateDict(saved.optimizerState());
            resumedFrom = (int) saved.epoch();
            history.addAll(HistoryText.parse(saved.metadata().getOrDefault("history", "")));
            if (rank == 0 && options.verbose()) {
                System.out.printf("resuming from the checkpoint of epoch %d (stage attempt %d)%n", resumedFrom,
                        stageAttempt);
            }
        }
        DistributedDataParallel ddp = new DistributedDataParallel(model, comm);
        ddp.train();
        int steps = (maxRows + localBatch - 1) / localBatch;
        for (int epoch = resumedFrom + 1; epoch <= spec.epochs(); epoch++) {
            EpochStats stats = epoch(ddp, optimizer, epoch, steps, localBatch, maxRows);
            history.add(stats);
            if (rank == 0) {
                if (options.verbose()) {
                    System.out.printf(Locale.ROOT,
                            "epoch %d/%d  loss %.4f  accuracy %.2f %%  %d workers  %.2f s  all-reduce %.2f ms/step%n",
                            epoch, spec.epochs(), stats.loss(), 100 * stats.accuracy(), size, stats.seconds(),
                            stats.allReduceMillis());
                }
                if (store != null) {
                    store.write(Checkpoint.of(model).optimizerState(optimizer.stateDict()).epoch(epoch)
                            .metadata(Map.of("history", HistoryText.format(history))));
                }
            }
            comm.barrier();
            if (epoch == options.failAfterEpoch() && stageAttempt == 0 && rank == size - 1) {
                throw new IllegalStateException("test hook: worker " + rank + " killed after epoch " + epoch
                        + " (DataParallelOptions.failAfterEpoch)");
            }
        }
        model.eval();
        return new TrainingResult(rank == 0 ? StateBytes.of(model) : null, List.copyOf(history), size, stageAttempt,
                resumedFrom);
    }

    /** The largest partition's row count; every rank fails alike if any partition is empty. */
    private int agreeOnRows(int rank, int size) {
        float[] rows = new float[size];
        rows[rank] = data.rows();
        comm.allReduce(rows);
        int max = 0;
        for (int r = 0; r < size; r++) {
            if (rows[r] == 0) {
                throw new IllegalArgumentException("data-parallel training: worker " + r + " got no rows (partition "
                        + r + " is empty); repartition the data so every one of the " + size + " partitions has rows");
            }
            max = Math.max(max, (int) rows[r]);
        }
        return max;
    }

    private EpochStats epoch(DistributedDataParallel ddp, Optimizer optimizer, int epoch, int steps, int localBatch,
            int maxRows) {
        long start = System.nanoTime();
        int[] order = EpochOrder.of(spec.seed(), epoch, comm.rank(), data.rows(), maxRows, options.shuffle());
        double lossSum = 0;
        double correct = 0;
        long reduceNanos = 0;
        for (int s = 0; s < steps; s++) {
            int from = s * localBatch;
            int n = Math.min(localBatch, maxRows - from);
            int[] index = new int[n];
            System.arraycopy(order, from, index, 0, n);
            Tensor x = data.inputs(index);
            Tensor y = data.targets(index);
            ddp.zeroGrad();
            Tensor out = ddp.forward(x);
            Tensor loss = spec.loss().apply(out, y);
            loss.backward();
            long t0 = System.nanoTime();
            ddp.synchronizeGradients();
            reduceNanos += System.nanoTime() - t0;
            optimizer.step();
            lossSum += loss.item() * n;
            if (out.shape().length == 2) {
                correct += out.argmax(1).eq(y).sum().item();
            }
        }
        float[] totals = {(float) lossSum, (float) correct, (float) (reduceNanos / 1e6)};
        comm.allReduce(totals);
        double rows = (double) maxRows * comm.size();
        return new EpochStats(epoch, totals[0] / rows, totals[1] / rows, (System.nanoTime() - start) / 1e9, steps,
                totals[2] / comm.size() / steps);
    }
}
