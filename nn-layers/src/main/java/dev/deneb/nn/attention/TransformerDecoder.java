package dev.deneb.nn.attention;

import dev.deneb.nn.LayerNorm;
import dev.deneb.nn.Layer;
import dev.deneb.nn.OptionChecks;
import dev.deneb.nn.Sequential;
import dev.deneb.tensor.Tensor;

/**
 * A stack of {@link TransformerDecoderLayer}s ({@code layers.N.*}) and an optional final {@code norm}, as
 * {@code torch.nn.TransformerDecoder}; each layer initialised independently.
 */
public final class TransformerDecoder extends Layer {
    public final Sequential layers;
    public final LayerNorm norm;

    public TransformerDecoder(int dModel, int nHead, int numLayers) {
        this(dModel, nHead, numLayers, TransformerOptions.defaults());
    }

    /** {@code numLayers} layers configured by {@code o}; {@link TransformerOptions#finalNorm} adds {@code norm}. */
    public TransformerDecoder(int dModel, int nHead, int numLayers, TransformerOptions o) {
        OptionChecks.requireOptions("TransformerDecoder", o);
        TransformerOptions.checkSizes("TransformerDecoder", dModel, nHead);
        if (numLayers < 1) {
            throw new IllegalArgumentException("TransformerDecoder: numLayers must be >= 1, got " + numLayers);
        }
        TransformerOptions layerOptions = o.finalNorm(false);
        layers = registerLayer("layers", new Sequential());
        for (int i = 0; i < numLayers; i++) {
            layers.add(new TransformerDecoderLayer(dModel, nHead, layerOptions));
        }
        norm = o.finalNorm() ? registerLayer("norm", new LayerNorm(dModel,
                LayerNorm.Options.defaults().eps(o.layerNormEps()))) : null;
    }

    public TransformerDecoderLayer layer(int i) {
        return (TransformerDecoderLayer) layers.get(i);
    }

    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("TransformerDecoder: call forward(tgt, memory)");
    }

    public Tensor forward(Tensor tgt, Tensor memory) {
        return forward(tgt, memory, null, null, null, null, false, false);
    }

    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask,
                            Tensor tgtKeyPaddingMask, Tensor memoryKeyPaddingMask, boolean tgtIsCausal,
                            boolean memoryIsCausal) {
        Tensor x = tgt;
        for (int i = 0; i < layers.size(); i++) {
            TransformerDecoderLayer layer = layer(i);
            x = layer.call(x, t -> layer.forward(t, memory, tgtMask, memoryMask, tgtKeyPaddingMask,
                    memoryKeyPaddingMask, tgtIsCausal, memoryIsCausal));
        }
        return norm == null ? x : norm.call(x);
    }
}
