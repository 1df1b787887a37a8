package dev.deneb.optim;

import static dev.deneb.optim.TorchReference.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each scheduler's learning rates, epoch by epoch, against PyTorch 1.13, on an SGD optimizer with two groups
 * (lr 0.1 and 0.05, momentum 0.9). OneCycleLR's momentum is compared too.
 */
class SchedulerParityTest {
    static final Map<String, Object> FIXTURE = TorchReference.load("schedulers.json");

    static Stream<String> caseNames() {
        return TorchReference.cases(FIXTURE).stream().map(c -> (String) c.get("name"));
    }

    static SGD twoGroupSgd() {
        Tensor a = Tensor.zeros(DType.F64, 2).requiresGrad(true);
        Tensor b = Tensor.zeros(DType.F64, 3).requiresGrad(true);
        return new SGD(List.of(ParamGroup.of(a).lr(0.1), ParamGroup.of(b).lr(0.05)),
                SGD.Options.defaults().lr(0.1).momentum(0.9));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("caseNames")
    void matchesPyTorch(String name) {
        Map<String, Object> c = TorchReference.caseNamed(FIXTURE, name);
        Map<String, Object> o = TorchReference.map(c.get("options"));
        List<double[]> expected = TorchReference.rows(c.get("lrs"));
        SGD opt = twoGroupSgd();
        if (c.get("scheduler").equals("ReduceLROnPlateau")) {
            ReduceLROnPlateau s = new ReduceLROnPlateau(opt, plateauOptions(o));
            double[] metrics = TorchReference.doubles(c.get("metrics"));
            for (int e = 0; e < metrics.length; e++) {
                s.step(metrics[e]);
                assertClose(expected.get(e), s.lastLr(), 1e-9, 1e-15, name + " epoch " + (e + 1));
            }
            return;
        }
        LRScheduler s = scheduler((String) c.get("scheduler"), opt, o);
        List<double[]> momentum = c.containsKey("momentum") ? TorchReference.rows(c.get("momentum")) : null;
        for (int e = 0; e < expected.size(); e++) {
            if (e > 0) {
                opt.step();
                s.step();
            }
            assertEquals(e, s.lastEpoch());
            assertClose(expected.get(e), s.lastLr(), 1e-6, 1e-12, name + " epoch " + e);
            assertClose(expected.get(e), new double[] {opt.paramGroups().get(0).lr(), opt.paramGroups().get(1).lr()},
                    1e-6, 1e-12, name + " group lr, epoch " + e);
            if (momentum != null) {
                double[] m = {opt.paramGroups().get(0).get("momentum"), opt.paramGroups().get(1).get("momentum")};
                assertClose(momentum.get(e), m, 1e-6, 1e-12, name + " momentum, epoch " + e);
            }
        }
    }

    static LRScheduler scheduler(String kind, Optimizer opt, Map<String, Object> o) {
        return switch (kind) {
            case "StepLR" -> new StepLR(opt, num(o, "step_size").intValue(), num(o, "gamma").doubleValue());
            case "MultiStepLR" -> new MultiStepLR(opt, TorchReference.ints(o.get("milestones")),
                    num(o, "gamma").doubleValue());
            case "ExponentialLR" -> new ExponentialLR(opt, num(o, "gamma").doubleValue());
            case "CosineAnnealingLR" -> new CosineAnnealingLR(opt, num(o, "t_max").intValue(),
                    num(o, "eta_min").doubleValue());
            case "LinearLR" -> new LinearLR(opt, num(o, "start_factor").doubleValue(),
                    num(o, "end_factor").doubleValue(), num(o, "total_iters").intValue());
            case "OneCycleLR" -> {
                var opts = OneCycleLR.Options.of(1, num(o, "total_steps").intValue())
                        .maxLrs(TorchReference.doubles(o.get("max_lr")));
                if (o.containsKey("pct_start")) {
                    opts = opts.pctStart(num(o, "pct_start").doubleValue())
                            .anneal(OneCycleLR.Anneal.valueOf(((String) o.get("anneal_strategy")).toUpperCase()))
                            .divFactor(num(o, "div_factor").doubleValue())
                            .finalDivFactor(num(o, "final_div_factor").doubleValue())
                            .threePhase((Boolean) o.get("three_phase"))
                            .momentum(num(o, "base_momentum").doubleValue(), num(o, "max_momentum").doubleValue());
                }
                yield new OneCycleLR(opt, opts);
            }
            default -> throw new IllegalArgumentException("unknown scheduler " + kind);
        };
    }

    static ReduceLROnPlateau.Options plateauOptions(Map<String, Object> o) {
        return ReduceLROnPlateau.Options.defaults()
                .mode(ReduceLROnPlateau.Mode.valueOf(((String) o.get("mode")).toUpperCase()))
                .factor(num(o, "factor").doubleValue())
                .patience(num(o, "patience").intValue())
                .threshold(num(o, "threshold").doubleValue())
                .thresholdMode(ReduceLROnPlateau.ThresholdMode.valueOf(((String) o.get("threshold_mode")).toUpperCase()))
                .cooldown(num(o, "cooldown").intValue())
                .minLr(num(o, "min_lr").doubleValue());
    }

    private static Number num(Map<String, Object> o, String key) {
        return (Number) o.get(key);
    }
}
