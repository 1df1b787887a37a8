package dev.deneb.nn.recurrent;

import dev.deneb.tensor.Tensor;

/**
 * Elman recurrent network, as {@code torch.nn.RNN}: {@code h' = tanh(W_ih x + b_ih + W_hh h + b_hh)} (or relu, from
 * {@link RecurrentOptions#nonlinearity()}); parameters U(-1/√H, 1/√H).
 */
public final class RNN extends RecurrentBase {
    public RNN(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, RecurrentOptions.defaults());
    }

    public RNN(int inputSize, int hiddenSize, RecurrentOptions options) {
        super(CellType.RNN_TANH, inputSize, hiddenSize, options);   // RNN_RELU when the options say so
    }

    /** Output and final state from the initial state {@code h0} ({@code [L*D, B, H]} or null for zeros). */
    public RecurrentOutput forward(Tensor input, Tensor h0) {
        return run(input, h0, null, (int[]) null);
    }

    /** As {@link #forward(Tensor, Tensor)} for sequences of the given lengths (each 1..T). */
    public RecurrentOutput forward(Tensor input, Tensor h0, int[] lengths) {
        return run(input, h0, null, lengths);
    }

    /** As {@link #forward(Tensor, Tensor)} with a validity mask ([B, T] batch first, else [T, B]). */
    public RecurrentOutput forward(Tensor input, Tensor h0, Tensor mask) {
        return runMasked(input, h0, null, mask);
    }
}
