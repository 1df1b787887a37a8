package dev.deneb.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.nn.Losses.CrossEntropyOptions;
import dev.deneb.nn.Losses.Reduction;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Cross-entropy with class probabilities against the same loss with integer labels, and edge cases. */
class SoftTargetCrossEntropyTest {
    private static final Generator G = new Generator(77);
    private static final long[] LABELS = {2, 0, 3, 1, 2, 3};

    private static Tensor logits() {
        return G.normal(0, 1.5, 6, 4).to(DType.F64);
    }

    private static Tensor oneHot(long[] labels, int classes) {
        double[] v = new double[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            v[i * classes + (int) labels[i]] = 1;
        }
        return Tensor.of(v, labels.length, classes);
    }

    @Test
    void oneHotProbabilitiesGiveTheLabelLossPerSample() {
        Tensor x = logits();
        CrossEntropyOptions o = CrossEntropyOptions.defaults().weight(Tensor.of(new double[] {0.5, 2, 1, 1.5}))
                .labelSmoothing(0.2).reduction(Reduction.NONE);
        Tensor fromLabels = Losses.crossEntropy(x, Tensor.of(LABELS), o);
        Tensor fromProbs = Losses.crossEntropy(x, oneHot(LABELS, 4), o);
        assertArrayEquals(fromLabels.toDoubleArray(), fromProbs.toDoubleArray(), 1e-12);
    }

    @Test
    void weightedMeanDividesByTheNumberOfSamplesNotTheWeights() {
        Tensor x = logits();
        double[] w = {0.5, 2, 1, 1.5};
        CrossEntropyOptions o = CrossEntropyOptions.defaults().weight(Tensor.of(w));
        double labelMean = Losses.crossEntropy(x, Tensor.of(LABELS), o).item();
        double probMean = Losses.crossEntropy(x, oneHot(LABELS, 4), o).item();
        double weightSum = 0;
        for (long l : LABELS) {
            weightSum += w[(int) l];
        }
        assertEquals(labelMean * weightSum / LABELS.length, probMean, 1e-12);
        assertTrue(Math.abs(labelMean - probMean) > 1e-3, "the two means must differ with these weights");
        // Without weights both divide by N.
        assertEquals(Losses.crossEntropy(x, Tensor.of(LABELS)).item(),
                Losses.crossEntropy(x, oneHot(LABELS, 4)).item(), 1e-12);
    }

    @Test
    void targetDTypeFollowsTheLogitsAndEmptyMeanIsNaN() {
        Tensor x = logits().to(DType.F32);
        Tensor loss = Losses.crossEntropy(x, oneHot(LABELS, 4));
        assertEquals(DType.F32, loss.dtype());
        assertEquals(Losses.crossEntropy(x, Tensor.of(LABELS)).item(), loss.item(), 1e-6);
        assertTrue(Double.isNaN(Losses.crossEntropy(Tensor.zeros(0, 4), Tensor.zeros(0, 4)).item()));
        assertEquals(0.0, Losses.crossEntropy(Tensor.zeros(0, 4), Tensor.zeros(0, 4),
                CrossEntropyOptions.defaults().reduction(Reduction.SUM)).item());
    }
}
