package dev.deneb.data;

/**
 * One fold of k-fold cross-validation ({@link Splits#stratifiedKFold}): fit on {@code train}, score on {@code test}.
 * Both are sorted indices into the data; they are disjoint and together hold every index.
 */
public record Fold(int index, long[] train, long[] test) {}
