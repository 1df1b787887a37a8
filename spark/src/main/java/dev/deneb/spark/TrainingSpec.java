package dev.deneb.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * What to train and how, shipped to every task: the network, the optimizer, the loss, and the schedule.
 *
 * @param model     builds the network (serializable)
 * @param optimizer builds the optimizer over its parameters; default Adam, lr 1e-3
 * @param loss      mean loss of a batch; default cross-entropy
 * @param epochs    passes over the data; default 10
 * @param batchSize the global batch: with {@code w} workers each takes {@code batchSize / w} rows per step (it must
 *                  divide evenly); default 64
 * @param seed      initial weights and the shuffling of each epoch; default 0
 */
public record TrainingSpec(ModelFactory model, OptimizerFactory optimizer, LossFunction loss, int epochs,
        int batchSize, long seed) implements Serializable {

    public TrainingSpec {
        Objects.requireNonNull(model, "TrainingSpec: model is required");
        Objects.requireNonNull(optimizer, "TrainingSpec: optimizer is required");
        Objects.requireNonNull(loss, "TrainingSpec: loss is required");
        if (epochs < 1) {
            throw new IllegalArgumentException("TrainingSpec: epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("TrainingSpec: batchSize must be at least 1, got " + batchSize);
        }
    }

    /** {@code model} with Adam (lr 1e-3), cross-entropy, 10 epochs, batch 64, seed 0. */
    public static TrainingSpec of(ModelFactory model) {
        return new TrainingSpec(model, OptimizerFactory.adam(1e-3), LossFunction.crossEntropy(), 10, 64, 0);
    }

    public TrainingSpec optimizer(OptimizerFactory v) {
        return new TrainingSpec(model, v, loss, epochs, batchSize, seed);
    }

    public TrainingSpec loss(LossFunction v) {
        return new TrainingSpec(model, optimizer, v, epochs, batchSize, seed);
    }

    public TrainingSpec epochs(int v) {
        return new TrainingSpec(model, optimizer, loss, v, batchSize, seed);
    }

    public TrainingSpec batchSize(int v) {
        return new TrainingSpec(model, optimizer, loss, epochs, v, seed);
    }

    public TrainingSpec seed(long v) {
        return new TrainingSpec(model, optimizer, loss, epochs, batchSize, v);
    }
}
