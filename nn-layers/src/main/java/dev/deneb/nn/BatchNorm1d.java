package dev.deneb.nn;

/** Batch normalisation of {@code [N, C]} or {@code [N, C, L]}. */
public final class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, Options.defaults());
    }

    public BatchNorm1d(int numFeatures, Options options) {
        super(numFeatures, options, 2, 3);
    }
}
