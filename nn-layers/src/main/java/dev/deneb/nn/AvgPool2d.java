package dev.deneb.nn;

import dev.deneb.autograd.Variable;
import dev.deneb.tensor.PoolOptions;

/** Average pooling over {@code [N, C, H, W]}. */
public final class AvgPool2d extends Module {
    public final PoolOptions options;

    public AvgPool2d(int kernel) {
        this(PoolOptions.of(kernel));
    }

    public AvgPool2d(PoolOptions options) {
        this.options = options;
    }

    @Override
    public Variable forward(Variable input) {
        return input.avgPool2d(options);
    }

    @Override
    protected String describe() {
        return options.toString();
    }
}
