package dev.deneb.nn;

import dev.deneb.autograd.Variable;

/** Max pooling over {@code [N, C, L]}. */
public final class MaxPool1d extends Module {
    public final int kernel;
    public final int stride;
    public final int padding;

    public MaxPool1d(int kernel) {
        this(kernel, kernel, 0);
    }

    public MaxPool1d(int kernel, int stride, int padding) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    public Variable forward(Variable input) {
        return input.maxPool1d(kernel, stride, padding, 1, false).values();
    }

    @Override
    protected String describe() {
        return "kernel=" + kernel + ", stride=" + stride + ", padding=" + padding;
    }
}
