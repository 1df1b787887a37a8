package dev.deneb.spark;

import dev.deneb.nn.Activation;
import dev.deneb.nn.Layer;
import dev.deneb.nn.Linear;
import dev.deneb.nn.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Small seeded classification data for the Spark tests: three Gaussian blobs in 4 dimensions. */
public final class TinyData {
    private TinyData() {}

    public static final int FEATURES = 4;
    public static final int CLASSES = 3;

    /** {@code n} rows with {@code features} (vector) and {@code label} (double class index). */
    public static Dataset<Row> blobs(SparkSession spark, int n, long seed, int partitions) {
        List<Row> rows = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            int c = i % CLASSES;
            double[] x = new double[FEATURES];
            for (int j = 0; j < FEATURES; j++) {
                x[j] = (j == c ? 2.0 : 0.0) + r.nextGaussian() * 0.7;
            }
            rows.add(RowFactory.create(Vectors.dense(x), (double) c));
        }
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("label",
                DataTypes.DoubleType);
        return spark.createDataFrame(rows, schema).repartition(partitions);
    }

    /** A small MLP for the blobs. */
    public static Layer mlp() {
        return new Sequential(new Linear(FEATURES, 16), Activation.relu(), new Linear(16, CLASSES));
    }
}
