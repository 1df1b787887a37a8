package dev.deneb.nn;

import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;

/**
 * Zeroes elements with probability p while training (scaling the rest by 1/(1-p)); the identity in eval mode.
 *
 * <pre>{@code
 * new Dropout(0.1);
 * new Dropout(0.1, Dropout.Options.defaults().generator(new Generator(1)));
 * }</pre>
 */
public final class Dropout extends Layer {
    /**
     * Options of {@code nn.Dropout} beyond p; setters return a new record.
     *
     * @param generator the source of the dropout masks (default: the global generator)
     */
    public record Options(Generator generator) {
        public Options {
            OptionChecks.requireGenerator("Dropout.Options", generator);
        }

        /** Masks from the global generator. */
        public static Options defaults() {
            return new Options(Generator.global());
        }

        public Options generator(Generator g) {
            return new Options(g);
        }
    }

    public final double p;
    private final Generator generator;

    /** p = 0.5, PyTorch's default. */
    public Dropout() {
        this(0.5);
    }

    public Dropout(double p) {
        this(p, Options.defaults());
    }

    public Dropout(double p, Options options) {
        OptionChecks.requireOptions("Dropout", options);
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Dropout: p must be in [0, 1], got " + p);
        }
        this.p = p;
        this.generator = options.generator();
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.dropout(input, p, isTraining(), generator);
    }

    @Override
    protected String describe() {
        return "p=" + p;
    }
}
