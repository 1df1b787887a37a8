package dev.deneb.tensor;

/**
 * The result of {@link Tensor#unique(boolean, boolean, boolean)}: the distinct values (1-D), and when asked for,
 * the position of each input element in {@code values} (I64, the input's shape) and how often each value occurs
 * (I64, like {@code values}); null when not asked for.
 */
public record UniqueResult(Tensor values, Tensor inverse, Tensor counts) {}
