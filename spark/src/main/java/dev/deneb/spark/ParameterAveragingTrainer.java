package dev.deneb.spark;

import dev.deneb.nn.Layer;
import dev.deneb.optim.Optimizer;
import dev.deneb.tensor.Tensor;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The fallback that needs no connections between executors: each round, the driver broadcasts the model and the
 * optimizer state, every partition takes {@code syncEvery} local steps from there on its own rows, and
 * {@code treeAggregate} (as {@code treeReduce}) brings back the sum of the workers' states, which the driver divides
 * by their number. Plain Spark jobs only, so it runs wherever Spark does (no barrier mode, no open ports), at the
 * price of one job per round and of averaging parameters instead of gradients: with {@code syncEvery = 1} and plain
 * SGD it is data-parallel training; with larger rounds and Adam it is local SGD, which usually converges a little
 * slower per epoch.
 * <pre>{@code
 * TrainingResult r = ParameterAveragingTrainer.fit(df, TrainingSpec.of(() -> MyNets.mlp(9, 2)).epochs(20),
 *         ParameterAveragingOptions.defaults().workers(8).syncEvery(50));
 * }</pre>
 */
public final class ParameterAveragingTrainer {
    private ParameterAveragingTrainer() {}

    public static TrainingResult fit(Dataset<Row> data, TrainingSpec spec, ParameterAveragingOptions options) {
        int workers = options.workers();
        if (spec.batchSize() % workers != 0) {
            throw new IllegalArgumentException("ParameterAveragingTrainer: the global batch " + spec.batchSize()
                    + " does not split evenly over " + workers + " workers; choose a multiple of " + workers);
        }
        Dataset<Row> columns = data.select(options.featuresCol(), options.labelCol());
        if (columns.rdd().getNumPartitions() != workers) {
            columns = columns.repartition(workers);
        }
        JavaRDD<Row> rows = columns.javaRDD().persist(StorageLevel.MEMORY_ONLY());
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
        try {
            List<Integer> counts = rows.mapPartitions(ParameterAveragingTrainer::count).collect();
            int maxRows = counts.stream().mapToInt(Integer::intValue).max().orElse(0);
            if (counts.contains(0)) {
                throw new IllegalArgumentException("ParameterAveragingTrainer: a partition is empty (rows per"
                        + " partition: " + counts + "); repartition the data so each of the " + workers + " has rows");
            }
            int localBatch = spec.batchSize() / workers;
            int stepsPerEpoch = (maxRows + localBatch - 1) / localBatch;
            int totalSteps = stepsPerEpoch * spec.epochs();

            Tensor.manualSeed(spec.seed());
            FlatState model = FlatState.of(spec.model().create().stateDict());
            FlatState optimizer = null;
            Totals totals = new Totals(spec.epochs());
            List<EpochStats> history = new ArrayList<>();
            long epochStart = System.nanoTime();
            for (int from = 0; from < totalSteps; from += options.syncEvery()) {
                int to = Math.min(totalSteps, from + options.syncEvery());
                Broadcast<Round> round = sc.broadcast(new Round(model, optimizer, from, to, stepsPerEpoch,
                        localBatch, maxRows));
                Partial sum = rows.mapPartitionsWithIndex(new LocalSteps(spec, options, round), false)
                        .treeReduce(new Add(), options.treeDepth());
                round.destroy();
                model = sum.model.dividedBy(workers);
                optimizer = sum.optimizer.dividedBy(workers);
                totals.add(sum);
                for (int e = from / stepsPerEpoch + 1; e <= spec.epochs() && e * stepsPerEpoch <= to; e++) {
                    if (e * stepsPerEpoch > from) {
                        double seconds = (System.nanoTime() - epochStart) / 1e9;
                        epochStart = System.nanoTime();
                        EpochStats s = totals.epoch(e, seconds, stepsPerEpoch);
                        history.add(s);
                        if (options.verbose()) {
                            System.out.printf(Locale.ROOT,
                                    "epoch %d/%d  loss %.4f  accuracy %.2f %%  %d workers  %.2f s  (averaging every"
                                            + " %d steps)%n", e, spec.epochs(), s.loss(), 100 * s.accuracy(),
                                    workers, seconds, options.syncEvery());
                        }
                    }
                }
            }
            Layer trained = spec.model().create();
            trained.loadStateDict(model.toMap(), true);
            return new TrainingResult(StateBytes.of(trained), List.copyOf(history), workers, 0, 0);
        } finally {
            rows.unpersist(false);
        }
    }

