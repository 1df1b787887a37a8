package dev.deneb.nn.recurrent;

import dev.deneb.autograd.Variable;
import dev.deneb.tensor.Generator;

/** One GRU step, as {@code torch.nn.GRUCell} (gates r, z, n; weights {@code [3H, in]}, {@code [3H, H]}). */
public final class GRUCell extends CellBase {
    public GRUCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, Generator.global());
    }

    public GRUCell(int inputSize, int hiddenSize, boolean bias, Generator g) {
        super(CellType.GRU, inputSize, hiddenSize, bias, g);
    }

    /** The next hidden state from a zero state. */
    @Override
    public Variable forward(Variable input) {
        return forward(input, null);
    }

    /** The next hidden state {@code [B, H]} from input {@code [B, in]} and state {@code h} (null for zeros). */
    public Variable forward(Variable input, Variable h) {
        return step(input, h, null).hN();
    }
}
