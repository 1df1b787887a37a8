package dev.deneb.nn;

import dev.deneb.autograd.Variable;

/** Merges axes {@code start..end} (default 1..-1: everything but the batch). */
public final class Flatten extends Module {
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
    public Variable forward(Variable input) {
        return input.flatten(start, end);
    }
}
