package dev.deneb.nn;

import dev.deneb.tensor.Tensor;


/** Merges axes {@code start..end} (default 1..-1: everything but the batch). */
public final class Flatten extends Layer {
    public final int start;
    public final int end;

    public Flatten() {
        this(1, -1);
    }

    public Flatten(int start, int end) {
        this.start = start;
        this.end = end;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.flatten(start, end);
    }
}
