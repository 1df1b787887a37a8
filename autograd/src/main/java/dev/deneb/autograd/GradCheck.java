package dev.deneb.autograd;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Checks analytic gradients against central finite differences in f64, element by element of the whole Jacobian
 * (like {@code torch.autograd.gradcheck}): every floating-point input is converted to f64, each output element is
 * back-propagated once, and each input element is nudged by ±eps. An element passes when
 * {@code |analytic - numeric| <= atol + rtol * |numeric|}. Integer inputs (indices, labels) are passed through as
 * constants.
 */
public final class GradCheck {
    private GradCheck() {}

    /** Step and tolerances; {@link #defaults()} are PyTorch's (eps 1e-6, atol 1e-5, rtol 1e-3). */
    public record Options(double eps, double atol, double rtol) {
        public static Options defaults() {
            return new Options(1e-6, 1e-5, 1e-3);
        }
    }

    /** The outcome, with the worst element found (relative to its tolerance). */
    public record Result(boolean passed, int input, int[] inputIndex, int[] outputIndex, double analytic,
                         double numeric, int elementsChecked) {
        /** A one-line report naming the worst element and both values. */
        public String message() {
            if (elementsChecked == 0) {
                return "gradcheck: nothing to check (no floating-point input elements or no outputs)";
            }
            return "gradcheck " + (passed ? "passed" : "FAILED") + ": worst at input " + input + " element "
                    + Arrays.toString(inputIndex) + ", output element " + Arrays.toString(outputIndex)
                    + ": analytic " + analytic + ", numeric " + numeric + " (" + elementsChecked
                    + " Jacobian entries checked)";
        }
    }

    /** Checks with the default options and throws {@link AssertionError} with the report on failure. */
    public static void assertGradients(Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        Result r = check(f, List.of(inputs), Options.defaults());
        if (!r.passed()) {
            throw new AssertionError(r.message());
        }
    }

    /** Second-order check with the default options; throws {@link AssertionError} on failure. */
    public static void assertSecondOrder(Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        Result r = checkSecondOrder(f, List.of(inputs), Options.defaults());
        if (!r.passed()) {
            throw new AssertionError("second order: " + r.message());
        }
    }

    public static Result check(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, Options o) {
        List<Tensor> x = toF64(inputs);
        List<Tensor> vars = leaves(x);
        Tensor y;
        try (GradMode.Scope s = GradMode.enableGrad()) {
            y = f.apply(vars);
        }
        int outN = y.numel();
        int[] outShape = y.shape();
        List<Tensor> diff = new ArrayList<>();
        for (Tensor v : vars) {
            if (v.requiresGrad()) {
                diff.add(v);
            }
        }
        // Analytic Jacobian, one row (output element) per backward pass.
        double[][][] analytic = new double[diff.size()][][];
        for (int i = 0; i < diff.size(); i++) {
            analytic[i] = new double[diff.get(i).numel()][outN];
        }
        for (int j = 0; j < outN && !diff.isEmpty(); j++) {
            double[] seed = new double[outN];
            seed[j] = 1;
            List<Tensor> g = y.requiresGrad()
                    ? Autograd.grad(y, Tensor.of(seed).reshape(outShape).to(y.dtype()), diff, true, false)
                    : zeros(diff);
            for (int i = 0; i < diff.size(); i++) {
                double[] gi = g.get(i).toDoubleArray();
                for (int e = 0; e < gi.length; e++) {
                    analytic[i][e][j] = gi[e];
                }
            }
        }
        // Numeric Jacobian, one column (input element) per pair of evaluations, and the comparison.
        double worstRatio = -1;
        Result worst = null;
        int checked = 0;
        int di = 0;
        for (int in = 0; in < x.size(); in++) {
            if (!x.get(in).dtype().isFloating()) {
                continue;
            }
            double[] base = x.get(in).toDoubleArray();
            int[] shape = x.get(in).shape();
            for (int e = 0; e < base.length; e++) {
                double[] plus = evaluate(f, x, in, base, e, o.eps(), shape);
                double[] minus = evaluate(f, x, in, base, e, -o.eps(), shape);
                for (int j = 0; j < outN; j++) {
                    double numeric = (plus[j] - minus[j]) / (2 * o.eps());
                    double a = analytic[di][e][j];
                    double ratio = Math.abs(a - numeric) / (o.atol() + o.rtol() * Math.abs(numeric));
                    if (Double.isNaN(ratio)) {
                        ratio = Double.POSITIVE_INFINITY;
                    }
                    checked++;
                    if (ratio > worstRatio) {
                        worstRatio = ratio;
                        worst = new Result(ratio <= 1, in, unravel(e, shape), unravel(j, outShape), a, numeric, 0);
                    }
                }
            }
            di++;
        }
        if (worst == null) {
            return new Result(true, -1, new int[0], new int[0], 0, 0, 0);
        }
        return new Result(worstRatio <= 1, worst.input(), worst.inputIndex(), worst.outputIndex(), worst.analytic(),
                worst.numeric(), checked);
    }

    /**
     * Checks the gradient of the gradient: the function {@code x -> J(x)^T v} for a fixed random {@code v} is
     * differentiated with {@code createGraph} and compared with finite differences, as {@code gradgradcheck} does.
     */
    public static Result checkSecondOrder(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, Options o) {
        List<Tensor> x = toF64(inputs);
        int[] outShape;
        try (GradMode.Scope s = GradMode.enableGrad()) {
            outShape = f.apply(leaves(x)).shape();
        }
        Tensor v = new Generator(12345).normal(0, 1, outShape).to(DType.F64);
        Function<List<Tensor>, Tensor> gradOfF = xs -> {
            Tensor y = f.apply(xs);
            List<Tensor> diff = xs.stream().filter(Tensor::requiresGrad).toList();
            List<Tensor> g = Autograd.grad(y, v.to(y.dtype()), diff, true, true);
            List<Tensor> flat = g.stream().map(Tensor::flatten).toList();
            return Tensor.cat(0, flat);
        };
        return check(gradOfF, x, o);
    }

    private static double[] evaluate(Function<List<Tensor>, Tensor> f, List<Tensor> x, int in, double[] base,
                                     int e, double delta, int[] shape) {
        double[] moved = base.clone();
        moved[e] += delta;
        List<Tensor> xs = new ArrayList<>(x);
        xs.set(in, Tensor.of(moved).reshape(shape));
        try (GradMode.Scope s = GradMode.enableGrad()) {
            return f.apply(leaves(xs)).toDoubleArray();
        }
    }

    private static List<Tensor> toF64(List<Tensor> inputs) {
        List<Tensor> out = new ArrayList<>(inputs.size());
        for (Tensor t : inputs) {
            out.add(t.dtype().isFloating() ? t.to(DType.F64).copy() : t);
        }
        return out;
    }

    /** Fresh leaves: floating-point inputs require grad, the others (indices, labels) are constants. */
    private static List<Tensor> leaves(List<Tensor> x) {
        List<Tensor> out = new ArrayList<>(x.size());
        for (Tensor t : x) {
            out.add(t.dtype().isFloating() ? t.detach().requiresGrad(true) : t);
        }
        return out;
    }

    private static List<Tensor> zeros(List<Tensor> like) {
        return like.stream().map(Tensor::zerosLike).toList();
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = shape[d] == 0 ? 0 : flat % shape[d];
            flat = shape[d] == 0 ? 0 : flat / shape[d];
        }
        return idx;
    }
}
