package dev.deneb.nn;

import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;

/**
 * A table of {@code numEmbeddings} learnable vectors of size {@code dim}, initialised N(0, 1) as in PyTorch.
 *
 * <pre>{@code
 * new Embedding(10000, 128, Embedding.Options.defaults().generator(new Generator(1)));
 * }</pre>
 */
public final class Embedding extends Layer {
    /**
     * Options of {@code nn.Embedding} that Deneb supports; setters return a new record.
     *
     * @param generator the source of the initial weights (default: the global generator)
     */
    public record Options(Generator generator) {
        public Options {
            OptionChecks.requireGenerator("Embedding.Options", generator);
        }

        /** Weights from the global generator. */
        public static Options defaults() {
            return new Options(Generator.global());
        }

        public Options generator(Generator g) {
            return new Options(g);
        }
    }

    public final int numEmbeddings;
    public final int dim;
    public final Tensor weight;

    public Embedding(int numEmbeddings, int dim) {
        this(numEmbeddings, dim, Options.defaults());
    }

    public Embedding(int numEmbeddings, int dim, Options options) {
        OptionChecks.requireOptions("Embedding", options);
        if (numEmbeddings < 1 || dim < 1) {
            throw new IllegalArgumentException("Embedding: sizes must be >= 1, got " + numEmbeddings + " x " + dim);
        }
        this.numEmbeddings = numEmbeddings;
        this.dim = dim;
        this.weight = registerParameter("weight", Init.normal(options.generator(), 0, 1, numEmbeddings, dim));
    }

    /** Looks up integer indices. */
    @Override
    public Tensor forward(Tensor indices) {
        return Functional.embedding(indices, weight);
    }

    @Override
    protected String describe() {
        return numEmbeddings + ", " + dim;
    }
}
