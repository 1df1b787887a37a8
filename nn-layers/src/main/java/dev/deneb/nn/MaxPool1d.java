package dev.deneb.nn;

import dev.deneb.tensor.PoolOptions;
import dev.deneb.tensor.Tensor;


/** Max pooling over {@code [N, C, L]}. */
public final class MaxPool1d extends Layer {
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
    public Tensor forward(Tensor input) {
        return input.maxPool1d(PoolOptions.of(kernel).stride(stride).padding(padding)).values();
    }

    @Override
    protected String describe() {
        return "kernel=" + kernel + ", stride=" + stride + ", padding=" + padding;
    }
}
