package dev.deneb.optim;

import static dev.deneb.optim.TorchReference.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every optimizer against PyTorch 1.13 (fixtures from {@code make_optim_reference.py}): two parameters, five steps
 * with fixed gradients, parameters compared after every step. f64 runs the tensor-op path; f32 runs the fused loop,
 * and the tensor-op path too (fused off, or through strided views).
 */
class OptimizerParityTest {
    static final Map<String, Object> FIXTURE = TorchReference.load("optimizers.json");
    static final int[][] SHAPES = {
        TorchReference.ints(TorchReference.list(FIXTURE.get("shapes")).get(0)),
        TorchReference.ints(TorchReference.list(FIXTURE.get("shapes")).get(1)),
    };
    static final List<double[]> INIT = TorchReference.rows(FIXTURE.get("init"));

    enum Path { F64, F32_FUSED, F32_TENSOR_OPS, F32_STRIDED }

    static Stream<String> caseNames() {
        return TorchReference.cases(FIXTURE).stream().map(c -> (String) c.get("name"));
    }

    @ParameterizedTest(name = "{0} f64")
    @MethodSource("caseNames")
    void f64MatchesPyTorch(String name) {
        run(name, Path.F64, 1e-6, 1e-9);
    }

    @ParameterizedTest(name = "{0} f32 fused")
    @MethodSource("caseNames")
    void f32FusedMatchesPyTorch(String name) {
        run(name, Path.F32_FUSED, 1e-5, 1e-6);
    }

    @ParameterizedTest(name = "{0} f32 tensor ops")
    @MethodSource("caseNames")
    void f32TensorOpsMatchesPyTorch(String name) {
        run(name, Path.F32_TENSOR_OPS, 1e-5, 1e-6);
    }

    @ParameterizedTest(name = "{0} f32 strided")
    @MethodSource("caseNames")
    void f32StridedParamsMatchPyTorch(String name) {
        run(name, Path.F32_STRIDED, 1e-5, 1e-6);
    }

    @ParameterizedTest(name = "{0} fused == tensor ops")
    @MethodSource("caseNames")
    void fusedAndTensorOpsPathsAgree(String name) {
        Map<String, Object> c = TorchReference.caseNamed(FIXTURE, name);
        List<Tensor> a = params(DType.F32, false);
        List<Tensor> b = params(DType.F32, false);
        Optimizer fused = build(c, a);
        Optimizer ops = build(c, b);
        ops.setFused(false);
        for (int k = 0; k < 5; k++) {
            setGrads(a, k, DType.F32);
            setGrads(b, k, DType.F32);
            fused.step();
            ops.step();
            for (int j = 0; j < a.size(); j++) {
                assertClose(b.get(j).toDoubleArray(), a.get(j).toDoubleArray(), 1e-6, 1e-7,
                        name + " step " + (k + 1) + " param " + j);
            }
        }
    }

    /** The typed Options records give the same updates as the PyTorch-named group overrides. */
    @Test
    void optionsRecordsMatchPyTorch() {
        checkWithOptions("sgd_nesterov_weight_decay",
                p -> new SGD(p, SGD.Options.defaults().lr(0.05).momentum(0.9).nesterov(true).weightDecay(0.01)));
        checkWithOptions("sgd_momentum_dampening",
                p -> new SGD(p, SGD.Options.defaults().lr(0.1).momentum(0.9).dampening(0.5)));
        checkWithOptions("adam_amsgrad_weight_decay", p -> new Adam(p,
                Adam.Options.defaults().lr(0.01).betas(0.8, 0.99).eps(1e-6).weightDecay(0.1).amsgrad(true)));
        checkWithOptions("adam_groups", p -> new Adam(List.of(ParamGroup.of(p.get(0)).lr(0.02),
                ParamGroup.of(p.get(1)).lr(0.005).weightDecay(0.05)), Adam.Options.defaults().lr(0.01)));
        checkWithOptions("adamw", p -> new AdamW(p, AdamW.Options.defaults().lr(0.01).weightDecay(0.1)));
        checkWithOptions("rmsprop_centered_momentum", p -> new RMSprop(p,
                RMSprop.Options.defaults().lr(0.01).alpha(0.9).momentum(0.8).centered(true).weightDecay(0.05)));
        checkWithOptions("adagrad_lr_decay", p -> new Adagrad(p, Adagrad.Options.defaults().lr(0.1).lrDecay(0.05)
                .weightDecay(0.02).initialAccumulatorValue(0.1).eps(1e-8)));
    }

