package dev.deneb.nn;

import dev.deneb.tensor.PoolOptions;
import dev.deneb.tensor.Tensor;

/** Average pooling over {@code [N, C, H, W]}. */
public final class AvgPool2d extends Layer {
    public final PoolOptions options;

    public AvgPool2d(int kernel) {
        this(PoolOptions.of(kernel));
    }

    public AvgPool2d(PoolOptions options) {
        this.options = OptionChecks.requireOptions("AvgPool2d", options);
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.avgPool2d(options);
    }

    @Override
    protected String describe() {
        return options.toString();
    }
}
