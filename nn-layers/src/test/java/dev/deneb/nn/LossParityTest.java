package dev.deneb.nn;

import static dev.deneb.nn.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.deneb.nn.Losses.BceOptions;
import dev.deneb.nn.Losses.CrossEntropyOptions;
import dev.deneb.nn.Losses.NllOptions;
import dev.deneb.nn.Losses.Reduction;
import dev.deneb.tensor.Tensor;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Forward and backward parity of every loss with PyTorch 1.13 (f32, CPU) on the fixed cases of
 * {@code nn-reference/nn_reference.safetensors}: the loss value (or per-element losses for reduction 'none'), the
 * gradient of the input and, for the regression losses and cross-entropy with class-probability targets, of the
 * target. Tolerance: |deneb − torch| <= 1e-5 + 1e-5·|torch|.
 */
class LossParityTest {
    /** A loss case: input and target variables plus the case name (for weights stored in the fixture). */
    interface LossCase {
        Tensor apply(Tensor input, Tensor target, String name);
    }

    static final Map<String, LossCase> LOSSES = new TreeMap<>();

    private static Tensor w(String name) {
        return Fixtures.get(name, "weight");
    }

    private static Tensor pw(String name) {
        return Fixtures.get(name, "pos_weight");
    }

    private static Tensor ce(Tensor x, Tensor t, CrossEntropyOptions o) {
        return Losses.crossEntropy(x, t.detach(), o);
    }

