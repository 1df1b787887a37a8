package dev.deneb.nn.recurrent;

import dev.deneb.tensor.Tensor;


/** The state an LSTM cell carries from step to step: hidden state {@code h} and cell state {@code c}, each [B, H]. */
public record HiddenState(Tensor h, Tensor c) {}
