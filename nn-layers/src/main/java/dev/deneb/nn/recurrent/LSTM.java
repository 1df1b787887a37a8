package dev.deneb.nn.recurrent;

import dev.deneb.tensor.Tensor;

/**
 * Long short-term memory over sequences, as {@code torch.nn.LSTM}: gates i, f, g, o stacked in that order in
 * {@code weight_ih_l*} {@code [4H, in]} and {@code weight_hh_l*} {@code [4H, H]}; parameters U(-1/√H, 1/√H).
 *
 * <pre>{@code
 * LSTM lstm = new LSTM(32, 128, RecurrentOptions.defaults().batchFirst(true));
 * RecurrentOutput r = lstm.forward(x, null, null, lengths);   // x [B, T, 32]
 * Tensor last = r.hN().select(0, 0);                          // [B, 128]
 * }</pre>
 */
public final class LSTM extends RecurrentBase {
    public LSTM(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, RecurrentOptions.defaults());
    }

    public LSTM(int inputSize, int hiddenSize, RecurrentOptions options) {
        super(CellType.LSTM, inputSize, hiddenSize, options);
    }

    /** Output and final states from initial states {@code h0}, {@code c0} ({@code [L*D, B, H]} or null). */
    public RecurrentOutput forward(Tensor input, Tensor h0, Tensor c0) {
        return run(input, h0, c0, (int[]) null);
    }

    /** As {@link #forward(Tensor, Tensor, Tensor)} for sequences of the given lengths (each 1..T). */
    public RecurrentOutput forward(Tensor input, Tensor h0, Tensor c0, int[] lengths) {
        return run(input, h0, c0, lengths);
    }

    /** As {@link #forward(Tensor, Tensor, Tensor)} with a validity mask ([B, T] batch first, else [T, B]). */
    public RecurrentOutput forward(Tensor input, Tensor h0, Tensor c0, Tensor mask) {
        return runMasked(input, h0, c0, mask);
    }
}
