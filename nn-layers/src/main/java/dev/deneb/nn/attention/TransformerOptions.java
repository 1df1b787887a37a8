package dev.deneb.nn.attention;

import dev.deneb.nn.OptionChecks;
import dev.deneb.tensor.Generator;

/**
 * The configuration of {@link TransformerEncoderLayer}, {@link TransformerDecoderLayer} and the stacks
 * {@link TransformerEncoder} and {@link TransformerDecoder}, with PyTorch's keyword arguments and defaults (the model
 * width {@code dModel} and the number of heads {@code nHead} are the layers' positional arguments). Setters return a
 * new record.
 *
 * <pre>{@code
 * new TransformerEncoderLayer(64, 4, TransformerOptions.defaults().dimFeedforward(256).batchFirst(true));
 * new TransformerEncoder(64, 4, 6, TransformerOptions.defaults().normFirst(true).finalNorm(true));
 * }</pre>
 *
 * @param dimFeedforward width of the feed-forward block (default 2048)
 * @param dropout        dropout after attention, inside and after the feed-forward block (default 0.1)
 * @param activation     of the feed-forward block (default {@link TransformerActivation#RELU})
 * @param layerNormEps   eps of every layer norm (default 1e-5)
 * @param batchFirst     inputs are {@code [B, T, E]} instead of {@code [T, B, E]} (default false)
 * @param normFirst      layer norm before each sub-block (pre-norm) instead of after the residual (default false)
 * @param finalNorm      stacks only: a layer norm {@code norm} after the last layer, PyTorch's
 *                       {@code norm=LayerNorm(d_model)} (default false, as {@code norm=None}); a single layer
 *                       rejects it
 * @param generator      the source of the initial weights and of the dropout masks (default: the global generator)
 */
public record TransformerOptions(int dimFeedforward, double dropout, TransformerActivation activation,
                                 double layerNormEps, boolean batchFirst, boolean normFirst, boolean finalNorm,
                                 Generator generator) {
    public TransformerOptions {
        if (dimFeedforward < 1) {
            throw new IllegalArgumentException("TransformerOptions: dimFeedforward must be >= 1, got "
                    + dimFeedforward);
        }
        OptionChecks.requireProbability("TransformerOptions", "dropout", dropout);
        OptionChecks.requireNonNull("TransformerOptions", "activation", activation, "RELU or GELU");
        if (!(layerNormEps >= 0) || Double.isInfinite(layerNormEps)) {
            throw new IllegalArgumentException("TransformerOptions: layerNormEps must be finite and >= 0, got "
                    + layerNormEps);
        }
        OptionChecks.requireGenerator("TransformerOptions", generator);
    }

    /** Feed-forward 2048, dropout 0.1, ReLU, eps 1e-5, sequence-first, post-norm, no final norm, global generator. */
    public static TransformerOptions defaults() {
        return new TransformerOptions(2048, 0.1, TransformerActivation.RELU, 1e-5, false, false, false,
                Generator.global());
    }

    public TransformerOptions dimFeedforward(int d) {
        return new TransformerOptions(d, dropout, activation, layerNormEps, batchFirst, normFirst, finalNorm,
                generator);
    }

    public TransformerOptions dropout(double p) {
        return new TransformerOptions(dimFeedforward, p, activation, layerNormEps, batchFirst, normFirst, finalNorm,
                generator);
    }

    public TransformerOptions activation(TransformerActivation a) {
        return new TransformerOptions(dimFeedforward, dropout, a, layerNormEps, batchFirst, normFirst, finalNorm,
                generator);
    }

    public TransformerOptions layerNormEps(double eps) {
        return new TransformerOptions(dimFeedforward, dropout, activation, eps, batchFirst, normFirst, finalNorm,
                generator);
    }

    public TransformerOptions batchFirst(boolean on) {
        return new TransformerOptions(dimFeedforward, dropout, activation, layerNormEps, on, normFirst, finalNorm,
                generator);
    }

    public TransformerOptions normFirst(boolean on) {
        return new TransformerOptions(dimFeedforward, dropout, activation, layerNormEps, batchFirst, on, finalNorm,
                generator);
    }

    public TransformerOptions finalNorm(boolean on) {
        return new TransformerOptions(dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst, on,
                generator);
    }

    public TransformerOptions generator(Generator g) {
        return new TransformerOptions(dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst,
                finalNorm, g);
    }

    /** The checks on the positional sizes every transformer layer shares. */
    static void checkSizes(String layer, int dModel, int nHead) {
        if (dModel < 1 || nHead < 1) {
            throw new IllegalArgumentException(layer + ": dModel and nHead must be >= 1, got dModel=" + dModel
                    + ", nHead=" + nHead);
        }
        if (dModel % nHead != 0) {
            throw new IllegalArgumentException(layer + ": dModel (" + dModel + ") must be divisible by nHead (" + nHead
                    + ")");
        }
    }

    /** A single layer has no final norm; that belongs to the stacks. */
    void checkSingleLayer(String layer) {
        if (finalNorm) {
            throw new IllegalArgumentException(layer + ": finalNorm applies to the stacks TransformerEncoder and"
                    + " TransformerDecoder, not to a single layer");
        }
    }

    /** The options of the attention blocks inside a layer. */
    MultiheadAttention.Options attention() {
        return MultiheadAttention.Options.defaults().dropout(dropout).batchFirst(batchFirst).generator(generator);
    }
}
