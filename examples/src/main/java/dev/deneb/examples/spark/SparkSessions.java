package dev.deneb.examples.spark;

import dev.deneb.spark.DataParallelOptions;
import dev.deneb.spark.DataParallelTrainer;
import dev.deneb.spark.ParameterAveragingOptions;
import dev.deneb.spark.ParameterAveragingTrainer;
import dev.deneb.spark.TrainingResult;
import dev.deneb.spark.TrainingSpec;
import dev.deneb.tensor.Threads;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Starting Spark for an example, and training in the mode the options name. */
final class SparkSessions {
    private SparkSessions() {}

    /** A session on {@code --master}, else spark-submit's master, else {@code local[2]}; Spark logs at WARN. */
    static SparkSession start(String app, ClusterOptions o) {
        if (o.threads != null) {
            Threads.set(o.threads);
        }
        SparkSession.Builder b = SparkSession.builder().appName(app).config("spark.ui.showConsoleProgress", "false");
        if (o.master != null) {
            b.master(o.master);
        } else if (!new SparkConf().contains("spark.master")) {
            b.master("local[2]");
        }
        SparkSession s = b.getOrCreate();
        s.sparkContext().setLogLevel("WARN");
        System.out.printf("Spark %s, master %s, %d task slots%n", s.version(), s.sparkContext().master(),
                s.sparkContext().defaultParallelism());
        return s;
    }

    static TrainingResult fit(Dataset<Row> train, TrainingSpec spec, ClusterOptions o) {
        return switch (o.mode) {
            case "ddp" -> DataParallelTrainer.fit(train, spec, DataParallelOptions.defaults().workers(o.workers)
                    .checkpointDir(o.checkpointDir));
            case "averaging" -> ParameterAveragingTrainer.fit(train, spec,
                    ParameterAveragingOptions.defaults().workers(o.workers).syncEvery(o.syncEvery));
            default -> throw new IllegalArgumentException("--mode must be ddp or averaging, got '" + o.mode + "'");
        };
    }
}
