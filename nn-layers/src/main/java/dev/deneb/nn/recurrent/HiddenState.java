package dev.deneb.nn.recurrent;

import dev.deneb.autograd.Variable;

/** The state an LSTM cell carries from step to step: hidden state {@code h} and cell state {@code c}, each [B, H]. */
public record HiddenState(Variable h, Variable c) {}
