package dev.deneb.data;

/**
 * A dataset that can assemble a whole batch at once, e.g. with one {@code indexSelect} on its tensors, which is
 * far cheaper than fetching and stacking samples one by one. {@link DataLoader} uses it when available.
 */
public interface BatchedDataset extends Dataset {
    /** The samples at {@code indices}, in that order, stacked along a new leading axis. */
    Batch batch(long[] indices);
}
