package dev.deneb.spark;

import dev.deneb.optim.Adam;
import dev.deneb.optim.Optimizer;
import dev.deneb.tensor.Tensor;
import java.io.Serializable;
import java.util.List;

/** Builds the optimizer over a replica's parameters, on each executor (serializable, as {@link ModelFactory}). */
@FunctionalInterface
public interface OptimizerFactory extends Serializable {
    Optimizer create(List<Tensor> parameters);

    /** Adam with PyTorch's defaults and learning rate {@code lr}. */
    static OptimizerFactory adam(double lr) {
        return params -> new Adam(params, Adam.Options.defaults().lr(lr));
    }
}
