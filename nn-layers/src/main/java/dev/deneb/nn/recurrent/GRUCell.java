package dev.deneb.nn.recurrent;

import dev.deneb.tensor.Tensor;

/** One GRU step, as {@code torch.nn.GRUCell} (gates r, z, n; weights {@code [3H, in]}, {@code [3H, H]}). */
public final class GRUCell extends CellBase {
    public GRUCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, CellOptions.defaults());
    }

    public GRUCell(int inputSize, int hiddenSize, CellOptions options) {
        super(CellType.GRU, inputSize, hiddenSize, options);
    }

    /** The next hidden state from a zero state. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null);
    }

    /** The next hidden state {@code [B, H]} from input {@code [B, in]} and state {@code h} (null for zeros). */
    public Tensor forward(Tensor input, Tensor h) {
        return step(input, h, null).hN();
    }
}
