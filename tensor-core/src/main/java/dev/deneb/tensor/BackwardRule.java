package dev.deneb.tensor;

/**
 * The backward rule of a custom op: from the gradient of the loss with respect to the op's output, the gradients
 * with respect to each input, in input order ({@code null} where an input needs none). Written with tensor ops, the
 * gradients are themselves differentiable when backward runs with {@code createGraph}.
 */
@FunctionalInterface
public interface BackwardRule {
    Tensor[] backward(Tensor gradOutput);
}