    static {
        for (Reduction r : Reduction.values()) {
            String s = r.name().toLowerCase();
            LOSSES.put("mse_" + s, (x, t, n) -> Losses.mse(x, t, r));
            LOSSES.put("l1_" + s, (x, t, n) -> Losses.l1(x, t, r));
        }
        LOSSES.put("smoothl1_b05_mean", (x, t, n) -> Losses.smoothL1(x, t, 0.5, Reduction.MEAN));
        LOSSES.put("smoothl1_b10_sum", (x, t, n) -> Losses.smoothL1(x, t, 1.0, Reduction.SUM));
        LOSSES.put("smoothl1_b00_none", (x, t, n) -> Losses.smoothL1(x, t, 0.0, Reduction.NONE));
        LOSSES.put("smoothl1_b20_none", (x, t, n) -> Losses.smoothL1(x, t, 2.0, Reduction.NONE));
        LOSSES.put("huber_d07_mean", (x, t, n) -> Losses.huber(x, t, 0.7, Reduction.MEAN));
        LOSSES.put("huber_d10_sum", (x, t, n) -> Losses.huber(x, t, 1.0, Reduction.SUM));
        LOSSES.put("huber_d20_none", (x, t, n) -> Losses.huber(x, t, 2.0, Reduction.NONE));

        CrossEntropyOptions d = CrossEntropyOptions.defaults();
        LOSSES.put("ce_mean", (x, t, n) -> Losses.crossEntropy(x, t.detach()));
        LOSSES.put("ce_weight", (x, t, n) -> ce(x, t, d.weight(w(n))));
        LOSSES.put("ce_smooth", (x, t, n) -> ce(x, t, d.labelSmoothing(0.2)));
        LOSSES.put("ce_smooth_weight", (x, t, n) -> ce(x, t, d.weight(w(n)).labelSmoothing(0.1)));
        LOSSES.put("ce_ignore", (x, t, n) -> ce(x, t, d));
        LOSSES.put("ce_ignore1_weight_smooth",
                (x, t, n) -> ce(x, t, d.weight(w(n)).ignoreIndex(1).labelSmoothing(0.1)));
        LOSSES.put("ce_sum", (x, t, n) -> ce(x, t, d.reduction(Reduction.SUM)));
        LOSSES.put("ce_none", (x, t, n) -> ce(x, t, d.reduction(Reduction.NONE)));
        LOSSES.put("ce_none_smooth", (x, t, n) -> ce(x, t, d.reduction(Reduction.NONE).labelSmoothing(0.1)));
        LOSSES.put("ce_none_smooth_weight",
                (x, t, n) -> ce(x, t, d.weight(w(n)).reduction(Reduction.NONE).labelSmoothing(0.3)));
        LOSSES.put("ce_kdim_weight", (x, t, n) -> ce(x, t, d.weight(w(n))));

        // Class probabilities as targets: the target keeps its gradient.
        LOSSES.put("ce_prob_mean", (x, t, n) -> Losses.crossEntropy(x, t));
        LOSSES.put("ce_prob_weight", (x, t, n) -> Losses.crossEntropy(x, t, d.weight(w(n))));
        LOSSES.put("ce_prob_smooth", (x, t, n) -> Losses.crossEntropy(x, t, d.labelSmoothing(0.2)));
        LOSSES.put("ce_prob_smooth_weight_mean",
                (x, t, n) -> Losses.crossEntropy(x, t, d.weight(w(n)).labelSmoothing(0.15)));
        LOSSES.put("ce_prob_smooth_weight_sum", (x, t, n) -> Losses.crossEntropy(x, t,
                d.weight(w(n)).labelSmoothing(0.1).reduction(Reduction.SUM)));
        LOSSES.put("ce_prob_smooth_weight_none", (x, t, n) -> Losses.crossEntropy(x, t,
                d.weight(w(n)).labelSmoothing(0.3).reduction(Reduction.NONE)));
        LOSSES.put("ce_prob_unnormalized_sum", (x, t, n) -> Losses.crossEntropy(x, t, d.reduction(Reduction.SUM)));
        LOSSES.put("ce_prob_kdim_weight_smooth",
                (x, t, n) -> Losses.crossEntropy(x, t, d.weight(w(n)).labelSmoothing(0.1)));
        LOSSES.put("ce_prob_kdim2_none", (x, t, n) -> Losses.crossEntropy(x, t, d.reduction(Reduction.NONE)));

        LOSSES.put("nll_mean", (x, t, n) -> Losses.nll(x, t.detach()));
        LOSSES.put("nll_weight_ignore2_sum", (x, t, n) -> Losses.nll(x, t.detach(),
                NllOptions.defaults().weight(w(n)).ignoreIndex(2).reduction(Reduction.SUM)));
        LOSSES.put("nll_weight_mean", (x, t, n) -> Losses.nll(x, t.detach(),
                NllOptions.defaults().weight(w(n))));
        LOSSES.put("nll_none", (x, t, n) -> Losses.nll(x, t.detach(),
                NllOptions.defaults().reduction(Reduction.NONE)));

        LOSSES.put("bce_mean", (x, t, n) -> Losses.bce(x, t));
        LOSSES.put("bce_weight_sum", (x, t, n) -> Losses.bce(x, t,
                BceOptions.defaults().weight(w(n)).reduction(Reduction.SUM)));
        LOSSES.put("bce_none", (x, t, n) -> Losses.bce(x, t, BceOptions.defaults().reduction(Reduction.NONE)));
        LOSSES.put("bcelogits_mean", (x, t, n) -> Losses.bceWithLogits(x, t));
        LOSSES.put("bcelogits_posweight_mean",
                (x, t, n) -> Losses.bceWithLogits(x, t, BceOptions.defaults().posWeight(pw(n))));
        LOSSES.put("bcelogits_weight_posweight_sum",
                (x, t, n) -> Losses.bceWithLogits(x, t,
                        BceOptions.defaults().weight(w(n)).posWeight(pw(n)).reduction(Reduction.SUM)));
        LOSSES.put("bcelogits_none", (x, t, n) -> Losses.bceWithLogits(x, t,
                BceOptions.defaults().reduction(Reduction.NONE)));
    }

    static Stream<String> lossCases() {
        return LOSSES.keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lossCases")
    void valueAndGradientsMatchPyTorch(String name) {
        Tensor input = Fixtures.get(name, "input");
        Tensor target = Fixtures.get(name, "target");
        assertNotNull(input, name + ": no such case in the reference file");
        Tensor gradTarget = Fixtures.get(name, "grad.target");
        Tensor x = input.copy().requiresGrad(true);
        Tensor t = gradTarget != null ? target.copy().requiresGrad(true) : target;
        Tensor y = LOSSES.get(name).apply(x, t, name);
        assertClose(Fixtures.get(name, "output"), y.detach(), name + " value");
        y.backward(Fixtures.get(name, "gout"));
        assertClose(Fixtures.get(name, "grad.input"), x.grad(), name + " grad of the input");
        if (gradTarget != null) {
            assertClose(gradTarget, t.grad(), name + " grad of the target");
        } else {
            assertNull(t.grad(), name + ": labels must not get a gradient");
        }
    }
}
