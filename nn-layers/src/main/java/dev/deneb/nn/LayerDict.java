package dev.deneb.nn;

import dev.deneb.tensor.Tensor;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Holds layers by name and registers them under that name ({@code heads.cls.weight}), like PyTorch's
 * {@code nn.ModuleDict}; iteration follows insertion order. It has no forward of its own: the owning layer calls
 * the layers in its {@code forward}.
 */
public final class LayerDict extends Layer implements Iterable<Layer> {
    private final Map<String, Layer> layers = new LinkedHashMap<>();

    public LayerDict() {}

    /** The entries of {@code layers}, in its iteration order (use a {@link LinkedHashMap} to keep yours). */
    public LayerDict(Map<String, ? extends Layer> layers) {
        layers.forEach(this::put);
    }

    /** Adds a layer under {@code name}, or replaces the one already there (keeping its position); returns this. */
    public LayerDict put(String name, Layer layer) {
        if (layers.containsKey(name)) {
            replaceLayer(name, layer);
        } else {
            registerLayer(name, layer);
        }
        layers.put(name, layer);
        return this;
    }

    /** The layer named {@code name}. */
    public Layer get(String name) {
        Layer l = layers.get(name);
        if (l == null) {
            throw new IllegalArgumentException("LayerDict: no layer named '" + name + "'; the names are "
                    + layers.keySet());
        }
        return l;
    }

    public boolean containsKey(String name) {
        return layers.containsKey(name);
    }

    /** The names, in insertion order. */
    public List<String> keys() {
        return List.copyOf(layers.keySet());
    }

    public int size() {
        return layers.size();
    }

    /** The layers in insertion order (read-only). */
    @Override
    public Iterator<Layer> iterator() {
        return Collections.unmodifiableCollection(layers.values()).iterator();
    }

    /** A LayerDict only holds layers, as PyTorch's ModuleDict. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("LayerDict has no forward: call its layers in the owning layer's"
                + " forward (dict.get(name).call(x))");
    }
}
