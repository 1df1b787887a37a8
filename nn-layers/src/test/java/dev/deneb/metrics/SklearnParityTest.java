package dev.deneb.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.nn.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every metric against scikit-learn 1.2.1 on the cases of {@code metrics/sklearn_reference.json}, made by
 * {@code nn-layers/src/test/python/make_metrics_reference.py}.
 */
class SklearnParityTest {
    private static final double TOL = 1e-12;

    @SuppressWarnings("unchecked")
    static Stream<Arguments> cases() throws IOException {
        try (InputStream in = SklearnParityTest.class.getResourceAsStream("/metrics/sklearn_reference.json")) {
            Map<String, Object> doc = (Map<String, Object>) Json.parsePython(
                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return ((List<Object>) doc.get("cases")).stream()
                    .map(c -> Arguments.of(((Map<String, Object>) c).get("name"), c));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void matchesScikitLearn(String name, Map<String, Object> c) {
        int k = ((Number) c.get("num_classes")).intValue();
        long[] y = longs(c.get("y_true"));
        long[] pred = longs(c.get("y_pred"));
        Map<String, Object> e = (Map<String, Object>) c.get("expected");

        assertEquals(num(e, "accuracy"), Metrics.accuracy(y, pred), TOL, "accuracy");
        assertEquals(num(e, "balanced_accuracy"), Metrics.balancedAccuracy(y, pred), TOL, "balanced accuracy");
        ConfusionMatrix cm = Metrics.confusionMatrix(y, pred, k);
        assertArrayEquals(matrixLong(e.get("confusion_matrix")), cm.counts(), "confusion matrix");
        assertMatrix(matrix(e.get("confusion_true")), cm.normalized(ConfusionMatrix.Normalization.TRUE), "norm true");
        assertMatrix(matrix(e.get("confusion_pred")), cm.normalized(ConfusionMatrix.Normalization.PRED), "norm pred");
        assertMatrix(matrix(e.get("confusion_all")), cm.normalized(ConfusionMatrix.Normalization.ALL), "norm all");

        assertArrayEquals(doubles(e.get("precision")), Metrics.precision(y, pred, k), TOL, "precision");
        assertArrayEquals(doubles(e.get("recall")), Metrics.recall(y, pred, k), TOL, "recall");
        assertArrayEquals(doubles(e.get("f1")), Metrics.f1(y, pred, k), TOL, "f1");
        ClassificationReport r = Metrics.report(y, pred, k);
        assertEquals(num(e, "macro_precision"), r.macroAvg().precision(), TOL, "macro precision");
        assertEquals(num(e, "macro_recall"), r.macroAvg().recall(), TOL, "macro recall");
        assertEquals(num(e, "macro_f1"), r.macroAvg().f1(), TOL, "macro f1");
        assertEquals(num(e, "weighted_precision"), r.weightedAvg().precision(), TOL, "weighted precision");
        assertEquals(num(e, "weighted_recall"), r.weightedAvg().recall(), TOL, "weighted recall");
        assertEquals(num(e, "weighted_f1"), r.weightedAvg().f1(), TOL, "weighted f1");
        assertEquals(num(e, "macro_f1"), Metrics.f1(y, pred, k, Metrics.Average.MACRO), TOL);
        assertEquals(num(e, "weighted_f1"), Metrics.f1(y, pred, k, Metrics.Average.WEIGHTED), TOL);

        if (c.get("probs") == null) {
            return;
        }
        double[][] probs = matrix(c.get("probs"));
        assertEquals(num(e, "log_loss"), Metrics.logLoss(y, probs), 1e-12, "log loss");
        if (k == 2) {
            double[] score = Checks.column(probs, 1);
            assertEquals(num(e, "log_loss"), Metrics.logLoss(y, score), 1e-12, "binary log loss");
            if (e.containsKey("roc_auc")) {
                assertEquals(num(e, "roc_auc"), Metrics.rocAuc(y, score), TOL, "roc auc");
                assertEquals(num(e, "roc_auc"), Metrics.rocAucOvr(y, probs, Metrics.Average.MACRO), TOL);
            }
            Map<String, Object> roc = (Map<String, Object>) e.get("roc_curve");
            RocCurve curve = RocCurve.of(y, score);
            assertArrayEquals(doubles(roc.get("fpr")), curve.fpr(), TOL, "fpr");
            assertArrayEquals(doubles(roc.get("tpr")), curve.tpr(), TOL, "tpr");
            double[] thr = doubles(roc.get("thresholds"));
            assertEquals(Double.POSITIVE_INFINITY, curve.thresholds()[0]);
            // scikit-learn 1.2 puts max + 1 first; 1.3 and later put +inf, as we do.
            assertArrayEquals(Arrays.copyOfRange(thr, 1, thr.length),
                    Arrays.copyOfRange(curve.thresholds(), 1, curve.size()), TOL, "roc thresholds");
            Map<String, Object> pr = (Map<String, Object>) e.get("pr_curve");
            PrCurve prc = PrCurve.of(y, score);
            assertArrayEquals(doubles(pr.get("precision")), prc.precision(), TOL, "pr precision");
            assertArrayEquals(doubles(pr.get("recall")), prc.recall(), TOL, "pr recall");
            assertArrayEquals(doubles(pr.get("thresholds")), prc.thresholds(), TOL, "pr thresholds");
            assertEquals(num(e, "average_precision"), Metrics.averagePrecision(y, score), TOL, "AP");
            assertEquals(num(e, "average_precision"), Metrics.averagePrecisionOvr(y, probs, Metrics.Average.MACRO),
                    TOL, "AP via ovr");
        } else {
            if (e.containsKey("roc_auc_ovr_macro")) {
                assertEquals(num(e, "roc_auc_ovr_macro"), Metrics.rocAucOvr(y, probs, Metrics.Average.MACRO), TOL);
                assertEquals(num(e, "roc_auc_ovr_weighted"), Metrics.rocAucOvr(y, probs, Metrics.Average.WEIGHTED),
                        TOL);
            }
            assertEquals(num(e, "average_precision_macro"),
                    Metrics.averagePrecisionOvr(y, probs, Metrics.Average.MACRO), TOL, "AP macro");
            assertEquals(num(e, "average_precision_weighted"),
                    Metrics.averagePrecisionOvr(y, probs, Metrics.Average.WEIGHTED), TOL, "AP weighted");
        }
        assertTrue(true);
    }

    private static double num(Map<String, Object> e, String key) {
        Object v = e.get(key);
        if (v == null) {
            throw new AssertionError("fixture has no '" + key + "'");
        }
        return ((Number) v).doubleValue();
    }

    @SuppressWarnings("unchecked")
    private static double[] doubles(Object o) {
        return ((List<Object>) o).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }

    @SuppressWarnings("unchecked")
    private static long[] longs(Object o) {
        return ((List<Object>) o).stream().mapToLong(v -> ((Number) v).longValue()).toArray();
    }

    @SuppressWarnings("unchecked")
    private static double[][] matrix(Object o) {
        return ((List<Object>) o).stream().map(SklearnParityTest::doubles).toArray(double[][]::new);
    }

    @SuppressWarnings("unchecked")
    private static long[][] matrixLong(Object o) {
        return ((List<Object>) o).stream().map(SklearnParityTest::longs).toArray(long[][]::new);
    }

    private static void assertMatrix(double[][] expected, double[][] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], TOL, what + " row " + i);
        }
    }
}
