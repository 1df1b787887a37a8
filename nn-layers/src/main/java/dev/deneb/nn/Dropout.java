package dev.deneb.nn;

import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;

/** Zeroes elements with probability p while training (scaling the rest by 1/(1-p)); the identity in eval mode. */
public final class Dropout extends Layer {
    public final double p;
    private final Generator generator;

    public Dropout(double p) {
        this(p, Generator.global());
    }

    public Dropout(double p, Generator generator) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("Dropout: p must be in [0, 1], got " + p);
        }
        this.p = p;
        this.generator = generator;
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
