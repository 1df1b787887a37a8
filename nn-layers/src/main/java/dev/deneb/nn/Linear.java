package dev.deneb.nn;

import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;

/**
 * {@code y = x·Wᵀ + b}; W is {@code [out, in]}, initialised like PyTorch: U(-1/sqrt(in), 1/sqrt(in)).
 *
 * <pre>{@code
 * new Linear(784, 256);
 * new Linear(784, 256, Linear.Options.defaults().bias(false).generator(new Generator(1)));
 * }</pre>
 */
public final class Linear extends Layer {
    /**
     * PyTorch's keyword arguments of {@code nn.Linear}; setters return a new record.
     *
     * @param bias      whether the layer learns an additive bias (PyTorch's default: true)
     * @param generator the source of the initial weights (default: the global generator)
     */
    public record Options(boolean bias, Generator generator) {
        public Options {
            OptionChecks.requireGenerator("Linear.Options", generator);
        }

        /** Bias on, weights from the global generator. */
        public static Options defaults() {
            return new Options(true, Generator.global());
        }

        public Options bias(boolean on) {
            return new Options(on, generator);
        }

        public Options generator(Generator g) {
            return new Options(bias, g);
        }
    }

    public final int inFeatures;
    public final int outFeatures;
    public final Tensor weight;
    public final Tensor bias;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, Options.defaults());
    }

    public Linear(int inFeatures, int outFeatures, Options options) {
        OptionChecks.requireOptions("Linear", options);
        if (inFeatures < 1 || outFeatures < 1) {
            throw new IllegalArgumentException("Linear: feature counts must be >= 1, got in=" + inFeatures + ", out="
                    + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        Generator g = options.generator();
        double bound = 1 / Math.sqrt(inFeatures);
        this.weight = registerParameter("weight", Init.kaimingUniform(g, Math.sqrt(5), Init.FanMode.FAN_IN,
                outFeatures, inFeatures));
        this.bias = options.bias() ? registerParameter("bias", Init.uniform(g, -bound, bound, outFeatures)) : null;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.linear(input, weight, bias);
    }

    @Override
    protected String describe() {
        return "in=" + inFeatures + ", out=" + outFeatures + (bias == null ? ", bias=false" : "");
    }
}
