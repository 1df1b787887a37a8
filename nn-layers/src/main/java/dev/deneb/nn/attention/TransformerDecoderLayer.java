package dev.deneb.nn.attention;

import dev.deneb.nn.Dropout;
import dev.deneb.nn.LayerNorm;
import dev.deneb.nn.Linear;
import dev.deneb.nn.Layer;
import dev.deneb.nn.OptionChecks;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;

/**
 * One decoder block as {@code torch.nn.TransformerDecoderLayer}: masked self-attention, attention over the encoder
 * memory ({@code multihead_attn}) and a feed-forward block, each with residual and layer norm (post-norm by default,
 * pre-norm with {@code normFirst}). Parameter names: {@code self_attn.*}, {@code multihead_attn.*},
 * {@code linear1.*}, {@code linear2.*}, {@code norm1.*}, {@code norm2.*}, {@code norm3.*}. Configured by
 * {@link TransformerOptions}, as the encoder layer.
 */
public final class TransformerDecoderLayer extends Layer {
    public final int dModel;
    public final int nHead;
    public final TransformerOptions options;
    public final MultiheadAttention selfAttn;
    public final MultiheadAttention multiheadAttn;
    public final Linear linear1;
    public final Dropout dropout;
    public final Linear linear2;
    public final LayerNorm norm1;
    public final LayerNorm norm2;
    public final LayerNorm norm3;
    public final Dropout dropout1;
    public final Dropout dropout2;
    public final Dropout dropout3;

    public TransformerDecoderLayer(int dModel, int nHead) {
        this(dModel, nHead, TransformerOptions.defaults());
    }

    public TransformerDecoderLayer(int dModel, int nHead, TransformerOptions o) {
        OptionChecks.requireOptions("TransformerDecoderLayer", o);
        TransformerOptions.checkSizes("TransformerDecoderLayer", dModel, nHead);
        o.checkSingleLayer("TransformerDecoderLayer");
        this.dModel = dModel;
        this.nHead = nHead;
        this.options = o;
        Generator g = o.generator();
        Linear.Options lin = Linear.Options.defaults().generator(g);
        Dropout.Options drop = Dropout.Options.defaults().generator(g);
        LayerNorm.Options norm = LayerNorm.Options.defaults().eps(o.layerNormEps());
        selfAttn = registerLayer("self_attn", new MultiheadAttention(dModel, nHead, o.attention()));
        multiheadAttn = registerLayer("multihead_attn", new MultiheadAttention(dModel, nHead, o.attention()));
        linear1 = registerLayer("linear1", new Linear(dModel, o.dimFeedforward(), lin));
        dropout = registerLayer("dropout", new Dropout(o.dropout(), drop));
        linear2 = registerLayer("linear2", new Linear(o.dimFeedforward(), dModel, lin));
        norm1 = registerLayer("norm1", new LayerNorm(dModel, norm));
        norm2 = registerLayer("norm2", new LayerNorm(dModel, norm));
        norm3 = registerLayer("norm3", new LayerNorm(dModel, norm));
        dropout1 = registerLayer("dropout1", new Dropout(o.dropout(), drop));
        dropout2 = registerLayer("dropout2", new Dropout(o.dropout(), drop));
        dropout3 = registerLayer("dropout3", new Dropout(o.dropout(), drop));
    }

    /** A decoder needs the memory: use {@link #forward(Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("TransformerDecoderLayer: call forward(tgt, memory)");
    }

    public Tensor forward(Tensor tgt, Tensor memory) {
        return forward(tgt, memory, null, null, null, null, false, false);
    }

    /**
     * As PyTorch's {@code forward(tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask,
     * memory_key_padding_mask, tgt_is_causal, memory_is_causal)}; every mask may be null.
     */
    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask,
                            Tensor tgtKeyPaddingMask, Tensor memoryKeyPaddingMask, boolean tgtIsCausal,
                            boolean memoryIsCausal) {
        Tensor x = tgt;
        if (options.normFirst()) {
            x = x.add(selfBlock(norm1.call(x), tgtMask, tgtKeyPaddingMask, tgtIsCausal));
            x = x.add(crossBlock(norm2.call(x), memory, memoryMask, memoryKeyPaddingMask, memoryIsCausal));
            return x.add(feedForwardBlock(norm3.call(x)));
        }
        x = norm1.call(x.add(selfBlock(x, tgtMask, tgtKeyPaddingMask, tgtIsCausal)));
        x = norm2.call(x.add(crossBlock(x, memory, memoryMask, memoryKeyPaddingMask, memoryIsCausal)));
        return norm3.call(x.add(feedForwardBlock(x)));
    }

    private Tensor selfBlock(Tensor x, Tensor mask, Tensor kpm, boolean causal) {
        return dropout1.call(selfAttn.call(x,
                t -> selfAttn.forward(t, t, t, kpm, false, mask, true, causal).output()));
    }

    private Tensor crossBlock(Tensor x, Tensor mem, Tensor mask, Tensor kpm, boolean causal) {
        return dropout2.call(multiheadAttn.call(x,
                t -> multiheadAttn.forward(t, mem, mem, kpm, false, mask, true, causal).output()));
    }

    private Tensor feedForwardBlock(Tensor x) {
        return dropout3.call(linear2.call(dropout.call(options.activation().apply(linear1.call(x)))));
    }

    @Override
    protected String describe() {
        return "dModel=" + dModel + ", nHead=" + nHead + ", ff=" + options.dimFeedforward()
                + ", dropout=" + options.dropout() + ", " + options.activation().name().toLowerCase()
                + (options.batchFirst() ? ", batchFirst" : "") + (options.normFirst() ? ", normFirst" : "");
    }
}
