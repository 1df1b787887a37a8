package dev.deneb.onnx.runtime;

import dev.deneb.tensor.Tensor;

/**
 * The implementation of one ONNX operator with Deneb tensor ops, so gradients flow through it like through any
 * other Deneb computation.
 */
@FunctionalInterface
public interface OnnxOp {
    /**
     * Computes a node's outputs.
     *
     * @param call the node, its input values and attribute helpers
     * @return one tensor per output of the node, in order; null for optional outputs the op leaves out
     */
    Tensor[] apply(OpCall call);
}
