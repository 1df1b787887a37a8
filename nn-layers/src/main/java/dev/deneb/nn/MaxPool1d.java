package dev.deneb.nn;

import dev.deneb.tensor.PoolOptions;
import dev.deneb.tensor.Tensor;

/**
 * Max pooling over {@code [N, C, L]}, configured like {@link MaxPool2d} by a {@link PoolOptions} (1-D pooling reads
 * its width settings): {@code new MaxPool1d(PoolOptions.of(3).stride(2).padding(1))}.
 */
public final class MaxPool1d extends Layer {
    public final PoolOptions options;

    /** A window of {@code kernel} with stride {@code kernel}. */
    public MaxPool1d(int kernel) {
        this(PoolOptions.of(kernel));
    }

    public MaxPool1d(PoolOptions options) {
        this.options = OptionChecks.requireOptions("MaxPool1d", options);
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.maxPool1dValues(options);
    }

    @Override
    protected String describe() {
        return "kernel=" + options.kernelW() + ", stride=" + options.strideW() + ", padding=" + options.padW();
    }
}
