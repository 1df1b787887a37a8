package dev.deneb.nn;

import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Modules applied one after another; they are named "0", "1", … as in PyTorch. */
public final class Sequential extends Layer {
    private final List<Layer> layers = new ArrayList<>();

    public Sequential(Layer... layers) {
        for (Layer m : layers) {
            add(m);
        }
    }

    /** Appends a module; returns this. */
    public Sequential add(Layer m) {
        layers.add(registerLayer(Integer.toString(layers.size()), m));
        return this;
    }

    public Layer get(int index) {
        return layers.get(index);
    }

    public int size() {
        return layers.size();
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Layer m : layers) {
            x = m.forward(x);
        }
        return x;
    }
}
