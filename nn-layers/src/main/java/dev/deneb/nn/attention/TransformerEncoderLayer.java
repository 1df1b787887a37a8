package dev.deneb.nn.attention;

import dev.deneb.nn.Dropout;
import dev.deneb.nn.LayerNorm;
import dev.deneb.nn.Linear;
import dev.deneb.nn.Layer;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;

/**
 * One encoder block as {@code torch.nn.TransformerEncoderLayer}: self-attention and a feed-forward block
 * ({@code linear2(dropout(activation(linear1(x))))}), each with a residual connection and layer norm, either after
 * the residual (post-norm, PyTorch's default) or before the sub-block ({@code normFirst}). Parameter names are
 * PyTorch's: {@code self_attn.*}, {@code linear1.*}, {@code linear2.*}, {@code norm1.*}, {@code norm2.*}.
 *
 * <p>Input {@code [B, T, E]} with {@code batchFirst}, {@code [T, B, E]} without, or unbatched {@code [T, E]}.
 */
public final class TransformerEncoderLayer extends Layer {
    /** Hyper-parameters, as PyTorch's constructor arguments. */
    public record Options(int dModel, int nHead, int dimFeedforward, double dropout, TransformerActivation activation,
                          boolean batchFirst, boolean normFirst, double layerNormEps) {
        public Options(int dModel, int nHead, int dimFeedforward, double dropout, TransformerActivation activation,
                       boolean batchFirst, boolean normFirst) {
            this(dModel, nHead, dimFeedforward, dropout, activation, batchFirst, normFirst, 1e-5);
        }

        public Options {
            if (dModel < 1 || nHead < 1 || dimFeedforward < 1) {
                throw new IllegalArgumentException("transformer layer: dModel, nHead and dimFeedforward must be >= 1, "
                        + "got " + dModel + ", " + nHead + ", " + dimFeedforward);
            }
            if (dModel % nHead != 0) {
                throw new IllegalArgumentException("transformer layer: dModel (" + dModel
                        + ") must be divisible by nHead (" + nHead + ")");
            }
            if (dropout < 0 || dropout > 1) {
                throw new IllegalArgumentException("transformer layer: dropout must be in [0, 1], got " + dropout);
            }
            if (activation == null) {
                throw new IllegalArgumentException("transformer layer: activation must be RELU or GELU, got null");
            }
        }

        /** PyTorch's defaults: feed-forward 2048, dropout 0.1, ReLU, sequence-first, post-norm. */
        public static Options of(int dModel, int nHead) {
            return new Options(dModel, nHead, 2048, 0.1, TransformerActivation.RELU, false, false);
        }
    }

    public final Options options;
    public final MultiheadAttention selfAttn;
    public final Linear linear1;
    public final Dropout dropout;
    public final Linear linear2;
    public final LayerNorm norm1;
    public final LayerNorm norm2;
    public final Dropout dropout1;
    public final Dropout dropout2;

    public TransformerEncoderLayer(Options o) {
        this(o, Generator.global());
    }

    public TransformerEncoderLayer(Options o, Generator g) {
        this.options = o;
        selfAttn = registerLayer("self_attn", new MultiheadAttention(
                MultiheadAttention.Options.of(o.dModel(), o.nHead()).withDropout(o.dropout())
                        .withBatchFirst(o.batchFirst()), g));
        linear1 = registerLayer("linear1", new Linear(o.dModel(), o.dimFeedforward(), true, g));
        dropout = registerLayer("dropout", new Dropout(o.dropout(), g));
        linear2 = registerLayer("linear2", new Linear(o.dimFeedforward(), o.dModel(), true, g));
        norm1 = registerLayer("norm1", new LayerNorm(new int[] {o.dModel()}, o.layerNormEps(), true));
        norm2 = registerLayer("norm2", new LayerNorm(new int[] {o.dModel()}, o.layerNormEps(), true));
        dropout1 = registerLayer("dropout1", new Dropout(o.dropout(), g));
        dropout2 = registerLayer("dropout2", new Dropout(o.dropout(), g));
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null, null, false);
    }

    /** With a key-padding mask {@code [B, T]} (bool: true = padding, or float: added); may be null. */
    public Tensor forward(Tensor x, Tensor keyPaddingMask) {
        return forward(x, null, keyPaddingMask, false);
    }

    /**
     * As PyTorch's {@code forward(src, src_mask, src_key_padding_mask, is_causal)}: {@code srcMask} {@code [T, T]} or
     * {@code [B·nHead, T, T]} (bool: true = not allowed, or float: added), both masks may be null.
     */
    public Tensor forward(Tensor x, Tensor srcMask, Tensor keyPaddingMask, boolean isCausal) {
        if (options.normFirst()) {
            x = x.add(selfAttentionBlock(norm1.call(x), srcMask, keyPaddingMask, isCausal));
            return x.add(feedForwardBlock(norm2.call(x)));
        }
        x = norm1.call(x.add(selfAttentionBlock(x, srcMask, keyPaddingMask, isCausal)));
        return norm2.call(x.add(feedForwardBlock(x)));
    }

    private Tensor selfAttentionBlock(Tensor x, Tensor mask, Tensor keyPaddingMask, boolean isCausal) {
        return dropout1.call(selfAttn.call(x,
                t -> selfAttn.forward(t, t, t, keyPaddingMask, false, mask, true, isCausal).output()));
    }

    private Tensor feedForwardBlock(Tensor x) {
        return dropout2.call(linear2.call(dropout.call(options.activation().apply(linear1.call(x)))));
    }

    @Override
    protected String describe() {
        return "dModel=" + options.dModel() + ", nHead=" + options.nHead() + ", ff=" + options.dimFeedforward()
                + ", dropout=" + options.dropout() + ", " + options.activation().name().toLowerCase()
                + (options.batchFirst() ? ", batchFirst" : "") + (options.normFirst() ? ", normFirst" : "");
    }
}
