package dev.deneb.nn.attention;

import dev.deneb.nn.Init;
import dev.deneb.nn.Layer;
import dev.deneb.nn.OptionChecks;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;

/**
 * A trainable position table {@code weight [maxLen, dModel]} (initialised N(0, 0.02) as in GPT/BERT) added to the
 * input, then dropout. Input {@code [B, T, d]} ({@code batchFirst}), {@code [T, B, d]} or {@code [T, d]}.
 */
public final class LearnedPositionalEncoding extends Layer {
    public final int dModel;
    public final int maxLen;
    public final boolean batchFirst;
    public final double dropout;
    public final Tensor weight;
    private final Generator generator;

    public LearnedPositionalEncoding(int dModel, int maxLen) {
        this(dModel, maxLen, PositionalEncodingOptions.defaults());
    }

    public LearnedPositionalEncoding(int dModel, int maxLen, PositionalEncodingOptions options) {
        OptionChecks.requireOptions("LearnedPositionalEncoding", options);
        if (dModel < 1 || maxLen < 1) {
            throw new IllegalArgumentException("LearnedPositionalEncoding: dModel and maxLen must be >= 1, got "
                    + dModel + ", " + maxLen);
        }
        this.dModel = dModel;
        this.maxLen = maxLen;
        this.dropout = options.dropout();
        this.batchFirst = options.batchFirst();
        this.generator = options.generator();
        this.weight = registerParameter("weight", Init.normal(generator, 0, 0.02, maxLen, dModel));
    }

    @Override
    public Tensor forward(Tensor x) {
        return PositionTable.add("LearnedPositionalEncoding", x, weight, batchFirst, dropout, isTraining(), generator);
    }

    @Override
    protected String describe() {
        return "dModel=" + dModel + ", maxLen=" + maxLen + ", dropout=" + dropout;
    }
}
