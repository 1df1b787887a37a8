package dev.deneb.nn.attention;

import dev.deneb.tensor.Tensor;


/** The activation of a transformer layer's feed-forward block, as PyTorch's {@code activation="relu"|"gelu"}. */
public enum TransformerActivation {
    RELU,
    /** The exact (erf) GELU, PyTorch's default {@code "gelu"}. */
    GELU;

    public Tensor apply(Tensor x) {
        return this == RELU ? x.relu() : x.gelu();
    }

    /** Parses "relu" or "gelu" (any case). */
    public static TransformerActivation parse(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "relu" -> RELU;
            case "gelu" -> GELU;
            default -> throw new IllegalArgumentException("transformer activation must be relu or gelu, got '" + name
                    + "'");
        };
    }
}
