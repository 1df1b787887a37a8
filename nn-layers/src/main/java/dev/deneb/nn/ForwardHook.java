package dev.deneb.nn;

import dev.deneb.tensor.Tensor;

/**
 * Runs after a layer's {@code forward} when the layer is invoked with {@link Layer#call(Tensor)} (PyTorch's
 * {@code register_forward_hook}). Register one with {@link Layer#registerForwardHook}.
 */
@FunctionalInterface
public interface ForwardHook {
    /**
     * @param layer  the layer that ran
     * @param input  the input its forward received (after the pre-hooks)
     * @param output its output (as left by earlier hooks)
     * @return the output to use instead, or {@code output} itself (or null, PyTorch's {@code None}) to keep it
     */
    Tensor apply(Layer layer, Tensor input, Tensor output);
}
