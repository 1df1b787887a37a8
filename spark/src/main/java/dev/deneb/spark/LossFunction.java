package dev.deneb.spark;

import dev.deneb.nn.Losses;
import dev.deneb.tensor.Tensor;
import java.io.Serializable;

/**
 * The training loss of a batch, averaged over the batch (as PyTorch's {@code reduction='mean'}): data-parallel
 * training averages the ranks' gradients, which equals the global batch's gradient only for a mean loss.
 */
@FunctionalInterface
public interface LossFunction extends Serializable {
    Tensor apply(Tensor output, Tensor target);

    /** Cross-entropy of logits {@code [N, C]} against class indices {@code [N]}. */
    static LossFunction crossEntropy() {
        return Losses::crossEntropy;
    }
}
