package dev.deneb.onnx.runtime;

import dev.deneb.onnx.TensorProtos;
import dev.deneb.nn.Functional;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/** Elementwise operators: arithmetic, comparisons, logic, activations, Where, Clip and Cast. */
final class ElementwiseOps {
    private ElementwiseOps() {}

    static void register(OpRegistry r) {
        unary(r, "Identity", x -> x);
        unary(r, "Neg", Tensor::neg);
        unary(r, "Abs", Tensor::abs);
        unary(r, "Sqrt", Tensor::sqrt);
        unary(r, "Exp", Tensor::exp);
        unary(r, "Log", Tensor::log);
        unary(r, "Reciprocal", Tensor::reciprocal);
        unary(r, "Erf", Tensor::erf);
        unary(r, "Tanh", Tensor::tanh);
        unary(r, "Sigmoid", Tensor::sigmoid);
        unary(r, "Relu", Tensor::relu);
        unary(r, "Sin", Tensor::sin);
        unary(r, "Cos", Tensor::cos);
        unary(r, "Floor", Tensor::floor);
        unary(r, "Ceil", Tensor::ceil);
        unary(r, "Round", Tensor::round);
        unary(r, "Sign", Tensor::sign);
        unary(r, "Softplus", Tensor::softplus);
        unary(r, "Softsign", x -> x.div(x.abs().add(1)));
        unary(r, "HardSwish", Tensor::hardswish);
        unary(r, "Mish", x -> x.mul(x.softplus().tanh()));
        unary(r, "IsNaN", Tensor::isnan);
        unary(r, "Not", x -> bool(x).eq(0));

        r.add("LeakyRelu", 1, 1, c -> one(Functional.leakyRelu(c.input(0), c.floatAttr("alpha", 0.01))));
        r.add("Elu", 1, 1, c -> one(Functional.elu(c.input(0), c.floatAttr("alpha", 1.0))));
        r.add("Selu", 1, 1, c -> one(Functional.elu(c.input(0), c.floatAttr("alpha", 1.67326319217681884765625))
                .mul(c.floatAttr("gamma", 1.05070102214813232421875))));
        r.add("Celu", 1, 1, ElementwiseOps::celu);
        r.add("ThresholdedRelu", 1, 1, c -> {
            Tensor x = c.input(0);
            return one(Tensor.where(x.gt(c.floatAttr("alpha", 1.0)), x, Tensor.zerosLike(x)));
        });
        r.add("Gelu", 1, 1, ElementwiseOps::gelu);
        r.add("HardSigmoid", 1, 1, c -> one(c.input(0).mul(c.floatAttr("alpha", 0.2))
                .add(c.floatAttr("beta", 0.5)).clamp(0, 1)));
        r.add("PRelu", 2, 2, c -> {
            Tensor x = c.input(0);
            return one(Tensor.where(x.lt(0), x.mul(c.input(1)), x));
        });
        r.add("Clip", 1, 3, ElementwiseOps::clip);

        binary(r, "Add", Tensor::add);
        binary(r, "Sub", Tensor::sub);
        binary(r, "Mul", Tensor::mul);
        binary(r, "Div", ElementwiseOps::divide);
        r.add("Pow", 2, 2, c -> {
            Tensor x = c.input(0);
            Tensor y = x.pow(c.input(1));
            // ONNX keeps the base's type (an integer base to a float power stays integer).
            return one(y.dtype() == x.dtype() ? y : y.to(x.dtype()));
        });
        r.add("Mod", 2, 2, c -> one(c.intAttr("fmod", 0) == 1 ? c.input(0).fmod(c.input(1))
                : c.input(0).remainder(c.input(1))));
        binary(r, "Equal", Tensor::eq);
        binary(r, "Less", Tensor::lt);
        binary(r, "LessOrEqual", Tensor::le);
        binary(r, "Greater", Tensor::gt);
        binary(r, "GreaterOrEqual", Tensor::ge);
        binary(r, "And", (a, b) -> bool(a).mul(bool(b)).ne(0));
        binary(r, "Or", (a, b) -> bool(a).add(bool(b)).ne(0));
        binary(r, "Xor", (a, b) -> bool(a).ne(bool(b)));

        variadic(r, "Max", Tensor::maximum);
        variadic(r, "Min", Tensor::minimum);
        variadic(r, "Sum", Tensor::add);
        r.add("Mean", 1, Integer.MAX_VALUE, c -> one(fold(c, Tensor::add).div(c.inputCount())));

        r.add("Where", 3, 3, c -> {
            Tensor cond = c.input(0);
            if (cond.dtype() != DType.BOOL) {
                throw c.error("the condition should be BOOL, got " + cond.dtype());
            }
            return one(Tensor.where(cond, c.input(1), c.input(2)));
        });
        r.add("Cast", 1, 1, c -> {
            long to = c.intAttr("to", -1);
            return one(c.input(0).to(TensorProtos.dtype((int) to, "Cast's 'to' of " + OpCall.describe(c.node()))));
        });
        r.add("CastLike", 2, 2, c -> one(c.input(0).to(c.input(1).dtype())));
    }

