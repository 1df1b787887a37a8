package dev.deneb.optim;

import static dev.deneb.optim.OptimizerStateDictTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Scheduler state dicts: a saved and reloaded schedule continues exactly like an uninterrupted one. */
class SchedulerStateDictTest {

    /** A scheduler case: how to build it, how many steps before saving and how many after. */
    record Case(String name, Supplier<Optimizer> optimizer, Function<Optimizer, LRScheduler> scheduler, int before,
                int after) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Adam twoGroupAdam() {
        Tensor a = Tensor.zeros(DType.F64, 2).requiresGrad(true);
        Tensor b = Tensor.zeros(DType.F64, 3).requiresGrad(true);
        return new Adam(List.of(ParamGroup.of(a).lr(0.01), ParamGroup.of(b).lr(0.002)), Adam.Options.defaults());
    }

    static Stream<Case> cases() {
        Supplier<Optimizer> sgd = SchedulerParityTest::twoGroupSgd;
        return Stream.of(
                new Case("StepLR", sgd, o -> new StepLR(o, 3, 0.5), 4, 8),
                new Case("MultiStepLR", sgd, o -> new MultiStepLR(o, new int[] {2, 6, 6, 9}, 0.3), 5, 7),
                new Case("ExponentialLR", sgd, o -> new ExponentialLR(o, 0.8), 3, 6),
                new Case("CosineAnnealingLR", sgd, o -> new CosineAnnealingLR(o, 7, 0.001), 5, 12),
                new Case("LinearLR", sgd, o -> new LinearLR(o, 0.25, 0.9, 6), 2, 7),
                new Case("OneCycleLR (SGD momentum)", sgd,
                        o -> new OneCycleLR(o, OneCycleLR.Options.of(0.5, 20).maxLrs(0.5, 0.2)), 7, 13),
                new Case("OneCycleLR (Adam beta1, three phases, linear)", SchedulerStateDictTest::twoGroupAdam,
                        o -> new OneCycleLR(o, OneCycleLR.Options.of(0.03, 16).threePhase(true)
                                .anneal(OneCycleLR.Anneal.LINEAR)), 9, 7));
    }

