package dev.deneb.nn.attention;

import dev.deneb.nn.LayerNorm;
import dev.deneb.nn.Layer;
import dev.deneb.nn.OptionChecks;
import dev.deneb.nn.Sequential;
import dev.deneb.tensor.Tensor;

/**
 * A stack of {@link TransformerEncoderLayer}s named {@code layers.0.*}, {@code layers.1.*}, … and an optional final
 * {@code norm}, as {@code torch.nn.TransformerEncoder}. Unlike PyTorch (which deep-copies one layer, so every layer
 * starts from the same weights), each layer is initialised independently.
 */
public final class TransformerEncoder extends Layer {
    public final Sequential layers;
    public final LayerNorm norm;

    public TransformerEncoder(int dModel, int nHead, int numLayers) {
        this(dModel, nHead, numLayers, TransformerOptions.defaults());
    }

    /** {@code numLayers} layers configured by {@code o}; {@link TransformerOptions#finalNorm} adds {@code norm}. */
    public TransformerEncoder(int dModel, int nHead, int numLayers, TransformerOptions o) {
        OptionChecks.requireOptions("TransformerEncoder", o);
        TransformerOptions.checkSizes("TransformerEncoder", dModel, nHead);
        if (numLayers < 1) {
            throw new IllegalArgumentException("TransformerEncoder: numLayers must be >= 1, got " + numLayers);
        }
        TransformerOptions layerOptions = o.finalNorm(false);
        layers = registerLayer("layers", new Sequential());
        for (int i = 0; i < numLayers; i++) {
            layers.add(new TransformerEncoderLayer(dModel, nHead, layerOptions));
        }
        norm = o.finalNorm() ? registerLayer("norm", new LayerNorm(dModel,
                LayerNorm.Options.defaults().eps(o.layerNormEps()))) : null;
    }

    public TransformerEncoderLayer layer(int i) {
        return (TransformerEncoderLayer) layers.get(i);
    }

    public int numLayers() {
        return layers.size();
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null, null, false);
    }

    public Tensor forward(Tensor x, Tensor keyPaddingMask) {
        return forward(x, null, keyPaddingMask, false);
    }

    public Tensor forward(Tensor x, Tensor mask, Tensor keyPaddingMask, boolean isCausal) {
        for (int i = 0; i < layers.size(); i++) {
            TransformerEncoderLayer layer = layer(i);
            x = layer.call(x, t -> layer.forward(t, mask, keyPaddingMask, isCausal));
        }
        return norm == null ? x : norm.call(x);
    }
}
