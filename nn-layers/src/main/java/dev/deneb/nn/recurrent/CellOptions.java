package dev.deneb.nn.recurrent;

import dev.deneb.nn.OptionChecks;
import dev.deneb.tensor.Generator;

/**
 * The configuration of the single-step cells {@link RNNCell}, {@link LSTMCell} and {@link GRUCell} beyond their
 * positional sizes ({@code inputSize}, {@code hiddenSize}), with PyTorch's defaults. Setters return a new record:
 * {@code new RNNCell(8, 16, CellOptions.defaults().nonlinearity(RecurrentOptions.Nonlinearity.RELU))}.
 *
 * @param bias         whether the cell has {@code bias_ih} and {@code bias_hh} (default true)
 * @param nonlinearity {@code TANH} or {@code RELU}; for {@link RNNCell} only, the others reject {@code RELU}
 *                     (default {@code TANH})
 * @param generator    the source of the initial weights (default: the global generator)
 */
public record CellOptions(boolean bias, RecurrentOptions.Nonlinearity nonlinearity, Generator generator) {
    public CellOptions {
        OptionChecks.requireNonNull("CellOptions", "nonlinearity", nonlinearity, "TANH or RELU");
        OptionChecks.requireGenerator("CellOptions", generator);
    }

    /** With bias, tanh, the global generator. */
    public static CellOptions defaults() {
        return new CellOptions(true, RecurrentOptions.Nonlinearity.TANH, Generator.global());
    }

    public CellOptions bias(boolean on) {
        return new CellOptions(on, nonlinearity, generator);
    }

    public CellOptions nonlinearity(RecurrentOptions.Nonlinearity a) {
        return new CellOptions(bias, a, generator);
    }

    public CellOptions generator(Generator g) {
        return new CellOptions(bias, nonlinearity, g);
    }
}
