package dev.deneb.optim;

import static dev.deneb.optim.OptimizerStateDictTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scheduler behaviour beyond the PyTorch fixtures: momentum cycling on Adam, limits, bad input. */
class SchedulerBehaviorTest {

    @Test
    void oneCycleCyclesBeta1OnAdam() {
        Adam opt = new Adam(List.of(Tensor.zeros(2).requiresGrad(true)));
        OneCycleLR s = new OneCycleLR(opt, OneCycleLR.Options.of(0.01, 10));
        ParamGroup g = opt.paramGroups().getFirst();
        assertEquals(0.95, g.get("beta1"), 1e-12);
        assertEquals(0.01 / 25, g.lr(), 1e-15);
        for (int i = 0; i < 9; i++) {
            s.step();
        }
        // the last of the 10 steps ends the cycle: momentum back at its maximum, rate at max_lr / 25 / 1e4
        assertEquals(0.95, g.get("beta1"), 1e-12);
        assertEquals(0.01 / 25 / 1e4, g.lr(), 1e-15);
        assertEquals(0.999, g.get("beta2"));
        s.step(); // PyTorch allows one step more (step == total_steps)
        IllegalStateException e = assertThrows(IllegalStateException.class, s::step);
        assertTrue(e.getMessage().contains("OneCycleLR") && e.getMessage().contains("11"), e.getMessage());
    }

    @Test
    void oneCycleNeedsMomentumToCycle() {
        Adagrad opt = new Adagrad(List.of(Tensor.zeros(2).requiresGrad(true)));
        assertMessage(() -> new OneCycleLR(opt, OneCycleLR.Options.of(0.1, 10)), "OneCycleLR", "Adagrad");
        new OneCycleLR(opt, OneCycleLR.Options.of(0.1, 10).cycleMomentum(false));
        assertEquals(0.1 / 25, opt.paramGroups().getFirst().lr(), 1e-15);
    }

    @Test
    void warmupHelperReachesTheBaseRate() {
        SGD opt = new SGD(List.of(Tensor.zeros(2).requiresGrad(true)), SGD.Options.defaults().lr(0.2));
        LinearLR s = LinearLR.warmup(opt, 0.1, 4);
        double[] seen = new double[6];
        for (int e = 0; e < 6; e++) {
            seen[e] = s.lastLr()[0];
            s.step();
        }
        assertArrayEquals(new double[] {0.02, 0.065, 0.11, 0.155, 0.2, 0.2}, seen, 1e-12);
    }

    @Test
    void badArgumentsAreRejected() {
        SGD opt = SchedulerParityTest.twoGroupSgd();
        assertMessage(() -> new StepLR(opt, 0, 0.1), "StepLR", "0");
        assertMessage(() -> new ExponentialLR(opt, -0.5), "ExponentialLR", "-0.5");
        assertMessage(() -> new MultiStepLR(opt, new int[] {3, -1}, 0.1), "MultiStepLR", "-1");
        assertMessage(() -> new CosineAnnealingLR(opt, 0), "CosineAnnealingLR", "T_max");
        assertMessage(() -> new LinearLR(opt, 0, 1, 5), "LinearLR", "start factor");
        assertMessage(() -> new LinearLR(opt, 0.5, 1.5, 5), "LinearLR", "end factor", "1.5");
        assertMessage(() -> new OneCycleLR(opt, OneCycleLR.Options.of(0.1, 10).pctStart(1.5)), "OneCycleLR", "1.5");
        assertMessage(() -> new OneCycleLR(opt, OneCycleLR.Options.of(0.1, 10).maxLrs(1, 2, 3)), "OneCycleLR",
                "max lr");
        assertMessage(() -> new ReduceLROnPlateau(opt, ReduceLROnPlateau.Options.defaults().factor(1.0)),
                "ReduceLROnPlateau", "factor", "1.0");
        assertMessage(() -> new ReduceLROnPlateau(opt, ReduceLROnPlateau.Options.defaults().patience(-1)),
                "ReduceLROnPlateau", "patience");
    }
}
