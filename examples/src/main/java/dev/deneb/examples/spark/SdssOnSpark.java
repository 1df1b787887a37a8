package dev.deneb.examples.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;

import dev.deneb.examples.sdss.SdssCommand;
import dev.deneb.examples.sdss.SdssData;
import dev.deneb.examples.sdss.SdssModel;
import dev.deneb.metrics.Metrics;
import dev.deneb.nn.Layer;
import dev.deneb.spark.LabeledData;
import dev.deneb.spark.ModelFactory;
import dev.deneb.spark.OptimizerFactory;
import dev.deneb.spark.TrainingResult;
import dev.deneb.spark.TrainingSpec;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Tensor;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Star vs quasar on Spark: the DR14 CSV read as a DataFrame, colours added as columns, a seeded 80/20 split,
 * features assembled and standardised with Spark ML (statistics of the training split), the MLP 9→64→64→2 trained
 * on the cluster, and the test split scored on the driver.
 */
final class SdssOnSpark {
    private SdssOnSpark() {}

    static void run(SparkSdssCommand c) {
        Path csv = SdssCommand.csvFile(c.data);
        if (csv == null) {
            System.exit(2);
        }
        SparkSession spark = SparkSessions.start("deneb-sdss", c.cluster);
        try {
            Dataset<Row> objects = spark.read().option("header", "true").option("inferSchema", "true")
                    .csv(csv.toString()).filter(col(SdssData.CLASS).isin("STAR", "QSO"))
                    .withColumn("u-g", col("u").minus(col("g"))).withColumn("g-r", col("g").minus(col("r")))
                    .withColumn("r-i", col("r").minus(col("i"))).withColumn("i-z", col("i").minus(col("z")))
                    .withColumn("label", when(col(SdssData.CLASS).equalTo("QSO"), 1.0).otherwise(0.0));
            Dataset<Row> assembled = new VectorAssembler().setInputCols(SdssData.FEATURES.toArray(String[]::new))
                    .setOutputCol("magnitudes").transform(objects);
            Dataset<Row>[] split = assembled.randomSplit(new double[] {0.8, 0.2}, c.seed);
            StandardScalerModel scaler = new StandardScaler().setInputCol("magnitudes").setOutputCol("features")
                    .setWithMean(true).setWithStd(true).fit(split[0]);
            Dataset<Row> train = scaler.transform(split[0]).select("features", "label").cache();
            Dataset<Row> test = scaler.transform(split[1]).select("features", "label");
            long rows = train.count();
            System.out.printf("SDSS star vs quasar: %,d training and %,d test objects, %d workers (%s)%n", rows,
                    test.count(), c.cluster.workers, c.cluster.mode);

            int[] hidden = c.hidden;
            ModelFactory factory = () -> SdssModel.mlp(SdssData.FEATURES.size(), hidden, 0.0, 2);
            TrainingSpec spec = TrainingSpec.of(factory).epochs(c.epochs).batchSize(c.batchSize).seed(c.seed)
                    .optimizer(OptimizerFactory.adam(c.lr));
            long start = System.nanoTime();
            TrainingResult r = SparkSessions.fit(train, spec, c.cluster);
            double seconds = (System.nanoTime() - start) / 1e9;

            LabeledData t = LabeledData.fromRows(test.toLocalIterator(), 0, 1);
            Layer model = r.model(factory);
            model.eval();
            double[] qso = new double[t.rows()];
            long[] pred = new long[t.rows()];
            try (GradMode.Scope s = GradMode.noGrad()) {
                int[] all = new int[t.rows()];
                for (int i = 0; i < all.length; i++) {
                    all[i] = i;
                }
                float[] p = model.forward(t.inputs(all)).softmax(1).toFloatArray();
                for (int i = 0; i < qso.length; i++) {
                    qso[i] = p[2 * i + 1];
                    pred[i] = qso[i] > 0.5 ? 1 : 0;
                }
            }
            System.out.printf(Locale.ROOT, "test: accuracy %.2f %%, balanced accuracy %.2f %%, ROC AUC %.4f"
                            + "  (%.1f s training, %,.0f objects/s)%n",
                    100 * Metrics.accuracy(t.labels(), pred), 100 * Metrics.balancedAccuracy(t.labels(), pred),
                    Metrics.rocAuc(t.labels(), qso), seconds, rows * (double) c.epochs / seconds);
        } finally {
            spark.stop();
        }
    }
}
