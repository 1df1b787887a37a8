package dev.deneb.nn.recurrent;

import dev.deneb.tensor.Tensor;

/** One Elman RNN step, as {@code torch.nn.RNNCell}: {@code h' = tanh(W_ih x + b_ih + W_hh h + b_hh)} (or relu). */
public final class RNNCell extends CellBase {
    public RNNCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, CellOptions.defaults());
    }

    public RNNCell(int inputSize, int hiddenSize, CellOptions options) {
        super(CellType.RNN_TANH, inputSize, hiddenSize, options);   // RNN_RELU when the options say so
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
