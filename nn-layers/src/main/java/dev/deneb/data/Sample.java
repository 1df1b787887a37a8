package dev.deneb.data;

import dev.deneb.tensor.Tensor;

/** One example of a {@link Dataset}: an input and its target (a label, a regression value…). */
public record Sample(Tensor input, Tensor target) {
    public Sample {
        if (input == null || target == null) {
            throw new IllegalArgumentException("Sample: input and target must not be null");
        }
    }
}
