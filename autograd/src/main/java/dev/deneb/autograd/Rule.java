package dev.deneb.autograd;

/**
 * The backward rule of one recorded op: given the gradient of the loss with respect to the op's output, the
 * gradients with respect to each input (in input order; {@code null} where an input needs none). Rules are written
 * with {@link Variable} ops, so that with {@code createGraph} the gradients are themselves differentiable.
 */
@FunctionalInterface
public interface Rule {
    Variable[] backward(Variable gradOutput);
}
