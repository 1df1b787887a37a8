package dev.deneb.optim;

import static dev.deneb.optim.OptimizerStateDictTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parameter groups, zeroGrad, skipping parameters without gradients, and bad input. */
class OptimizerBehaviorTest {

    static Tensor param(double... v) {
        return Tensor.of(v, v.length).requiresGrad(true);
    }

    static Tensor grad(double... v) {
        return Tensor.of(v, v.length);
    }

    @Test
    void groupsUseTheirOwnLearningRate() {
        Tensor a = param(1, 2);
        Tensor b = param(1, 2);
        SGD opt = new SGD(List.of(ParamGroup.of(a).lr(0.5), ParamGroup.of(b)), SGD.Options.defaults().lr(0.1));
        a.setGrad(grad(1, -1));
        b.setGrad(grad(1, -1));
        opt.step();
        assertArrayEquals(new double[] {0.5, 2.5}, a.toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {0.9, 2.1}, b.toDoubleArray(), 1e-12);
        assertEquals(0.5, opt.paramGroups().get(0).lr());
        assertEquals(0.1, opt.paramGroups().get(1).lr());
    }

    @Test
    void zeroGradClearsEveryGradient() {
        Tensor a = param(1, 2);
        Tensor b = Tensor.ones(3).requiresGrad(true);
        Adam opt = new Adam(List.of(a, b));
        Tensor loss = a.mul(a).sum().add(b.sum());
        loss.backward();
        assertNotNull(a.grad());
        opt.step();
        opt.zeroGrad();
        assertNull(a.grad());
        assertNull(b.grad());
    }

