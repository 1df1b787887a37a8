package dev.deneb.nn.recurrent;

import dev.deneb.tensor.Tensor;

/**
 * Gated recurrent unit over sequences, as {@code torch.nn.GRU}: gates r, z, n stacked in that order
 * ({@code [3H, in]} and {@code [3H, H]}), with {@code n = tanh(W_in x + b_in + r * (W_hn h + b_hn))} and
 * {@code h' = (1 - z) * n + z * h}; parameters U(-1/√H, 1/√H).
 */
public final class GRU extends RecurrentBase {
    public GRU(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, RecurrentOptions.defaults());
    }

    public GRU(int inputSize, int hiddenSize, RecurrentOptions options) {
        super(CellType.GRU, inputSize, hiddenSize, options);
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