    /** Every group's hyper-parameters (rates and the momentum a OneCycleLR cycles), in order. */
    private static double[] hyper(Optimizer o) {
        List<Double> all = new ArrayList<>();
        for (ParamGroup g : o.paramGroups()) {
            all.addAll(g.hyperParameters().values());
        }
        return all.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reloadedScheduleContinuesLikeTheUninterruptedOne(Case c) {
        Optimizer runOpt = c.optimizer().get();
        LRScheduler run = c.scheduler().apply(runOpt);
        for (int i = 0; i < c.before(); i++) {
            run.step();
        }
        Map<String, Tensor> optState = runOpt.stateDict();
        Map<String, Tensor> state = run.stateDict();
        assertEquals(c.before(), (long) state.get("last_epoch").item());
        assertEquals(c.before() + 1, (long) state.get("_step_count").item());
        assertEquals(DType.I64, state.get("last_epoch").dtype());
        assertArrayEquals(run.lastLr(), state.get("_last_lr").toDoubleArray());

        Optimizer resumedOpt = c.optimizer().get();
        LRScheduler resumed = c.scheduler().apply(resumedOpt);
        resumedOpt.loadStateDict(optState);
        resumed.loadStateDict(state);
        assertEquals(run.lastEpoch(), resumed.lastEpoch());
        assertArrayEquals(run.lastLr(), resumed.lastLr());
        assertArrayEquals(hyper(runOpt), hyper(resumedOpt));

        // A scheduler that only got the optimizer's state restarts its schedule: the check below can fail.
        Optimizer restartedOpt = c.optimizer().get();
        LRScheduler restarted = c.scheduler().apply(restartedOpt);
        restartedOpt.loadStateDict(optState);
        boolean differs = false;
        for (int i = 0; i < c.after(); i++) {
            run.step();
            resumed.step();
            restarted.step();
            assertArrayEquals(run.lastLr(), resumed.lastLr(), c.name() + " step " + (c.before() + i + 1));
            assertArrayEquals(hyper(runOpt), hyper(resumedOpt), c.name() + " step " + (c.before() + i + 1));
            differs |= !Arrays.equals(run.lastLr(), restarted.lastLr());
        }
        assertEquals(run.stateDict().keySet(), resumed.stateDict().keySet());
        assertTrue(differs, c.name() + ": without the scheduler state the schedule should differ");
    }

    @Test
    void schedulerBuiltAfterTheOptimizerWasLoadedStillResumes() {
        // Built on a restored optimizer, the scheduler would take the decayed rate as its base; base_lrs fixes it.
        SGD a = SchedulerParityTest.twoGroupSgd();
        CosineAnnealingLR run = new CosineAnnealingLR(a, 10);
        for (int i = 0; i < 4; i++) {
            run.step();
        }
        SGD b = SchedulerParityTest.twoGroupSgd();
        b.loadStateDict(a.stateDict());
        CosineAnnealingLR resumed = new CosineAnnealingLR(b, 10);
        resumed.loadStateDict(run.stateDict());
        for (int i = 0; i < 8; i++) {
            run.step();
            resumed.step();
            assertArrayEquals(run.lastLr(), resumed.lastLr());
        }
    }

    @Test
    void keysUsePyTorchNames() {
        SGD opt = SchedulerParityTest.twoGroupSgd();
        assertEquals(List.of("step_size", "gamma", "last_epoch", "_step_count", "base_lrs", "_last_lr"),
                List.copyOf(new StepLR(opt, 2, 0.1).stateDict().keySet()));
        Map<String, Tensor> cos = new CosineAnnealingLR(SchedulerParityTest.twoGroupSgd(), 5, 0.01).stateDict();
        assertEquals(5, cos.get("T_max").item());
        assertArrayEquals(new double[] {0.1, 0.05}, cos.get("base_lrs").toDoubleArray());
        assertArrayEquals(new long[] {2, 4, 4}, new MultiStepLR(SchedulerParityTest.twoGroupSgd(),
                new int[] {4, 2, 4}, 0.1).stateDict().get("milestones").toLongArray());
    }

    @Test
    void mismatchedStateIsRejectedAndChangesNothing() {
        SGD opt = SchedulerParityTest.twoGroupSgd();
        StepLR s = new StepLR(opt, 3, 0.5);
        s.step();
        Map<String, Tensor> good = s.stateDict();
        StepLR other = new StepLR(SchedulerParityTest.twoGroupSgd(), 3, 0.1);
        double[] lr = other.lastLr();
        assertMessage(() -> other.loadStateDict(good), "StepLR: loadStateDict", "'gamma' is 0.5 in the state dict",
                "but 0.1 in this scheduler");
        assertMessage(() -> new StepLR(SchedulerParityTest.twoGroupSgd(), 4, 0.5).loadStateDict(good),
                "'step_size' is 3 in the state dict but 4");
        assertMessage(() -> new CosineAnnealingLR(SchedulerParityTest.twoGroupSgd(), 5).loadStateDict(good),
                "CosineAnnealingLR: loadStateDict", "no 'T_max'");
        assertMessage(() -> new ExponentialLR(SchedulerParityTest.twoGroupSgd(), 0.5).loadStateDict(good),
                "ExponentialLR: loadStateDict", "unexpected key(s) [step_size]");
        assertMessage(() -> other.loadStateDict(null), "StepLR: loadStateDict", "null");

        SGD oneGroup = new SGD(List.of(Tensor.zeros(2).requiresGrad(true)), SGD.Options.defaults().lr(0.1));
        assertMessage(() -> new StepLR(oneGroup, 3, 0.5).loadStateDict(good), "'base_lrs' has shape [2]",
                "expected [1]");

        StepLR target = new StepLR(SchedulerParityTest.twoGroupSgd(), 3, 0.5);
        assertMessage(() -> target.loadStateDict(with(good, "last_epoch", Tensor.scalar(2.5, DType.F64))),
                "'last_epoch' must be a whole number >= 0, got 2.5");
        assertMessage(() -> target.loadStateDict(with(good, "last_epoch", Tensor.scalar(-3, DType.I64))),
                "'last_epoch' must be a whole number >= 0, got -3");
        assertMessage(() -> target.loadStateDict(with(good, "_step_count", Tensor.scalar(7, DType.I64))),
                "'_step_count' is 7 but 'last_epoch' is 1");
        assertMessage(() -> target.loadStateDict(with(good, "_last_lr", Tensor.zeros(DType.F64, 2, 1))),
                "'_last_lr' has shape [2, 1]");
        assertMessage(() -> target.loadStateDict(with(good, "gamma", Tensor.zeros(2))),
                "'gamma' is [0.0, 0.0] in the state dict but 0.5");
        assertEquals(0, target.lastEpoch());
        assertArrayEquals(lr, other.lastLr());
        assertEquals(0, other.lastEpoch());

        OneCycleLR cycle = new OneCycleLR(SchedulerParityTest.twoGroupSgd(), OneCycleLR.Options.of(0.1, 10));
        Map<String, Tensor> past = with(with(cycle.stateDict(), "last_epoch", Tensor.scalar(11, DType.I64)),
                "_step_count", Tensor.scalar(12, DType.I64));
        assertMessage(() -> cycle.loadStateDict(past), "OneCycleLR", "'last_epoch' is 11", "last step 10");
        assertMessage(() -> new OneCycleLR(SchedulerParityTest.twoGroupSgd(), OneCycleLR.Options.of(0.1, 10)
                .anneal(OneCycleLR.Anneal.LINEAR)).loadStateDict(cycle.stateDict()), "'anneal_strategy' is 0");
    }

    private static Map<String, Tensor> with(Map<String, Tensor> d, String key, Tensor value) {
        Map<String, Tensor> out = new LinkedHashMap<>(d);
        out.put(key, value);
        return out;
    }

    private static final double[] METRICS = {1.0, 0.9, 0.95, 0.96, 0.97, 0.8, 0.85, 0.86, 0.87, 0.88, 0.7, 0.71,
        0.72, 0.73, 0.74, 0.75, 0.76};

    private static ReduceLROnPlateau plateau(Optimizer o) {
        return new ReduceLROnPlateau(o, ReduceLROnPlateau.Options.defaults().patience(1).cooldown(2).factor(0.5));
    }

    @Test
    void reduceOnPlateauResumesBestBadEpochsAndCooldown() {
        int differing = 0;
        for (int before = 1; before < 10; before++) {
            SGD runOpt = SchedulerParityTest.twoGroupSgd();
            ReduceLROnPlateau run = plateau(runOpt);
            for (int e = 0; e < before; e++) {
                run.step(METRICS[e]);
            }
            Map<String, Tensor> state = run.stateDict();
            assertEquals(run.best(), state.get("best").item());
            assertEquals(run.badEpochs(), state.get("num_bad_epochs").item());
            assertEquals(run.cooldownCounter(), state.get("cooldown_counter").item());

            SGD resumedOpt = SchedulerParityTest.twoGroupSgd();
            ReduceLROnPlateau resumed = plateau(resumedOpt);
            resumedOpt.loadStateDict(runOpt.stateDict());
            resumed.loadStateDict(state);
            SGD restartedOpt = SchedulerParityTest.twoGroupSgd();
            ReduceLROnPlateau restarted = plateau(restartedOpt);
            restartedOpt.loadStateDict(runOpt.stateDict());
            for (int e = before; e < METRICS.length; e++) {
                run.step(METRICS[e]);
                resumed.step(METRICS[e]);
                restarted.step(METRICS[e]);
                assertArrayEquals(run.lastLr(), resumed.lastLr(), "saved after " + before + ", epoch " + e);
                assertEquals(run.best(), resumed.best());
                assertEquals(run.badEpochs(), resumed.badEpochs());
                assertEquals(run.cooldownCounter(), resumed.cooldownCounter());
                assertEquals(run.lastEpoch(), resumed.lastEpoch());
                differing += Arrays.equals(run.lastLr(), restarted.lastLr()) ? 0 : 1;
            }
        }
        assertTrue(differing > 0, "without the scheduler state some cuts should come at other epochs");
    }

    @Test
    void reduceOnPlateauRejectsMismatchedState() {
        ReduceLROnPlateau s = plateau(SchedulerParityTest.twoGroupSgd());
        s.step(1.0);
        Map<String, Tensor> good = s.stateDict();
        ReduceLROnPlateau max = new ReduceLROnPlateau(SchedulerParityTest.twoGroupSgd(),
                ReduceLROnPlateau.Options.defaults().patience(1).cooldown(2).factor(0.5)
                        .mode(ReduceLROnPlateau.Mode.MAX));
        assertMessage(() -> max.loadStateDict(good), "ReduceLROnPlateau: loadStateDict", "'mode' is 0");
        ReduceLROnPlateau target = plateau(SchedulerParityTest.twoGroupSgd());
        assertMessage(() -> target.loadStateDict(with(good, "num_bad_epochs", Tensor.scalar(2, DType.I64))),
                "'num_bad_epochs' is 2, more than the patience 1");
        assertMessage(() -> target.loadStateDict(with(good, "cooldown_counter", Tensor.scalar(3, DType.I64))),
                "'cooldown_counter' is 3, more than the cooldown 2");
        assertMessage(() -> target.loadStateDict(with(good, "min_lrs", Tensor.zeros(DType.F64, 3))),
                "'min_lrs' is [0.0, 0.0, 0.0] in the state dict but [0.0, 0.0]");
        Map<String, Tensor> extra = with(good, "_last_lr", Tensor.zeros(DType.F64, 2));
        assertMessage(() -> target.loadStateDict(extra), "unexpected key(s) [_last_lr]");
        assertEquals(Double.POSITIVE_INFINITY, target.best());
        assertEquals(0, target.lastEpoch());
        target.loadStateDict(good);
        assertEquals(1.0, target.best());
        assertFalse(Double.isInfinite(target.best()));
    }
}
