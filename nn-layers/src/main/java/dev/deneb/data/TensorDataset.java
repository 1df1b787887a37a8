package dev.deneb.data;

import dev.deneb.tensor.Tensor;
import java.util.Arrays;

/**
 * A dataset held in two tensors whose leading axis indexes the samples: inputs {@code [N, ...]} and targets
 * {@code [N, ...]}. Samples are views (no copy); batches come from one {@code indexSelect} per tensor.
 */
public final class TensorDataset implements BatchedDataset {
    private final Tensor inputs;
    private final Tensor targets;

    public TensorDataset(Tensor inputs, Tensor targets) {
        if (inputs.dim() == 0 || targets.dim() == 0) {
            throw new IllegalArgumentException("TensorDataset: inputs " + Arrays.toString(inputs.shape())
                    + " and targets " + Arrays.toString(targets.shape()) + " need a leading sample axis");
        }
        if (inputs.size(0) != targets.size(0)) {
            throw new IllegalArgumentException("TensorDataset: inputs have " + inputs.size(0)
                    + " samples (shape " + Arrays.toString(inputs.shape()) + ") but targets have "
                    + targets.size(0) + " (shape " + Arrays.toString(targets.shape()) + ")");
        }
        this.inputs = inputs;
        this.targets = targets;
    }

    public Tensor inputs() {
        return inputs;
    }

    public Tensor targets() {
        return targets;
    }

    @Override
    public int size() {
        return inputs.size(0);
    }

    @Override
    public Sample get(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("TensorDataset: index " + index + " out of range 0.." + (size() - 1));
        }
        return new Sample(inputs.select(0, index), targets.select(0, index));
    }

    @Override
    public Batch batch(long[] indices) {
        Tensor idx = Tensor.of(indices, indices.length);
        return new Batch(inputs.indexSelect(0, idx), targets.indexSelect(0, idx), indices.length);
    }

    /** A new dataset holding copies of the samples at {@code indices} (e.g. one part of a {@link Splits} split). */
    public TensorDataset subset(long[] indices) {
        Batch b = batch(indices);
        return new TensorDataset(b.inputs(), b.targets());
    }

    @Override
    public String toString() {
        return "TensorDataset(inputs " + Arrays.toString(inputs.shape()) + " " + inputs.dtype() + ", targets "
                + Arrays.toString(targets.shape()) + " " + targets.dtype() + ")";
    }
}