    static Tensor[] one(Tensor t) {
        return new Tensor[] {t};
    }

    private static void unary(OpRegistry r, String name, UnaryOperator<Tensor> f) {
        r.add(name, 1, 1, c -> one(f.apply(c.input(0))));
    }

    private static void binary(OpRegistry r, String name, BinaryOperator<Tensor> f) {
        r.add(name, 2, 2, c -> one(f.apply(c.input(0), c.input(1))));
    }

    private static void variadic(OpRegistry r, String name, BinaryOperator<Tensor> f) {
        r.add(name, 1, Integer.MAX_VALUE, c -> one(fold(c, f)));
    }

    private static Tensor fold(OpCall c, BinaryOperator<Tensor> f) {
        List<Tensor> in = c.inputs();
        Tensor acc = c.input(0);
        for (int k = 1; k < in.size(); k++) {
            acc = f.apply(acc, c.input(k));
        }
        return acc;
    }

    /** Booleans as 0/1 integers, so logic can use arithmetic. */
    private static Tensor bool(Tensor t) {
        return t.dtype() == DType.BOOL ? t.to(DType.I32) : t.ne(0).to(DType.I32);
    }

    /** True division for floats; for integers ONNX (like C) truncates toward zero. */
    private static Tensor divide(Tensor a, Tensor b) {
        if (a.dtype().isFloating() || b.dtype().isFloating()) {
            return a.div(b);
        }
        DType type = DType.promote(a.dtype(), b.dtype());
        // a - fmod(a, b) is an exact multiple of b, so the double division is exact (below 2^53).
        Tensor multiple = a.sub(a.fmod(b));
        return multiple.to(DType.F64).div(b.to(DType.F64)).round().to(type);
    }

    private static Tensor[] celu(OpCall c) {
        Tensor x = c.input(0);
        double alpha = c.floatAttr("alpha", 1.0);
        return one(x.relu().add(Functional.elu(x.div(alpha), 1.0).minimum(0.0).mul(alpha)));
    }

    private static Tensor[] gelu(OpCall c) {
        Tensor x = c.input(0);
        String approximate = c.stringAttr("approximate", "none");
        return switch (approximate) {
            case "none" -> one(x.gelu());
            case "tanh" -> {
                Tensor inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
                yield one(x.mul(0.5).mul(inner.tanh().add(1)));
            }
            default -> throw c.error("approximate should be 'none' or 'tanh', got '" + approximate + "'");
        };
    }

    private static Tensor[] clip(OpCall c) {
        Tensor x = c.input(0);
        Tensor min = c.optionalInput(1);
        Tensor max = c.optionalInput(2);
        if (x.dtype().isFloating()) {
            double lo = min == null ? Double.NEGATIVE_INFINITY : c.scalar(1);
            double hi = max == null ? Double.POSITIVE_INFINITY : c.scalar(2);
            // With min > max every element becomes max, as in ONNX and NumPy.
            return one(lo <= hi ? x.clamp(lo, hi) : Tensor.fullLike(x, hi));
        }
        Tensor y = x;
        if (min != null) {
            y = y.maximum(min.to(x.dtype()).reshape());
        }
        if (max != null) {
            y = y.minimum(max.to(x.dtype()).reshape());
        }
        return one(y);
    }
}
