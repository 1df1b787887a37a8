package dev.deneb.nn;

import dev.deneb.autograd.Variable;
import java.util.ArrayList;
import java.util.List;

/** Modules applied one after another; they are named "0", "1", … as in PyTorch. */
public final class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    public Sequential(Module... layers) {
        for (Module m : layers) {
            add(m);
        }
    }

    /** Appends a module; returns this. */
    public Sequential add(Module m) {
        layers.add(registerModule(Integer.toString(layers.size()), m));
        return this;
    }

    public Module get(int index) {
        return layers.get(index);
    }

    public int size() {
        return layers.size();
    }

    @Override
    public Variable forward(Variable input) {
        Variable x = input;
        for (Module m : layers) {
            x = m.forward(x);
        }
        return x;
    }
}
