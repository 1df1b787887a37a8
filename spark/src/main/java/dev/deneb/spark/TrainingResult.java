package dev.deneb.spark;

import dev.deneb.nn.Layer;
import java.io.Serializable;
import java.util.List;

/**
 * What distributed training hands back to the driver: the trained weights as safetensors bytes and the per-epoch
 * history.
 *
 * @param state        the trained model's state dict ({@link StateBytes})
 * @param history      one entry per epoch, including epochs run before a resume
 * @param workers      how many tasks trained
 * @param stageAttempt Spark's attempt number of the stage that finished (0 unless a failure made Spark retry it)
 * @param resumedFrom  the epoch restored from a checkpoint (0: trained from the start)
 */
public record TrainingResult(byte[] state, List<EpochStats> history, int workers, int stageAttempt,
        int resumedFrom) implements Serializable {

    /** A fresh model from {@code factory} with the trained weights. */
    public Layer model(ModelFactory factory) {
        return StateBytes.load(factory.create(), state);
    }

    /** The last epoch's statistics. */
    public EpochStats last() {
        return history.get(history.size() - 1);
    }
}
