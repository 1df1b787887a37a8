package dev.deneb.data;

import dev.deneb.tensor.Tensor;

/** A mini-batch: inputs {@code [size, ...]} and targets {@code [size, ...]}. */
public record Batch(Tensor inputs, Tensor targets, int size) {
    public Batch {
        if (inputs == null || targets == null) {
            throw new IllegalArgumentException("Batch: inputs and targets must not be null");
        }
        if (inputs.dim() == 0 || targets.dim() == 0 || inputs.size(0) != size || targets.size(0) != size) {
            throw new IllegalArgumentException("Batch: inputs " + java.util.Arrays.toString(inputs.shape())
                    + " and targets " + java.util.Arrays.toString(targets.shape())
                    + " must both have leading size " + size);
        }
    }

    /** A batch whose size is read from the inputs' leading axis. */
    public Batch(Tensor inputs, Tensor targets) {
        this(inputs, targets, inputs.dim() == 0 ? -1 : inputs.size(0));
    }
}
