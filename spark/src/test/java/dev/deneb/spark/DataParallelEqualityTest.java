package dev.deneb.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.dist.Communicator;
import dev.deneb.dist.LocalGroup;
import dev.deneb.nn.Layer;
import dev.deneb.optim.Optimizer;
import dev.deneb.tensor.Tensor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Training on Spark equals the same workers run as threads in this JVM, bit for bit (the reduction order is fixed),
 * and equals single-process training on the global batches within float rounding.
 */
class DataParallelEqualityTest {
    private static final TrainingSpec SPEC = TrainingSpec.of(TinyData::mlp).epochs(3).batchSize(20).seed(11)
            .optimizer(OptimizerFactory.adam(5e-3));

    @Test
    void sparkEqualsThreadsBitForBitAndSingleProcessWithinRounding() throws Exception {
        Dataset<Row> df = TinyData.blobs(LocalSpark.get(), 400, 2, 2).cache();
        List<List<Row>> partitions = df.javaRDD().glom().collect();
        assertEquals(2, partitions.size());
        List<LabeledData> shares = new ArrayList<>();
        for (List<Row> p : partitions) {
            shares.add(LabeledData.fromRows(p.iterator(), 0, 1));
        }

        DataParallelOptions options = DataParallelOptions.defaults().workers(2).verbose(false)
                .timeout(Duration.ofSeconds(60));
        TrainingResult spark = DataParallelTrainer.fit(df, SPEC, options);

        Tensor.manualSeed(SPEC.seed());
        byte[] initial = StateBytes.of(SPEC.model().create());
        List<Communicator> group = LocalGroup.create(2, Duration.ofSeconds(60));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<TrainingResult>> threads = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            int rank = r;
            threads.add(pool.submit(() -> new DataParallelWorker(SPEC, options, group.get(rank), shares.get(rank),
                    initial, 0).run()));
        }
        TrainingResult local = threads.get(0).get();
        threads.get(1).get();
        pool.shutdown();
        Map<String, Tensor> a = StateBytes.read(spark.state());
        Map<String, Tensor> b = StateBytes.read(local.state());
        for (String k : a.keySet()) {
            assertArrayEquals(b.get(k).toFloatArray(), a.get(k).toFloatArray(), "Spark vs threads: " + k);
        }

        Map<String, Tensor> single = singleProcess(initial, shares);
        double worst = 0;
        for (String k : a.keySet()) {
            float[] x = a.get(k).toFloatArray();
            float[] y = single.get(k).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                worst = Math.max(worst, Math.abs(x[i] - y[i]));
            }
        }
        assertTrue(worst < 1e-4, "largest difference from single-process training: " + worst);
    }

    /** One process, each global batch being the workers' batches of that step stacked. */
    private static Map<String, Tensor> singleProcess(byte[] initial, List<LabeledData> shares) {
        Layer model = StateBytes.load(SPEC.model().create(), initial);
        Optimizer opt = SPEC.optimizer().create(model.parameters());
        int local = SPEC.batchSize() / shares.size();
        int rows = Math.max(shares.get(0).rows(), shares.get(1).rows());
        model.train();
        for (int epoch = 1; epoch <= SPEC.epochs(); epoch++) {
            int[][] orders = new int[shares.size()][];
            for (int r = 0; r < shares.size(); r++) {
                orders[r] = EpochOrder.of(SPEC.seed(), epoch, r, shares.get(r).rows(), rows, true);
            }
            for (int from = 0; from < rows; from += local) {
                int n = Math.min(local, rows - from);
                List<Tensor> xs = new ArrayList<>();
                List<Tensor> ys = new ArrayList<>();
                for (int r = 0; r < shares.size(); r++) {
                    int[] idx = java.util.Arrays.copyOfRange(orders[r], from, from + n);
                    xs.add(shares.get(r).inputs(idx));
                    ys.add(shares.get(r).targets(idx));
                }
                model.zeroGrad();
                SPEC.loss().apply(model.forward(Tensor.cat(0, xs)), Tensor.cat(0, ys)).backward();
                opt.step();
            }
        }
        return model.stateDict();
    }
}
