package dev.deneb.spark.ml;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.Identifiable;

/**
 * The column params the estimator and its model both have, built in one place so names and docs match (Spark's own
 * shared-param traits are internal to Spark).
 */
final class SharedParams {
    private SharedParams() {}

    static Param<String> featuresCol(Identifiable parent) {
        return new Param<>(parent, "featuresCol", "features column: a Spark ML vector or an array of numbers");
    }

    static Param<String> labelCol(Identifiable parent) {
        return new Param<>(parent, "labelCol", "label column: class indices 0, 1, 2, … as numbers");
    }

    static Param<String> predictionCol(Identifiable parent) {
        return new Param<>(parent, "predictionCol", "output column of the predicted class index (double)");
    }

    static Param<String> probabilityCol(Identifiable parent) {
        return new Param<>(parent, "probabilityCol", "output column of the class probabilities (vector)");
    }

    static Param<String> rawPredictionCol(Identifiable parent) {
        return new Param<>(parent, "rawPredictionCol", "output column of the network's logits (vector)");
    }
}