    @Test
    void paramsWithoutGradientsAreSkipped() {
        for (boolean fused : new boolean[] {true, false}) {
            Tensor a = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
            Tensor b = Tensor.of(new float[] {3, 4}, 2).requiresGrad(true);
            Adam opt = new Adam(List.of(a, b), Adam.Options.defaults().lr(0.1));
            opt.setFused(fused);
            b.setGrad(Tensor.of(new float[] {1, 1}, 2));
            int version = a.storage().version();
            opt.step();
            assertArrayEquals(new float[] {1, 2}, a.toFloatArray());
            assertEquals(version, a.storage().version());
            assertNull(opt.state(a));
            assertEquals(1, opt.state(b).step());
            assertArrayEquals(new float[] {2.9f, 3.9f}, b.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void aTrainingLoopConverges() {
        // minimise |w - target|^2 with a real backward pass; updates must not be recorded on the tape
        Tensor target = Tensor.of(new float[] {1, -2, 3}, 3);
        for (Optimizer opt : List.<java.util.function.Function<Tensor, Optimizer>>of(
                w -> new SGD(List.of(w), SGD.Options.defaults().lr(0.1).momentum(0.9)),
                w -> new Adam(List.of(w), Adam.Options.defaults().lr(0.1)),
                w -> new AdamW(List.of(w), AdamW.Options.defaults().lr(0.1).weightDecay(0)),
                w -> new RMSprop(List.of(w), RMSprop.Options.defaults().lr(0.05)),
                w -> new Adagrad(List.of(w), Adagrad.Options.defaults().lr(0.5)))
                .stream().map(f -> f.apply(Tensor.zeros(3).requiresGrad(true))).toList()) {
            Tensor w = opt.params().getFirst();
            for (int i = 0; i < 300; i++) {
                opt.zeroGrad();
                Tensor d = w.sub(target);
                d.mul(d).sum().backward();
                opt.step();
            }
            assertArrayEquals(target.toFloatArray(), w.toFloatArray(), 0.05f, opt.name());
            assertEquals(DType.F32, w.dtype());
            assertEquals(true, GradMode.isEnabled(), "step() restores grad mode");
        }
    }

    /** As in PyTorch: a frozen parameter (requiresGrad false) is accepted and skipped, even with a stale grad. */
    @Test
    void frozenParametersAreAcceptedAndSkipped() {
        Tensor live = param(1, 2);
        Tensor frozen = param(3, 4);
        live.setGrad(grad(1, 1));
        frozen.setGrad(grad(1, 1));
        frozen.requiresGrad(false);
        for (Optimizer opt : List.of(new SGD(List.of(live, frozen), SGD.Options.defaults().lr(0.5)),
                new Adam(List.of(live, frozen)))) {
            double before = live.get(0);
            opt.step();
            assertEquals(3.0, frozen.get(0));
            assertEquals(4.0, frozen.get(1));
            assertTrue(live.get(0) < before, opt.name() + " still updates the live parameter");
        }
    }

    @Test
    void badInputIsRejectedWithTheOptimizerAndValue() {
        Tensor p = param(1, 2);
        assertMessage(() -> new Adam(List.of(p), Adam.Options.defaults().lr(-0.1)), "Adam", "lr", "-0.1");
        assertMessage(() -> new Adam(List.of(p), Adam.Options.defaults().betas(1.0, 0.999)), "Adam", "beta1", "1.0");
        assertMessage(() -> new AdamW(List.of(p), AdamW.Options.defaults().betas(0.9, -0.1)), "AdamW", "beta2");
        assertMessage(() -> new Adam(List.of(p), Adam.Options.defaults().eps(-1)), "Adam", "eps");
        assertMessage(() -> new SGD(List.of(p), SGD.Options.defaults().weightDecay(-1)), "SGD", "weight_decay");
        assertMessage(() -> new SGD(List.of(p), SGD.Options.defaults().momentum(-0.5)), "SGD", "momentum", "-0.5");
        assertMessage(() -> new SGD(List.of(p), SGD.Options.defaults().nesterov(true)), "SGD", "Nesterov");
        assertMessage(() -> new SGD(List.of(p), SGD.Options.defaults().nesterov(true).momentum(0.9).dampening(0.1)),
                "SGD", "dampening");
        assertMessage(() -> new RMSprop(List.of(p), RMSprop.Options.defaults().alpha(-1)), "RMSprop", "alpha");
        assertMessage(() -> new Adagrad(List.of(p), Adagrad.Options.defaults().lrDecay(-1)), "Adagrad", "lr_decay");
        assertMessage(() -> new Adagrad(List.of(p), Adagrad.Options.defaults().initialAccumulatorValue(-1)),
                "Adagrad", "initial_accumulator_value");
        assertMessage(() -> new Adam(List.<Tensor>of()), "Adam", "empty parameter list");
        assertMessage(() -> new RMSprop(List.of(ParamGroup.of(p), ParamGroup.of()), RMSprop.Options.defaults()),
                "RMSprop", "empty parameter list", "group 1");
        assertMessage(() -> new Adam(List.of(Tensor.zeros(DType.I64, 2))), "Adam", "i64", "floating-point");
        Tensor computed = p.mul(2.0);
        assertMessage(() -> new Adam(List.of(computed)), "Adam", "non-leaf");
        assertMessage(() -> new SGD(List.of(ParamGroup.of(p), ParamGroup.of(p)), SGD.Options.defaults()), "SGD",
                "more than once");
        assertMessage(() -> new SGD(List.of(ParamGroup.of(p).set("beta1", 0.9)), SGD.Options.defaults()), "SGD",
                "unknown hyper-parameter 'beta1'");
        assertMessage(() -> new Adam(List.of(ParamGroup.of(param(1)).lr(-2)), Adam.Options.defaults()),
                "Adam", "lr", "-2", "group 0");

        // values changed after construction are checked at the next step
        Adam opt = new Adam(List.of(p));
        opt.paramGroups().getFirst().lr(-1);
        p.setGrad(grad(1, 1));
        assertMessage(opt::step, "Adam", "lr", "-1");
        assertMessage(() -> opt.paramGroups().getFirst().set("momentum", 0.9), "Adam", "unknown hyper-parameter");
        ParamGroup shared = ParamGroup.of(param(1));
        new SGD(List.of(shared), SGD.Options.defaults());
        assertMessage(() -> new Adam(List.of(shared), Adam.Options.defaults()), "Adam", "another optimizer");
    }
}
