package dev.deneb.nn.recurrent;

import dev.deneb.tensor.Tensor;


/**
 * What a recurrent layer returns, as PyTorch's {@code (output, h_n)} or {@code (output, (h_n, c_n))}.
 *
 * @param output every step's hidden state of the last layer, {@code [T, B, D*H]} (or {@code [B, T, D*H]} when batch
 *               first); zero past a sequence's length
 * @param hN     the final hidden state of every layer and direction, {@code [L*D, B, H]}: for variable lengths the
 *               state at each sequence's last valid step
 * @param cN     the final cell state of an LSTM ({@code [L*D, B, H]}); null for RNN and GRU
 */
public record RecurrentOutput(Tensor output, Tensor hN, Tensor cN) {}
