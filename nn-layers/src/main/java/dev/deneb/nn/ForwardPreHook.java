package dev.deneb.nn;

import dev.deneb.tensor.Tensor;

/**
 * Runs before a layer's {@code forward} when the layer is invoked with {@link Layer#call(Tensor)} (PyTorch's
 * {@code register_forward_pre_hook}). Register one with {@link Layer#registerForwardPreHook}.
 */
@FunctionalInterface
public interface ForwardPreHook {
    /**
     * @param layer the layer about to run
     * @param input its input (as left by earlier pre-hooks)
     * @return the input to use instead, or {@code input} itself (or null, PyTorch's {@code None}) to keep it
     */
    Tensor apply(Layer layer, Tensor input);
}
