package dev.deneb.autograd;

import dev.deneb.tensor.Tensor;

/** {@code max}/{@code min} along an axis: differentiable values and the (integer) indices they came from. */
public record ValuesAndIndices(Variable values, Tensor indices) {}
