package dev.deneb.tensor;

import java.util.List;

/**
 * Reverse mode, as tensor-core hands it to the autograd module: tensor-core records the tape ({@link Node}s on
 * tensors), an engine found with {@link java.util.ServiceLoader} walks it. The autograd module provides the one
 * implementation; without it on the class path, {@link Tensor#backward()} says so.
 */
public interface GradientEngine {
    /**
     * Back-propagates {@code gradients} from {@code roots}, accumulating into the {@code grad} of every leaf that
     * requires it (and of non-leaves that retain it).
     */
    void backward(List<Tensor> roots, List<Tensor> gradients, boolean retainGraph, boolean createGraph);
}
