package dev.deneb.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.deneb.nn.Activation;
import dev.deneb.nn.Layer;
import dev.deneb.nn.Linear;
import dev.deneb.nn.Losses;
import dev.deneb.nn.Sequential;
import dev.deneb.nn.io.Checkpoint;
import dev.deneb.optim.Adam;
import dev.deneb.optim.CosineAnnealingLR;
import dev.deneb.optim.LRScheduler;
import dev.deneb.optim.OneCycleLR;
import dev.deneb.optim.Optimizer;
import dev.deneb.optim.ParamGroup;
import dev.deneb.optim.ReduceLROnPlateau;
import dev.deneb.optim.StepLR;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A run stopped at a checkpoint and resumed into fresh objects (model, Adam, scheduler) continues exactly like the
 * uninterrupted run: same parameters, same learning rates, bit for bit.
 */
class CheckpointResumeTest {
    private static final int STEPS = 12;
    private static final int STOP = 5;

    @TempDir
    Path dir;

    private final Tensor x = new Generator(3).normal(0, 1, 16, 4);
    private final Tensor y = new Generator(4).randint(0, 3, 16);

    /** Fresh model, its initial state loaded from {@code init} (null: keep the random initialisation). */
    private static Sequential model(Map<String, Tensor> init) {
        Sequential m = new Sequential(new Linear(4, 8), Activation.tanh(), new Linear(8, 3));
        if (init != null) {
            m.loadStateDict(init, true);
        }
        return m;
    }

    /** Two parameter groups, so that per-group base rates and momentum are part of what must resume. */
    private static Adam adam(Sequential m) {
        List<Tensor> p = m.parameters();
        return new Adam(List.of(ParamGroup.of(p.subList(0, 2)).lr(0.02), ParamGroup.of(p.subList(2, 4))),
                Adam.Options.defaults().lr(0.01));
    }

    static Stream<String> schedulers() {
        return Stream.of("StepLR", "CosineAnnealingLR", "OneCycleLR");
    }

    private static LRScheduler scheduler(String name, Optimizer opt) {
        Map<String, Function<Optimizer, LRScheduler>> make = Map.of(
                "StepLR", o -> new StepLR(o, 3, 0.5),
                "CosineAnnealingLR", o -> new CosineAnnealingLR(o, 8, 1e-4),
                "OneCycleLR", o -> new OneCycleLR(o, OneCycleLR.Options.of(0.05, STEPS)));
        return make.get(name).apply(opt);
    }

    private double trainStep(Layer m, Optimizer opt) {
        opt.zeroGrad();
        Tensor loss = Losses.crossEntropy(m.forward(x), y);
        loss.backward();
        opt.step();
        return loss.item();
    }

    private static Map<String, Tensor> copy(Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((k, v) -> out.put(k, v.detach().copy()));
        return out;
    }

    private static double[] rates(Optimizer opt) {
        return opt.paramGroups().stream().mapToDouble(ParamGroup::lr).toArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void resumedRunMatchesTheUninterruptedOneExactly(String name) {
        Map<String, Tensor> init = copy(model(null).stateDict());

        Sequential full = model(init);
        Adam fullOpt = adam(full);
        LRScheduler fullSched = scheduler(name, fullOpt);
        List<double[]> fullRates = new ArrayList<>();
        for (int i = 0; i < STEPS; i++) {
            trainStep(full, fullOpt);
            fullSched.step();
            fullRates.add(rates(fullOpt));
        }

        Sequential first = model(init);
        Adam firstOpt = adam(first);
        LRScheduler firstSched = scheduler(name, firstOpt);
        for (int i = 0; i < STOP; i++) {
            trainStep(first, firstOpt);
            firstSched.step();
        }
        Path file = dir.resolve("run.safetensors");
        Checkpoint.of(first).optimizerState(firstOpt.stateDict()).schedulerState(firstSched.stateDict())
                .epoch(STOP).save(file);

        Sequential resumed = model(null);
        Adam resumedOpt = adam(resumed);
        LRScheduler resumedSched = scheduler(name, resumedOpt);
        Checkpoint c = Checkpoint.load(file);
        c.restore(resumed, true);
        resumedOpt.loadStateDict(c.optimizerState());
        resumedSched.loadStateDict(c.schedulerState());
        assertEquals(STOP, c.epoch());
        assertArrayEquals(fullRates.get(STOP - 1), rates(resumedOpt));
        for (int i = STOP; i < STEPS; i++) {
            trainStep(resumed, resumedOpt);
            resumedSched.step();
            assertArrayEquals(fullRates.get(i), rates(resumedOpt), name + " rates after step " + (i + 1));
            assertArrayEquals(fullRates.get(i), resumedSched.lastLr(), name + " lastLr after step " + (i + 1));
        }
        assertSameParameters(full, resumed);
        assertArrayEquals(hyper(fullOpt), hyper(resumedOpt), name + ": hyper-parameters (OneCycleLR cycles beta1)");
    }

    @Test
    void reduceOnPlateauResumesThroughACheckpoint() {
        Map<String, Tensor> init = copy(model(null).stateDict());
        ReduceLROnPlateau.Options o = ReduceLROnPlateau.Options.defaults().patience(0).factor(0.5).threshold(0.2);

        Sequential full = model(init);
        Adam fullOpt = adam(full);
        ReduceLROnPlateau fullSched = new ReduceLROnPlateau(fullOpt, o);
        List<double[]> fullRates = new ArrayList<>();
        for (int i = 0; i < STEPS; i++) {
            fullSched.step(trainStep(full, fullOpt));
            fullRates.add(rates(fullOpt));
        }
        assertFalse(java.util.Arrays.equals(fullRates.getFirst(), fullRates.getLast()), "the plateau must cut");

        Sequential first = model(init);
        Adam firstOpt = adam(first);
        ReduceLROnPlateau firstSched = new ReduceLROnPlateau(firstOpt, o);
        for (int i = 0; i < STOP; i++) {
            firstSched.step(trainStep(first, firstOpt));
        }
        Path file = dir.resolve("plateau.safetensors");
        Checkpoint.of(first).optimizerState(firstOpt.stateDict()).schedulerState(firstSched.stateDict()).save(file);

        Sequential resumed = model(null);
        Adam resumedOpt = adam(resumed);
        ReduceLROnPlateau resumedSched = new ReduceLROnPlateau(resumedOpt, o);
        Checkpoint c = Checkpoint.load(file);
        c.restore(resumed, true);
        resumedOpt.loadStateDict(c.optimizerState());
        resumedSched.loadStateDict(c.schedulerState());
        for (int i = STOP; i < STEPS; i++) {
            resumedSched.step(trainStep(resumed, resumedOpt));
            assertArrayEquals(fullRates.get(i), rates(resumedOpt), "rates after step " + (i + 1));
        }
        assertSameParameters(full, resumed);
    }

    private static double[] hyper(Optimizer opt) {
        return opt.paramGroups().stream().flatMap(g -> g.hyperParameters().values().stream())
                .mapToDouble(Double::doubleValue).toArray();
    }

    private static void assertSameParameters(Layer expected, Layer actual) {
        Map<String, Tensor> a = expected.stateDict();
        Map<String, Tensor> b = actual.stateDict();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), k);
        }
    }
}
