package dev.deneb.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Metrics against values worked out by hand (and the examples of scikit-learn's documentation). */
class MetricsTest {
    private static final double TOL = 1e-12;

    @Test
    void rocCurveOfTheScikitLearnDocExample() {
        // roc_curve([1, 1, 2, 2], [0.1, 0.4, 0.35, 0.8], pos_label=2)
        RocCurve roc = RocCurve.of(new long[] {1, 1, 2, 2}, new double[] {0.1, 0.4, 0.35, 0.8}, 2);
        assertArrayEquals(new double[] {0, 0, 0.5, 0.5, 1}, roc.fpr(), TOL);
        assertArrayEquals(new double[] {0, 0.5, 0.5, 1, 1}, roc.tpr(), TOL);
        assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, 0.8, 0.4, 0.35, 0.1}, roc.thresholds(), TOL);
        assertEquals(0.75, roc.auc(), TOL);
    }

    @Test
    void precisionRecallCurveAndAveragePrecisionByHand() {
        long[] y = {0, 0, 1, 1};
        double[] s = {0.1, 0.4, 0.35, 0.8};
        PrCurve pr = PrCurve.of(y, s);
        assertArrayEquals(new double[] {0.5, 2.0 / 3, 0.5, 1, 1}, pr.precision(), TOL);
        assertArrayEquals(new double[] {1, 1, 0.5, 0.5, 0}, pr.recall(), TOL);
        assertArrayEquals(new double[] {0.1, 0.35, 0.4, 0.8}, pr.thresholds(), TOL);
        // AP = (1 - 0.5)·2/3 + (0.5 - 0)·1 = 0.8333…
        assertEquals(0.5 * 2 / 3 + 0.5, pr.averagePrecision(), TOL);
        assertEquals(0.75, Metrics.rocAuc(y, s), TOL);
    }

    @Test
    void tiedScoresFormOneThresholdWhateverTheOrder() {
        // A positive and a negative tied at 0.5 count as half a correct ordering.
        assertEquals(0.5, Metrics.rocAuc(new long[] {0, 1}, new double[] {0.5, 0.5}), TOL);
        assertEquals(0.5, Metrics.rocAuc(new long[] {1, 0}, new double[] {0.5, 0.5}), TOL);
        // y = 0 1 1 0 with scores .2 .6 .6 .6: pairs (pos, neg): 0.6>0.2 twice, ties twice → (2 + 1) / 4.
        long[] y = {0, 1, 1, 0};
        double[] s = {0.2, 0.6, 0.6, 0.6};
        assertEquals(0.75, Metrics.rocAuc(y, s), TOL);
        assertEquals(3, RocCurve.of(y, s).size()); // +inf, 0.6, 0.2
        // Precision at the tied threshold 0.6 is 2/3, then 2/4 at 0.2: AP = (1 - 0)·2/3.
        assertEquals(2.0 / 3, Metrics.averagePrecision(y, s), TOL);
    }

    @Test
    void singleClassLabels() {
        assertThrows(IllegalArgumentException.class,
                () -> Metrics.rocAuc(new long[] {1, 1, 1}, new double[] {0.2, 0.5, 0.9}));
        RocCurve roc = RocCurve.of(new long[] {1, 1, 1}, new double[] {0.2, 0.5, 0.9});
        assertTrue(Double.isNaN(roc.fpr()[1]) && Double.isNaN(roc.auc()));
        assertEquals(1.0, Metrics.averagePrecision(new long[] {1, 1}, new double[] {0.3, 0.7}), TOL);
        assertEquals(0.0, Metrics.averagePrecision(new long[] {0, 0}, new double[] {0.3, 0.7}), TOL);
        long[] ones = {1, 1, 1};
        assertEquals(1.0, Metrics.accuracy(ones, ones));
        assertEquals(1.0, Metrics.balancedAccuracy(ones, ones));
        // Class 0 never occurs and is never predicted: precision and recall 0 by zero_division, F1 0.
        assertArrayEquals(new double[] {0, 1}, Metrics.precision(ones, ones, 2), TOL);
        assertArrayEquals(new double[] {0, 1}, Metrics.f1(ones, ones, 2), TOL);
        assertThrows(IllegalArgumentException.class, () -> Metrics.rocAucOvr(new long[] {0, 1, 1},
                new double[][] {{.5, .3, .2}, {.1, .8, .1}, {.2, .2, .6}}, Metrics.Average.MACRO));
    }

    @Test
    void classNeverPredicted() {
        long[] y = {0, 1, 2, 2};
        long[] p = {0, 1, 1, 0};
        assertArrayEquals(new double[] {0.5, 0.5, 0}, Metrics.precision(y, p, 3), TOL);
        assertArrayEquals(new double[] {1, 1, 0}, Metrics.recall(y, p, 3), TOL);
        assertArrayEquals(new double[] {2.0 / 3, 2.0 / 3, 0}, Metrics.f1(y, p, 3), TOL);
        assertEquals(2.0 / 3, Metrics.balancedAccuracy(y, p), TOL);
        assertEquals(4.0 / 9, Metrics.f1(y, p, 3, Metrics.Average.MACRO), TOL);
        assertEquals((2.0 / 3 + 2.0 / 3) / 4, Metrics.f1(y, p, 3, Metrics.Average.WEIGHTED), TOL);
    }

    @Test
    void logLossByHandAndClipping() {
        double expected = -(Math.log(0.9) + Math.log(0.8)) / 2;
        assertEquals(expected, Metrics.logLoss(new long[] {0, 1}, new double[][] {{0.9, 0.1}, {0.2, 0.8}}), TOL);
        assertEquals(expected, Metrics.logLoss(new long[] {0, 1}, new double[] {0.1, 0.8}), TOL);
        // A confident mistake costs -log(eps), not infinity.
        assertEquals(-Math.log(Metrics.EPS_F64), Metrics.logLoss(new long[] {1}, new double[] {0.0}), 1e-9);
        // f32 tensors clip with the f32 epsilon.
        Tensor probs = Tensor.of(new float[] {1, 0}, 1, 2);
        assertEquals(-Math.log(Metrics.EPS_F32), Metrics.logLoss(Tensor.of(new long[] {1}, 1), probs), 1e-6);
    }

    @Test
    void tensorOverloads() {
        Tensor y = Tensor.of(new long[] {0, 1, 1, 0}, 4);
        Tensor probs = Tensor.of(new float[] {.8f, .2f, .3f, .7f, .6f, .4f, .9f, .1f}, 4, 2);
        long[] pred = Metrics.argmax(Metrics.rows(probs));
        assertArrayEquals(new long[] {0, 1, 0, 0}, pred);
        assertEquals(0.75, Metrics.accuracy(y, Tensor.of(pred, 4)), TOL);
        assertEquals(0.75, Metrics.balancedAccuracy(y, Tensor.of(pred, 4)), TOL);
        assertEquals(1.0, Metrics.rocAuc(y, probs), TOL);
        assertEquals(1, Metrics.confusionMatrix(y, Tensor.of(pred, 4), 2).count(1, 0));
    }

    @Test
    void tablesAreLabelled() {
        long[] y = {0, 0, 1, 1, 1};
        long[] p = {0, 1, 1, 1, 0};
        ConfusionMatrix cm = ConfusionMatrix.of(y, p, 2);
        String table = cm.toTable(List.of("STAR", "QSO"));
        assertEquals("""
                true \\ pred   STAR    QSO
                STAR             1      1
                QSO              1      2
                """, table);
        String rates = cm.toTable(List.of("STAR", "QSO"), ConfusionMatrix.Normalization.TRUE);
        assertTrue(rates.contains("0.667"), rates);
        String report = ClassificationReport.of(y, p, List.of("STAR", "QSO")).toTable(2);
        assertTrue(report.contains("precision") && report.contains("macro avg") && report.contains("weighted avg")
                && report.contains("STAR") && report.contains("QSO"), report);
        assertTrue(report.lines().anyMatch(l -> l.strip().startsWith("QSO") && l.contains("0.67")
                && l.strip().endsWith("3")), report);
    }

    @Test
    void badInputsAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Metrics.accuracy(new long[] {0, 1}, new long[] {0}));
        assertTrue(e.getMessage().contains("differ in length"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Metrics.confusionMatrix(new long[] {0, 3}, new long[] {0, 1}, 2));
        assertTrue(e.getMessage().contains("3 is not a class"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Metrics.accuracy(new long[0], new long[0]));
        assertThrows(IllegalArgumentException.class,
                () -> Metrics.rocAuc(new long[] {0, 1}, new double[] {0.1, Double.NaN}));
        assertThrows(IllegalArgumentException.class,
                () -> Metrics.logLoss(new long[] {0}, new double[][] {{1.0}}));
    }
}
