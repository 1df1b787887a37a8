package dev.deneb.nn.recurrent;

import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;

/** One LSTM step, as {@code torch.nn.LSTMCell} (gates i, f, g, o; weights {@code [4H, in]}, {@code [4H, H]}). */
public final class LSTMCell extends CellBase {
    public LSTMCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, Generator.global());
    }

    public LSTMCell(int inputSize, int hiddenSize, boolean bias, Generator g) {
        super(CellType.LSTM, inputSize, hiddenSize, bias, g);
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