    private static Iterator<Integer> count(Iterator<Row> it) {
        int n = 0;
        while (it.hasNext()) {
            it.next();
            n++;
        }
        return List.of(n).iterator();
    }

    /** What every worker starts a round from. */
    private record Round(FlatState model, FlatState optimizer, int from, int to, int stepsPerEpoch, int localBatch,
            int maxRows) implements Serializable {}

    /** A worker's state after its steps, and its per-epoch loss and accuracy sums; partials add up. */
    private record Partial(FlatState model, FlatState optimizer, double[] loss, double[] correct, double[] rows)
            implements Serializable {
        Partial plus(Partial o) {
            return new Partial(model.plus(o.model), optimizer.plus(o.optimizer), add(loss, o.loss),
                    add(correct, o.correct), add(rows, o.rows));
        }

        private static double[] add(double[] a, double[] b) {
            double[] s = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                s[i] = a[i] + b[i];
            }
            return s;
        }
    }

    private static final class Add implements Function2<Partial, Partial, Partial> {
        @Override
        public Partial call(Partial a, Partial b) {
            return a.plus(b);
        }
    }

    /** The driver's running per-epoch sums. */
    private static final class Totals {
        final double[] loss;
        final double[] correct;
        final double[] rows;

        Totals(int epochs) {
            loss = new double[epochs];
            correct = new double[epochs];
            rows = new double[epochs];
        }

        void add(Partial p) {
            for (int i = 0; i < loss.length; i++) {
                loss[i] += p.loss[i];
                correct[i] += p.correct[i];
                rows[i] += p.rows[i];
            }
        }

        EpochStats epoch(int e, double seconds, int steps) {
            double n = Math.max(1, rows[e - 1]);
            return new EpochStats(e, loss[e - 1] / n, correct[e - 1] / n, seconds, steps, 0);
        }
    }

    /** One round on one partition. */
    private static final class LocalSteps
            implements org.apache.spark.api.java.function.Function2<Integer, Iterator<Row>, Iterator<Partial>> {
        private final TrainingSpec spec;
        private final ParameterAveragingOptions options;
        private final Broadcast<Round> round;

        LocalSteps(TrainingSpec spec, ParameterAveragingOptions options, Broadcast<Round> round) {
            this.spec = spec;
            this.options = options;
            this.round = round;
        }

        @Override
        public Iterator<Partial> call(Integer rank, Iterator<Row> it) {
            Round r = round.value();
            LabeledData data = LabeledData.fromRows(it, 0, 1);
            Layer model = spec.model().create();
            model.loadStateDict(r.model().toMap(), true);
            Optimizer optimizer = spec.optimizer().create(model.parameters());
            if (r.optimizer() != null) {
                optimizer.loadStateDict(r.optimizer().toMap());
            }
            model.train();
            int epochs = spec.epochs();
            double[] loss = new double[epochs];
            double[] correct = new double[epochs];
            double[] seen = new double[epochs];
            int[] order = null;
            int orderEpoch = -1;
            for (int step = r.from(); step < r.to(); step++) {
                int epoch = step / r.stepsPerEpoch() + 1;
                if (epoch != orderEpoch) {
                    order = EpochOrder.of(spec.seed(), epoch, rank, data.rows(), r.maxRows(), options.shuffle());
                    orderEpoch = epoch;
                }
                int start = (step % r.stepsPerEpoch()) * r.localBatch();
                int n = Math.min(r.localBatch(), r.maxRows() - start);
                int[] index = java.util.Arrays.copyOfRange(order, start, start + n);
                Tensor y = data.targets(index);
                model.zeroGrad();
                Tensor out = model.forward(data.inputs(index));
                Tensor l = spec.loss().apply(out, y);
                l.backward();
                optimizer.step();
                loss[epoch - 1] += l.item() * n;
                seen[epoch - 1] += n;
                if (out.shape().length == 2) {
                    correct[epoch - 1] += out.argmax(1).eq(y).sum().item();
                }
            }
            Map<String, Tensor> opt = optimizer.stateDict();
            return List.of(new Partial(FlatState.of(model.stateDict()), FlatState.of(opt), loss, correct, seen))
                    .iterator();
        }
    }
}
