package dev.deneb.nn;

import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Holds layers in a list and registers them as "0", "1", … so their parameters appear in the state dict
 * ({@code layers.0.weight}), like PyTorch's {@code nn.ModuleList}. It has no forward of its own: the owning layer
 * calls the layers in its {@code forward}.
 */
public final class LayerList extends Layer implements Iterable<Layer> {
    private final List<Layer> layers = new ArrayList<>();

    public LayerList(Layer... layers) {
        for (Layer m : layers) {
            add(m);
        }
    }

    /** Appends a layer, named by its position; returns this. */
    public LayerList add(Layer layer) {
        if (layer == null) {
            throw new IllegalArgumentException("LayerList: layer " + layers.size() + " is null");
        }
        layers.add(registerLayer(Integer.toString(layers.size()), layer));
        return this;
    }

    /** The layer at {@code index} (0-based). */
    public Layer get(int index) {
        if (index < 0 || index >= layers.size()) {
            throw new IndexOutOfBoundsException("LayerList: index " + index + " is out of range for " + layers.size()
                    + " layers");
        }
        return layers.get(index);
    }

    public int size() {
        return layers.size();
    }

    /** The layers in order (read-only). */
    @Override
    public Iterator<Layer> iterator() {
        return Collections.unmodifiableList(layers).iterator();
    }

    /** A LayerList only holds layers, as PyTorch's ModuleList. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("LayerList has no forward: call its layers in the owning layer's"
                + " forward (for (Layer l : list) x = l.call(x))");
    }
}
