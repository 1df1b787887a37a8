package dev.deneb.examples.spark;

import dev.deneb.data.Mnist;
import dev.deneb.data.Normalize;
import dev.deneb.data.TensorDataset;
import dev.deneb.examples.mnist.MnistModels;
import dev.deneb.nn.Layer;
import dev.deneb.nn.Sequential;
import dev.deneb.spark.EpochStats;
import dev.deneb.spark.ModelFactory;
import dev.deneb.spark.OptimizerFactory;
import dev.deneb.spark.TrainingResult;
import dev.deneb.spark.TrainingSpec;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * MNIST on Spark: the IDX files read on the driver into a DataFrame of 784-float arrays and labels, the MLP or CNN
 * trained on the cluster, the 10,000 test images scored on the driver. Prints the time each step spends averaging
 * gradients and the images per second, the figures to compare 1 and 2 workers.
 */
final class MnistOnSpark {
    private MnistOnSpark() {}

    static void run(SparkMnistCommand c) {
        Path dir = c.data != null ? c.data : Mnist.defaultDirectory();
        TensorDataset trainSet = Mnist.load(dir, true);
        TensorDataset testSet = Mnist.load(dir, false);
        SparkSession spark = SparkSessions.start("deneb-mnist", c.cluster);
        try {
            int n = c.limit > 0 ? Math.min(c.limit, trainSet.size()) : trainSet.size();
            Dataset<Row> train = frame(spark, trainSet, n).repartition(c.cluster.workers).cache();
            train.count();
            ModelFactory factory = "cnn".equals(c.model) ? () -> new Sequential(new Images(), MnistModels.cnn())
                    : MnistModels::mlp;
            if (!"cnn".equals(c.model) && !"mlp".equals(c.model)) {
                throw new IllegalArgumentException("--model must be mlp or cnn, got '" + c.model + "'");
            }
            System.out.printf("MNIST %s on Spark: %,d training images, %d workers (%s), global batch %d%n", c.model, n,
                    c.cluster.workers, c.cluster.mode, c.batchSize);
            TrainingSpec spec = TrainingSpec.of(factory).epochs(c.epochs).batchSize(c.batchSize).seed(c.seed)
                    .optimizer(OptimizerFactory.adam(c.lr));
            TrainingResult r = SparkSessions.fit(train, spec, c.cluster);
            for (EpochStats e : r.history()) {
                System.out.printf(Locale.ROOT, "epoch %d: %.0f images/s, all-reduce %.2f ms of each step%n", e.epoch(),
                        n / e.seconds(), e.allReduceMillis());
            }
            Layer model = r.model(factory);
            model.eval();
            System.out.printf(Locale.ROOT, "test accuracy %.2f %%%n", 100 * accuracy(model, testSet));
        } finally {
            spark.stop();
        }
    }

    /** Rows of (784 normalised pixels, label). */
    private static Dataset<Row> frame(SparkSession spark, TensorDataset set, int n) {
        float[] pixels = Normalize.MNIST.apply(set.inputs().narrow(0, 0, n)).reshape(n, 784).toFloatArray();
        long[] labels = set.targets().narrow(0, 0, n).toLongArray();
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] x = new float[784];
            System.arraycopy(pixels, i * 784, x, 0, 784);
            rows.add(RowFactory.create(x, (double) labels[i]));
        }
        StructType schema = new StructType()
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false))
                .add("label", DataTypes.DoubleType);
        return spark.createDataFrame(rows, schema);
    }

    private static double accuracy(Layer model, TensorDataset test) {
        Tensor x = Normalize.MNIST.apply(test.inputs());
        long[] y = test.targets().toLongArray();
        int correct = 0;
        try (GradMode.Scope s = GradMode.noGrad()) {
            for (int from = 0; from < y.length; from += 1000) {
                int m = Math.min(1000, y.length - from);
                long[] p = model.forward(x.narrow(0, from, m).reshape(m, 784)).argmax(1).toLongArray();
                for (int i = 0; i < m; i++) {
                    correct += p[i] == y[from + i] ? 1 : 0;
                }
            }
        }
        return correct / (double) y.length;
    }

    /** Rows of 784 pixels back to {@code [N, 1, 28, 28]} images for the CNN. */
    static final class Images extends Layer {
        @Override
        public Tensor forward(Tensor x) {
            return x.reshape(x.shape()[0], 1, 28, 28);
        }
    }
}
