package dev.deneb.nn.recurrent;

import dev.deneb.tensor.Tensor;

/** One LSTM step, as {@code torch.nn.LSTMCell} (gates i, f, g, o; weights {@code [4H, in]}, {@code [4H, H]}). */
public final class LSTMCell extends CellBase {
    public LSTMCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, CellOptions.defaults());
    }

    public LSTMCell(int inputSize, int hiddenSize, CellOptions options) {
        super(CellType.LSTM, inputSize, hiddenSize, options);
    }

    /** The next hidden state from zero states. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null).h();
    }

    /** The next {@code (h, c)} from input {@code [B, in]} and the state (null for zeros). */
    public HiddenState forward(Tensor input, HiddenState state) {
        RecurrentOutput r = step(input, state == null ? null : state.h(), state == null ? null : state.c());
        return new HiddenState(r.hN(), r.cN());
    }
}
