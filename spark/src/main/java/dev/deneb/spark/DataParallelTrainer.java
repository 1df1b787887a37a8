package dev.deneb.spark;

import dev.deneb.dist.PeerAddress;
import dev.deneb.dist.Rendezvous;
import dev.deneb.dist.TcpCommunicator;
import dev.deneb.dist.TcpOptions;
import dev.deneb.tensor.Tensor;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Data-parallel training on Spark in one barrier stage: Spark launches {@code workers} tasks at once (one per
 * partition), each task announces its address once through {@code BarrierTaskContext.allGather}, the tasks connect
 * in a ring ({@link TcpCommunicator}) and then train, averaging gradients every step without going through Spark.
 * The driver's initial weights reach every task as a Spark broadcast; rank 0's trained weights come back as the
 * task result.
 * <pre>{@code
 * TrainingResult r = DataParallelTrainer.fit(df, TrainingSpec.of(() -> MyNets.mlp(9, 2)).epochs(20),
 *         DataParallelOptions.defaults().workers(4).checkpointDir("hdfs:///tmp/run-1"));
 * Layer model = r.model(() -> MyNets.mlp(9, 2));
 * }</pre>
 * With a checkpoint directory, rank 0 writes a checkpoint after every epoch; if a task fails, Spark retries the whole
 * barrier stage and the new attempt resumes from the last checkpoint. A dead or stuck worker makes the others fail
 * within {@code timeout} with a message naming it, never hang.
 */
public final class DataParallelTrainer {
    private DataParallelTrainer() {}

    /** Trains on {@code data}'s feature and label columns; blocks until the stage finishes. */
    public static TrainingResult fit(Dataset<Row> data, TrainingSpec spec, DataParallelOptions options) {
        Dataset<Row> columns = data.select(options.featuresCol(), options.labelCol());
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
        int slots = sc.defaultParallelism();
        if (options.workers() > slots) {
            throw new IllegalArgumentException("DataParallelTrainer: " + options.workers() + " workers need as many"
                    + " task slots at once, but the cluster offers " + slots + " (spark.default.parallelism);"
                    + " a barrier stage would wait for them: use at most " + slots + " workers");
        }
        if (columns.rdd().getNumPartitions() != options.workers()) {
            columns = columns.repartition(options.workers());
        }
        Tensor.manualSeed(spec.seed());
        Broadcast<byte[]> initial = sc.broadcast(StateBytes.of(spec.model().create()));
        try {
            ClassTag<TrainingResult> tag = ClassTag$.MODULE$.apply(TrainingResult.class);
            RDD<TrainingResult> results = columns.rdd().barrier().mapPartitions(new Task(spec, options, initial),
                    false, tag);
            // Spark retries a failed barrier stage only when it is a shuffle-map stage, never a result stage: the
            // shuffle behind repartition(1) makes the training stage one, so a killed task resumes from the checkpoint.
            List<TrainingResult> all = new JavaRDD<>(results, tag).repartition(1).collect();
            return all.stream().filter(r -> r.state() != null).findFirst().orElseThrow(
                    () -> new IllegalStateException("DataParallelTrainer: no task returned the weights"));
        } finally {
            initial.destroy();
        }
    }

    /** The host part of Spark's {@code host:port} task address. */
    static String hostOf(String address) {
        int colon = address.lastIndexOf(':');
        String host = colon > 0 && address.indexOf(':') == colon ? address.substring(0, colon) : address;
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            host = host.substring(1, end > 0 ? end : host.length());
        }
        return host;
    }

    /** The body of each barrier task. */
    private static final class Task extends AbstractFunction1<Iterator<Row>, Iterator<TrainingResult>>
            implements Serializable {
        private final TrainingSpec spec;
        private final DataParallelOptions options;
        private final Broadcast<byte[]> initial;

        Task(TrainingSpec spec, DataParallelOptions options, Broadcast<byte[]> initial) {
            this.spec = spec;
            this.options = options;
            this.initial = initial;
        }

        @Override
        public Iterator<TrainingResult> apply(Iterator<Row> rows) {
            BarrierTaskContext ctx = BarrierTaskContext.get();
            int rank = ctx.partitionId();
            int size = ctx.getTaskInfos().length;
            LabeledData data = LabeledData.fromRows(CollectionConverters.asJava(rows), 0, 1);
            String host = options.host() != null ? options.host() : hostOf(ctx.getTaskInfos()[rank].address());
            Rendezvous rendezvous = (r, n, mine) -> Arrays.stream(ctx.allGather(mine.toString()))
                    .map(PeerAddress::parse).toList();
            TcpOptions tcp = TcpOptions.defaults().host(host).timeout(options.timeout());
            try (TcpCommunicator comm = TcpCommunicator.connect(rank, size, rendezvous, tcp)) {
                TrainingResult r = new DataParallelWorker(spec, options, comm, data, initial.value(),
                        ctx.stageAttemptNumber()).run();
                return CollectionConverters.asScala(List.of(r).iterator());
            }
        }
    }
}
