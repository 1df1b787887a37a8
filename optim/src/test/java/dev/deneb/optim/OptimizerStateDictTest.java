package dev.deneb.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Save after 3 steps, load into a fresh optimizer, continue: the same as never stopping. Mismatches fail clearly. */
class OptimizerStateDictTest {

    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("SGD", (Function<List<Tensor>, Optimizer>) p -> new SGD(p,
                        SGD.Options.defaults().lr(0.1).momentum(0.9).nesterov(true))),
                Arguments.of("Adam", (Function<List<Tensor>, Optimizer>) p -> new Adam(List.of(
                        ParamGroup.of(p.get(0)).lr(0.02), ParamGroup.of(p.get(1))),
                        Adam.Options.defaults().lr(0.01).amsgrad(true))),
                Arguments.of("AdamW", (Function<List<Tensor>, Optimizer>) p -> new AdamW(p)),
                Arguments.of("RMSprop", (Function<List<Tensor>, Optimizer>) p -> new RMSprop(p,
                        RMSprop.Options.defaults().momentum(0.5).centered(true))),
                Arguments.of("Adagrad", (Function<List<Tensor>, Optimizer>) p -> new Adagrad(p,
                        Adagrad.Options.defaults().lrDecay(0.1))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void roundTripContinuesLikeAnUninterruptedRun(String name, Function<List<Tensor>, Optimizer> make) {
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            List<Tensor> straight = OptimizerParityTest.params(dtype, false);
            Optimizer a = make.apply(straight);
            List<Tensor> resumed = OptimizerParityTest.params(dtype, false);
            Optimizer b = make.apply(resumed);
            for (int k = 0; k < 3; k++) {
                OptimizerParityTest.setGrads(straight, k, dtype);
                OptimizerParityTest.setGrads(resumed, k, dtype);
                a.step();
                b.step();
            }
            Map<String, Tensor> saved = b.stateDict();
            assertEquals(3.0, saved.get("state.1.step").item(), name);
            // a fresh optimizer on fresh parameters holding the saved values, as after a restart
            List<Tensor> fresh = new ArrayList<>();
            for (Tensor v : resumed) {
                fresh.add(v.detach().copy().requiresGrad(true));
            }
            b.step(); // the snapshot must not change when the original moves on
            Optimizer c = make.apply(fresh);
            c.loadStateDict(saved);
            for (int k = 3; k < 5; k++) {
                OptimizerParityTest.setGrads(straight, k, dtype);
                OptimizerParityTest.setGrads(fresh, k, dtype);
                a.step();
                c.step();
            }
            for (int j = 0; j < straight.size(); j++) {
                assertArrayEquals(straight.get(j).toDoubleArray(), fresh.get(j).toDoubleArray(),
                        name + " " + dtype + " param " + j);
            }
        }
    }

    @Test
    void keysAreFlatAndHyperParametersAreRestored() {
        List<Tensor> p = OptimizerParityTest.params(DType.F64, false);
        Adam a = new Adam(List.of(ParamGroup.of(p.get(0)).lr(0.02), ParamGroup.of(p.get(1))),
                Adam.Options.defaults());
        OptimizerParityTest.setGrads(p, 0, DType.F64);
        p.get(0).zeroGrad(); // only parameter 1 gets state
        a.step();
        Map<String, Tensor> d = a.stateDict();
        assertEquals(List.of("group.0.lr", "group.0.beta1", "group.0.beta2", "group.0.eps", "group.0.weight_decay",
                "group.0.amsgrad", "group.0.params", "group.1.lr", "group.1.beta1", "group.1.beta2", "group.1.eps",
                "group.1.weight_decay", "group.1.amsgrad", "group.1.params", "state.1.step", "state.1.exp_avg",
                "state.1.exp_avg_sq"), List.copyOf(d.keySet()));
        assertArrayEquals(new long[] {1}, d.get("group.1.params").toLongArray());

        List<Tensor> q = OptimizerParityTest.params(DType.F64, false);
        Adam b = new Adam(List.of(ParamGroup.of(q.get(0)), ParamGroup.of(q.get(1))), Adam.Options.defaults());
        b.loadStateDict(d);
        assertEquals(0.02, b.paramGroups().get(0).lr());
        assertEquals(1e-3, b.paramGroups().get(1).lr());
        assertNull(b.state(q.get(0)));
        assertEquals(1, b.state(q.get(1)).step());
    }

    @Test
    void mismatchesAreRejectedAndLeaveTheOptimizerAlone() {
        List<Tensor> p = OptimizerParityTest.params(DType.F64, false);
        Adam a = new Adam(p, Adam.Options.defaults());
        OptimizerParityTest.setGrads(p, 0, DType.F64);
        a.step();
        Map<String, Tensor> good = a.stateDict();

        // wrong number of parameters
        Adam one = new Adam(List.of(Tensor.zeros(DType.F64, 3, 4).requiresGrad(true)), Adam.Options.defaults());
        assertMessage(() -> one.loadStateDict(good), "Adam", "state for parameter 1");
        Map<String, Tensor> noState = without(good, "state.");
        assertMessage(() -> one.loadStateDict(noState), "Adam", "2 parameters in the state dict but 1");

        // wrong number of groups
        List<Tensor> q = OptimizerParityTest.params(DType.F64, false);
        Adam two = new Adam(List.of(ParamGroup.of(q.get(0)), ParamGroup.of(q.get(1))), Adam.Options.defaults());
        assertMessage(() -> two.loadStateDict(good), "Adam", "no parameter group 1");

        // shape mismatch
        Map<String, Tensor> badShape = new LinkedHashMap<>(good);
        badShape.put("state.1.exp_avg", Tensor.zeros(DType.F64, 5));
        Adam fresh = new Adam(OptimizerParityTest.params(DType.F64, false), Adam.Options.defaults());
        assertMessage(() -> fresh.loadStateDict(badShape), "state.1.exp_avg", "[5]", "[4]");

        // another optimizer's hyper-parameters
        SGD sgd = new SGD(OptimizerParityTest.params(DType.F64, false), SGD.Options.defaults());
        assertMessage(() -> sgd.loadStateDict(good), "SGD", "beta1");

        // a bad value: nothing changes
        Map<String, Tensor> badLr = new LinkedHashMap<>(good);
        badLr.put("group.0.lr", Tensor.scalar(-1, DType.F64));
        assertMessage(() -> fresh.loadStateDict(badLr), "Adam", "lr", "-1");
        assertEquals(1e-3, fresh.paramGroups().get(0).lr());
        assertNull(fresh.state(fresh.params().get(0)));

        assertMessage(() -> fresh.loadStateDict(Map.of("momentum.0", Tensor.scalar(1))), "unexpected key");
    }

    private static Map<String, Tensor> without(Map<String, Tensor> d, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>(d);
        out.keySet().removeIf(k -> k.startsWith(prefix));
        return out;
    }

    static void assertMessage(Runnable r, String... parts) {
        var e = assertThrows(IllegalArgumentException.class, r::run);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should mention '" + part + "'");
        }
    }
}
