package dev.deneb.nn.recurrent;

import dev.deneb.nn.OptionChecks;
import dev.deneb.tensor.Generator;

/**
 * The configuration of {@link RNN}, {@link LSTM} and {@link GRU} beyond their positional sizes ({@code inputSize},
 * {@code hiddenSize}), with PyTorch's meaning and defaults. Setters return a new record.
 *
 * <pre>{@code
 * LSTM lstm = new LSTM(32, 128, RecurrentOptions.defaults().numLayers(2).batchFirst(true).bidirectional(true));
 * }</pre>
 *
 * @param numLayers     stacked layers; each layer's output is the next one's input (default 1)
 * @param nonlinearity  {@code TANH} or {@code RELU}; for {@link RNN} only, the others reject {@code RELU}
 *                      (default {@code TANH})
 * @param bias          whether the layers have {@code bias_ih} and {@code bias_hh} (default true)
 * @param batchFirst    input and output are {@code [B, T, F]} instead of {@code [T, B, F]} (states stay
 *                      {@code [L*D, B, H]}; default false)
 * @param dropout       dropout probability on the output of every layer but the last, while training (default 0)
 * @param bidirectional a second direction runs over the reversed sequence; outputs are concatenated (default false)
 * @param generator     the source of the initial weights and of the dropout masks (default: the global generator)
 */
public record RecurrentOptions(int numLayers, Nonlinearity nonlinearity, boolean bias, boolean batchFirst,
                               double dropout, boolean bidirectional, Generator generator) {

    /** The activation of a plain {@link RNN} or {@link RNNCell}. */
    public enum Nonlinearity { TANH, RELU }

    public RecurrentOptions {
        if (numLayers < 1) {
            throw new IllegalArgumentException("RecurrentOptions: numLayers must be >= 1, got " + numLayers);
        }
        OptionChecks.requireProbability("RecurrentOptions", "dropout", dropout);
        OptionChecks.requireNonNull("RecurrentOptions", "nonlinearity", nonlinearity, "TANH or RELU");
        OptionChecks.requireGenerator("RecurrentOptions", generator);
    }

    /** One layer, tanh, with bias, time first, no dropout, one direction, the global generator. */
    public static RecurrentOptions defaults() {
        return new RecurrentOptions(1, Nonlinearity.TANH, true, false, 0, false, Generator.global());
    }

    public RecurrentOptions numLayers(int n) {
        return new RecurrentOptions(n, nonlinearity, bias, batchFirst, dropout, bidirectional, generator);
    }

    public RecurrentOptions nonlinearity(Nonlinearity a) {
        return new RecurrentOptions(numLayers, a, bias, batchFirst, dropout, bidirectional, generator);
    }

    public RecurrentOptions bias(boolean on) {
        return new RecurrentOptions(numLayers, nonlinearity, on, batchFirst, dropout, bidirectional, generator);
    }

    public RecurrentOptions batchFirst(boolean on) {
        return new RecurrentOptions(numLayers, nonlinearity, bias, on, dropout, bidirectional, generator);
    }

    public RecurrentOptions dropout(double p) {
        return new RecurrentOptions(numLayers, nonlinearity, bias, batchFirst, p, bidirectional, generator);
    }

    public RecurrentOptions bidirectional(boolean on) {
        return new RecurrentOptions(numLayers, nonlinearity, bias, batchFirst, dropout, on, generator);
    }

    public RecurrentOptions generator(Generator g) {
        return new RecurrentOptions(numLayers, nonlinearity, bias, batchFirst, dropout, bidirectional, g);
    }

    /** 2 when bidirectional, else 1. */
    public int directions() {
        return bidirectional ? 2 : 1;
    }

    /**
     * The cell a layer of family {@code cell} runs: an Elman cell takes its activation from {@code nonlinearity};
     * LSTM and GRU cells have fixed activations, so they reject {@code RELU}.
     */
    static CellType resolve(String layer, CellType cell, Nonlinearity nonlinearity) {
        boolean elman = cell == CellType.RNN_TANH || cell == CellType.RNN_RELU;
        if (elman) {
            return nonlinearity == Nonlinearity.RELU ? CellType.RNN_RELU : CellType.RNN_TANH;
        }
        if (nonlinearity != Nonlinearity.TANH) {
            throw new IllegalArgumentException(layer + ": nonlinearity " + nonlinearity + " applies to RNN and RNNCell"
                    + " only");
        }
        return cell;
    }
}
