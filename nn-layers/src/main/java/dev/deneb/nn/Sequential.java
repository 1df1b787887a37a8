package dev.deneb.nn;

import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Layers applied one after another, each through {@link Layer#call(Tensor)} so their hooks run; they are named
 * "0", "1", … as in PyTorch. A subclass may add its layers in its constructor and override {@code forward}:
 * <pre>{@code
 * class Block extends Sequential {
 *     Block(int width) {
 *         add(new Linear(width, width));
 *         add(Activation.relu());
 *     }
 * }
 * }</pre>
 */
public class Sequential extends Layer implements Iterable<Layer> {
    private final List<Layer> layers = new ArrayList<>();

    public Sequential(Layer... layers) {
        for (Layer m : layers) {
            add(m);
        }
    }

    /** Appends a layer, named by its position; returns this. */
    public final Sequential add(Layer layer) {
        if (layer == null) {
            throw new IllegalArgumentException(typeName() + ": layer " + layers.size() + " is null");
        }
        layers.add(registerLayer(Integer.toString(layers.size()), layer));
        return this;
    }

    /** The layer at {@code index} (0-based). */
    public final Layer get(int index) {
        if (index < 0 || index >= layers.size()) {
            throw new IndexOutOfBoundsException(typeName() + ": index " + index + " is out of range for "
                    + layers.size() + " layers");
        }
        return layers.get(index);
    }

    public final int size() {
        return layers.size();
    }

    /** The layers in order (read-only). */
    @Override
    public final Iterator<Layer> iterator() {
        return Collections.unmodifiableList(layers).iterator();
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Layer m : layers) {
            x = m.call(x);
        }
        return x;
    }
}
