package dev.deneb.nn;

import dev.deneb.tensor.PoolOptions;
import dev.deneb.tensor.Tensor;

/** Max pooling over {@code [N, C, H, W]}. */
public final class MaxPool2d extends Layer {
    public final PoolOptions options;

    /** A k×k window with stride k. */
    public MaxPool2d(int kernel) {
        this(PoolOptions.of(kernel));
    }

    public MaxPool2d(PoolOptions options) {
        this.options = OptionChecks.requireOptions("MaxPool2d", options);
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.maxPool2dValues(options);
    }

    @Override
    protected String describe() {
        return options.toString();
    }
}
