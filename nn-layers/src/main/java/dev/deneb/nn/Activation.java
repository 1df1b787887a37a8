package dev.deneb.nn;

import dev.deneb.tensor.Tensor;
import java.util.function.UnaryOperator;

/**
 * A parameter-free elementwise module; the factories give the usual ones ({@code Activation.relu()} is
 * {@code nn.ReLU()}, {@code Activation.leakyRelu()} is {@code nn.LeakyReLU()}). The learnable-slope variant is
 * {@link PReLU}.
 */
public final class Activation extends Layer {
    private final String name;
    private final UnaryOperator<Tensor> fn;

    public Activation(String name, UnaryOperator<Tensor> fn) {
        this.name = name;
        this.fn = fn;
    }

    public static Activation relu() { return new Activation("ReLU", Tensor::relu); }
    /** {@code nn.LeakyReLU()}: slope 0.01 for negative inputs, PyTorch's default. */
    public static Activation leakyRelu() { return leakyRelu(0.01); }
    /** {@code nn.LeakyReLU(negative_slope)}: x for x &gt; 0, slope·x otherwise. */
    public static Activation leakyRelu(double slope) { return new Activation("LeakyReLU", x -> Functional.leakyRelu(x, slope)); }
    public static Activation elu(double alpha) { return new Activation("ELU", x -> Functional.elu(x, alpha)); }
    public static Activation gelu() { return new Activation("GELU", Tensor::gelu); }
    public static Activation silu() { return new Activation("SiLU", Tensor::silu); }
    public static Activation hardswish() { return new Activation("Hardswish", Tensor::hardswish); }
    public static Activation tanh() { return new Activation("Tanh", Tensor::tanh); }
    public static Activation sigmoid() { return new Activation("Sigmoid", Tensor::sigmoid); }
    public static Activation softmax(int axis) { return new Activation("Softmax", x -> x.softmax(axis)); }
    public static Activation logSoftmax(int axis) { return new Activation("LogSoftmax", x -> x.logSoftmax(axis)); }

    @Override
    public Tensor forward(Tensor input) {
        return fn.apply(input);
    }

    @Override
    public String toString() {
        return name + "()";
    }

    @Override
    protected String typeName() {
        return name;
    }
}
