package dev.deneb.nn.attention;

import dev.deneb.nn.Dropout;
import dev.deneb.nn.LayerNorm;
import dev.deneb.nn.Linear;
import dev.deneb.nn.Layer;
import dev.deneb.nn.OptionChecks;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;

/**
 * One encoder block as {@code torch.nn.TransformerEncoderLayer}: self-attention and a feed-forward block
 * ({@code linear2(dropout(activation(linear1(x))))}), each with a residual connection and layer norm, either after
 * the residual (post-norm, PyTorch's default) or before the sub-block ({@code normFirst}). Parameter names are
 * PyTorch's: {@code self_attn.*}, {@code linear1.*}, {@code linear2.*}, {@code norm1.*}, {@code norm2.*}.
 *
 * <p>Input {@code [B, T, E]} with {@code batchFirst}, {@code [T, B, E]} without, or unbatched {@code [T, E]}.
 *
 * <pre>{@code
 * new TransformerEncoderLayer(64, 4, TransformerOptions.defaults().dimFeedforward(256).batchFirst(true));
 * }</pre>
 */
public final class TransformerEncoderLayer extends Layer {
    public final int dModel;
    public final int nHead;
    public final TransformerOptions options;
    public final MultiheadAttention selfAttn;
    public final Linear linear1;
    public final Dropout dropout;
    public final Linear linear2;
    public final LayerNorm norm1;
    public final LayerNorm norm2;
    public final Dropout dropout1;
    public final Dropout dropout2;

    public TransformerEncoderLayer(int dModel, int nHead) {
        this(dModel, nHead, TransformerOptions.defaults());
    }

    public TransformerEncoderLayer(int dModel, int nHead, TransformerOptions o) {
        OptionChecks.requireOptions("TransformerEncoderLayer", o);
        TransformerOptions.checkSizes("TransformerEncoderLayer", dModel, nHead);
        o.checkSingleLayer("TransformerEncoderLayer");
        this.dModel = dModel;
        this.nHead = nHead;
        this.options = o;
        Generator g = o.generator();
        Linear.Options lin = Linear.Options.defaults().generator(g);
        Dropout.Options drop = Dropout.Options.defaults().generator(g);
        LayerNorm.Options norm = LayerNorm.Options.defaults().eps(o.layerNormEps());
        selfAttn = registerLayer("self_attn", new MultiheadAttention(dModel, nHead, o.attention()));
        linear1 = registerLayer("linear1", new Linear(dModel, o.dimFeedforward(), lin));
        dropout = registerLayer("dropout", new Dropout(o.dropout(), drop));
        linear2 = registerLayer("linear2", new Linear(o.dimFeedforward(), dModel, lin));
        norm1 = registerLayer("norm1", new LayerNorm(dModel, norm));
        norm2 = registerLayer("norm2", new LayerNorm(dModel, norm));
        dropout1 = registerLayer("dropout1", new Dropout(o.dropout(), drop));
        dropout2 = registerLayer("dropout2", new Dropout(o.dropout(), drop));
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
        return "dModel=" + dModel + ", nHead=" + nHead + ", ff=" + options.dimFeedforward()
                + ", dropout=" + options.dropout() + ", " + options.activation().name().toLowerCase()
                + (options.batchFirst() ? ", batchFirst" : "") + (options.normFirst() ? ", normFirst" : "");
    }
}
