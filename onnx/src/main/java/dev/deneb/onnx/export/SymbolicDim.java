package dev.deneb.onnx.export;

import java.util.List;

/**
 * A symbolic dimension of the exported graph (such as {@code batch} or {@code steps}): the input axes that carry it
 * and its size in the example.
 *
 * @param name    the ONNX dim_param
 * @param axes    the (graph input index, axis) pairs of this size
 * @param example the size in the example inputs
 */
record SymbolicDim(String name, List<InputAxis> axes, int example) {
    /** Axis {@code axis} of graph input {@code input}. */
    record InputAxis(int input, int axis) {}
}
