package dev.deneb.nn.recurrent;

/** The recurrent cells, with PyTorch's gate layout of the stacked weight matrices. */
public enum CellType {
    /** {@code h' = tanh(W_ih x + b_ih + W_hh h + b_hh)}. */
    RNN_TANH(1),
    /** {@code h' = relu(W_ih x + b_ih + W_hh h + b_hh)}. */
    RNN_RELU(1),
    /** Gates stacked in the order i, f, g, o (input, forget, cell, output). */
    LSTM(4),
    /** Gates stacked in the order r, z, n; {@code n = tanh(W_in x + b_in + r * (W_hn h + b_hn))}. */
    GRU(3);

    /** How many blocks of {@code hidden} rows the stacked weights have. */
    public final int gates;

    CellType(int gates) {
        this.gates = gates;
    }
}
