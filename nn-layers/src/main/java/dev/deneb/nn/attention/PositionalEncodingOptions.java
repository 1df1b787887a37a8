package dev.deneb.nn.attention;

import dev.deneb.nn.OptionChecks;
import dev.deneb.tensor.Generator;

/**
 * The configuration of {@link SinusoidalPositionalEncoding} and {@link LearnedPositionalEncoding} (whose positional
 * arguments are the table's size, {@code dModel} and {@code maxLen}), with the defaults of PyTorch's tutorial
 * {@code PositionalEncoding}. Setters return a new record:
 * {@code new SinusoidalPositionalEncoding(64, 512, PositionalEncodingOptions.defaults().batchFirst(true))}.
 *
 * @param dropout    dropout after adding the positions, while training (default 0.1)
 * @param batchFirst inputs are {@code [B, T, d]} instead of {@code [T, B, d]} (default false)
 * @param generator  the source of the learned table's initial values and of the dropout masks (default: the global
 *                   generator)
 */
public record PositionalEncodingOptions(double dropout, boolean batchFirst, Generator generator) {
    public PositionalEncodingOptions {
        OptionChecks.requireProbability("PositionalEncodingOptions", "dropout", dropout);
        OptionChecks.requireGenerator("PositionalEncodingOptions", generator);
    }

    /** Dropout 0.1, sequence-first, the global generator. */
    public static PositionalEncodingOptions defaults() {
        return new PositionalEncodingOptions(0.1, false, Generator.global());
    }

    public PositionalEncodingOptions dropout(double p) {
        return new PositionalEncodingOptions(p, batchFirst, generator);
    }

    public PositionalEncodingOptions batchFirst(boolean on) {
        return new PositionalEncodingOptions(dropout, on, generator);
    }

    public PositionalEncodingOptions generator(Generator g) {
        return new PositionalEncodingOptions(dropout, batchFirst, g);
    }
}