    private void checkWithOptions(String name, Function<List<Tensor>, Optimizer> make) {
        Map<String, Object> c = TorchReference.caseNamed(FIXTURE, name);
        List<Tensor> p = params(DType.F64, false);
        Optimizer opt = make.apply(p);
        List<Object> steps = TorchReference.list(c.get("steps"));
        for (int k = 0; k < steps.size(); k++) {
            setGrads(p, k, DType.F64);
            opt.step();
            List<double[]> expected = TorchReference.rows(steps.get(k));
            for (int j = 0; j < p.size(); j++) {
                assertClose(expected.get(j), p.get(j).toDoubleArray(), 1e-6, 1e-9,
                        name + " (Options) step " + (k + 1) + " param " + j);
            }
        }
    }

    private void run(String name, Path path, double rtol, double atol) {
        Map<String, Object> c = TorchReference.caseNamed(FIXTURE, name);
        DType dtype = path == Path.F64 ? DType.F64 : DType.F32;
        List<Tensor> p = params(dtype, path == Path.F32_STRIDED);
        Optimizer opt = build(c, p);
        if (path == Path.F32_TENSOR_OPS) {
            opt.setFused(false);
        }
        for (Tensor v : p) {
            // the fused loop needs the raw array; strided views must take the tensor-op path
            assertEquals(dtype == DType.F32 && path != Path.F32_STRIDED, FloatView.of(v.detach()) != null, path.name());
        }
        List<Object> steps = TorchReference.list(c.get("steps"));
        assertEquals(5, steps.size());
        for (int k = 0; k < steps.size(); k++) {
            setGrads(p, k, dtype);
            int version = p.get(0).storage().version();
            opt.step();
            assertEquals(version + 1, p.get(0).storage().version(), "the update bumps the storage version");
            List<double[]> expected = TorchReference.rows(steps.get(k));
            for (int j = 0; j < p.size(); j++) {
                assertClose(expected.get(j), p.get(j).toDoubleArray(), rtol, atol,
                        name + " " + path + " step " + (k + 1) + " param " + j);
            }
        }
    }

    /** The fixture's initial parameters; {@code strided} stores each as a transposed view (not contiguous). */
    static List<Tensor> params(DType dtype, boolean strided) {
        List<Tensor> out = new ArrayList<>();
        for (int j = 0; j < SHAPES.length; j++) {
            Tensor t = TorchReference.tensor(INIT.get(j), SHAPES[j], dtype);
            if (strided && SHAPES[j].length == 2) {
                t = t.t().contiguous().t();
            } else if (strided) {
                // every other element of a buffer twice as long
                Tensor wide = Tensor.zeros(dtype, SHAPES[j][0], 2);
                wide.select(1, 0).copyFrom(t);
                t = wide.select(1, 0);
            }
            out.add(t.requiresGrad(true));
        }
        return out;
    }

    static void setGrads(List<Tensor> params, int step, DType dtype) {
        List<double[]> g = TorchReference.rows(TorchReference.list(FIXTURE.get("grads")).get(step));
        for (int j = 0; j < params.size(); j++) {
            params.get(j).setGrad((TorchReference.tensor(g.get(j), SHAPES[j], dtype)));
        }
    }

    /** The case's optimizer, with its options given as PyTorch-named overrides on the parameter groups. */
    static Optimizer build(Map<String, Object> c, List<Tensor> params) {
        Map<String, Object> options = TorchReference.map(c.get("options"));
        List<ParamGroup> groups = new ArrayList<>();
        if (c.get("groups") == null) {
            groups.add(override(ParamGroup.of(params), options));
        } else {
            List<Object> perGroup = TorchReference.list(c.get("groups"));
            for (int j = 0; j < perGroup.size(); j++) {
                groups.add(override(override(ParamGroup.of(params.get(j)), options),
                        TorchReference.map(perGroup.get(j))));
            }
        }
        return switch ((String) c.get("optimizer")) {
            case "SGD" -> new SGD(groups, SGD.Options.defaults());
            case "Adam" -> new Adam(groups, Adam.Options.defaults());
            case "AdamW" -> new AdamW(groups, AdamW.Options.defaults());
            case "RMSprop" -> new RMSprop(groups, RMSprop.Options.defaults());
            case "Adagrad" -> new Adagrad(groups, Adagrad.Options.defaults());
            default -> throw new IllegalArgumentException("unknown optimizer " + c.get("optimizer"));
        };
    }

    private static ParamGroup override(ParamGroup g, Map<String, Object> options) {
        options.forEach((k, v) -> {
            if (v instanceof Boolean b) {
                g.set(k, b);
            } else {
                g.set(k, ((Number) v).doubleValue());
            }
        });
        return g;
    }
}
