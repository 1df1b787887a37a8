package dev.deneb.tensor;

/** The result of {@code max}/{@code min} along an axis, or of max pooling: the values and where they came from. */
public record ValuesIndices(Tensor values, Tensor indices) {}
