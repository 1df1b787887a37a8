package dev.deneb.nn;

import dev.deneb.tensor.Tensor;

/**
 * x for x &gt; 0, a·x otherwise, with a learnable slope a (PyTorch's {@code nn.PReLU}): one slope shared by all
 * channels ({@code numParameters} 1, the default) or one per channel on axis 1; parameter {@code weight}
 * {@code [numParameters]}, initialised to {@code init} (0.25). Weight decay should usually be off for it.
 *
 * <pre>{@code
 * new PReLU();
 * new PReLU(64, 0.1);
 * }</pre>
 */
public final class PReLU extends Layer {
    public final int numParameters;
    public final Tensor weight;

    /** One slope, initialised to 0.25. */
    public PReLU() {
        this(1, 0.25);
    }

    /** {@code numParameters} slopes (1, or the number of channels), each initialised to {@code init}. */
    public PReLU(int numParameters, double init) {
        if (numParameters < 1 || !Double.isFinite(init)) {
            throw new IllegalArgumentException("PReLU: numParameters must be >= 1 and init finite, got"
                    + " numParameters=" + numParameters + ", init=" + init);
        }
        this.numParameters = numParameters;
        this.weight = registerParameter("weight", Tensor.full(init, numParameters));
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.prelu(input, weight);
    }

    @Override
    protected String describe() {
        return "numParameters=" + numParameters;
    }
}
