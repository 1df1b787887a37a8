package dev.deneb.nn;

import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;

/** A table of {@code numEmbeddings} learnable vectors of size {@code dim}, initialised N(0, 1) as in PyTorch. */
public final class Embedding extends Layer {
    public final int numEmbeddings;
    public final int dim;
    public final Tensor weight;

    public Embedding(int numEmbeddings, int dim) {
        this(numEmbeddings, dim, Generator.global());
    }

    public Embedding(int numEmbeddings, int dim, Generator g) {
        if (numEmbeddings < 1 || dim < 1) {
            throw new IllegalArgumentException("Embedding: sizes must be >= 1, got " + numEmbeddings + " x " + dim);
        }
        this.numEmbeddings = numEmbeddings;
        this.dim = dim;
        this.weight = registerParameter("weight", Init.normal(g, 0, 1, numEmbeddings, dim));
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
