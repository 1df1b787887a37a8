package dev.deneb.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.spark.LocalSpark;
import dev.deneb.spark.TinyData;
import java.util.List;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

class CrossValidationTest {

    @Test
    void crossValidatorPicksTheLearningRateThatLearns() {
        Dataset<Row> data = TinyData.blobs(LocalSpark.get(), 240, 6, 1).cache();
        DenebClassifier clf = new DenebClassifier().setEpochs(3).setBatchSize(16).setSeed(2);
        ParamMap[] grid = new ParamGridBuilder()
                .addGrid(clf.learningRate(), new double[] {1e-6, 3e-2})
                .addGrid(clf.hiddenLayers(), CollectionConverters.asScala(List.of(new int[] {8})))
                .build();
        assertEquals(2, grid.length);
        CrossValidatorModel cv = new CrossValidator().setEstimator(clf).setEstimatorParamMaps(grid)
                .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("accuracy"))
                .setNumFolds(2).setSeed(1).fit(data);

        double[] metrics = cv.avgMetrics();
        assertTrue(metrics[1] > 0.85 && metrics[1] > metrics[0] + 0.2,
                "accuracy with lr 1e-6 " + metrics[0] + ", with 3e-2 " + metrics[1]);
        DenebClassificationModel best = assertInstanceOf(DenebClassificationModel.class, cv.bestModel());
        DenebClassifier parent = assertInstanceOf(DenebClassifier.class, best.parent());
        assertEquals(3e-2, parent.getLearningRate());
        assertArrayEquals(new int[] {8}, parent.getHiddenLayers());
        assertEquals(1e-3, clf.getLearningRate(), "the estimator itself is left as it was");
    }
}
