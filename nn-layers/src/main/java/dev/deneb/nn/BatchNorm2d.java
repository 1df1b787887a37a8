package dev.deneb.nn;

/** Batch normalisation of {@code [N, C, H, W]}. */
public final class BatchNorm2d extends BatchNorm {
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, Options.defaults());
    }

    public BatchNorm2d(int numFeatures, Options options) {
        super(numFeatures, options, 4);
    }
}
