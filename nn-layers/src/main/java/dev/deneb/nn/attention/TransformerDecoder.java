package dev.deneb.nn.attention;

import dev.deneb.nn.LayerNorm;
import dev.deneb.nn.Layer;
import dev.deneb.nn.Sequential;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;

/**
 * A stack of {@link TransformerDecoderLayer}s ({@code layers.N.*}) and an optional final {@code norm}, as
 * {@code torch.nn.TransformerDecoder}; each layer initialised independently.
 */
public final class TransformerDecoder extends Layer {
    public final Sequential layers;
    public final LayerNorm norm;

    public TransformerDecoder(TransformerEncoderLayer.Options o, int numLayers, boolean finalNorm) {
        this(o, numLayers, finalNorm, Generator.global());
    }

    public TransformerDecoder(TransformerEncoderLayer.Options o, int numLayers, boolean finalNorm, Generator g) {
        if (numLayers < 1) {
            throw new IllegalArgumentException("TransformerDecoder: numLayers must be >= 1, got " + numLayers);
        }
        layers = registerLayer("layers", new Sequential());
        for (int i = 0; i < numLayers; i++) {
            layers.add(new TransformerDecoderLayer(o, g));
        }
        norm = finalNorm ? registerLayer("norm", new LayerNorm(new int[] {o.dModel()}, o.layerNormEps(), true))
                : null;
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
