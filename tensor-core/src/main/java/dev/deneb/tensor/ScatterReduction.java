package dev.deneb.tensor;

/** How {@link Tensor#scatterReduce} combines the values that land on one position (PyTorch's names). */
public enum ScatterReduction {
    SUM, MEAN, AMAX, AMIN;

    /** The name in messages, as PyTorch spells it. */
    public String opName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
