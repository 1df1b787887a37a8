package dev.deneb.examples.common;

import java.util.ArrayList;
import java.util.List;

/** Per-epoch figures of a training run. */
public final class History {
    /** One epoch: mean training loss, accuracies in [0, 1], and wall time. */
    public record Epoch(int epoch, double trainLoss, double trainAccuracy, double testAccuracy, double seconds) {}

    private final List<Epoch> epochs = new ArrayList<>();

    public void add(Epoch e) {
        epochs.add(e);
    }

    public List<Epoch> epochs() {
        return List.copyOf(epochs);
    }

    public Epoch last() {
        return epochs.get(epochs.size() - 1);
    }
}
