package dev.deneb.nn.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Per-epoch figures of a {@link Trainer#fit()} run, the best epoch by the validation metric, and why it stopped.
 */
public final class TrainingHistory {
    /**
     * One epoch (numbered from 1): mean training loss (weighted by batch size), mean validation loss, the
     * validation metric, wall time in seconds, and whether this epoch was the best so far.
     */
    public record Epoch(int epoch, double trainLoss, double validationLoss, double metric, double seconds,
            boolean improved) {}

    private final String metricName;
    private final boolean higherIsBetter;
    private final List<Epoch> epochs = new ArrayList<>();
    private int bestIndex = -1;
    private boolean stoppedEarly;

    public TrainingHistory(String metricName, boolean higherIsBetter) {
        this.metricName = metricName;
        this.higherIsBetter = higherIsBetter;
    }

    void add(Epoch e) {
        epochs.add(e);
        if (e.improved()) {
            bestIndex = epochs.size() - 1;
        }
    }

    void markStoppedEarly() {
        stoppedEarly = true;
    }

    public String metricName() {
        return metricName;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    public List<Epoch> epochs() {
        return List.copyOf(epochs);
    }

    public int size() {
        return epochs.size();
    }

    public Epoch last() {
        return epochs.get(epochs.size() - 1);
    }

    /** The best epoch by the validation metric (the first of equals), or null before any epoch improved. */
    public Epoch best() {
        return bestIndex < 0 ? null : epochs.get(bestIndex);
    }

    /** True when training ended because the metric stopped improving (patience ran out). */
    public boolean stoppedEarly() {
        return stoppedEarly;
    }

    /** The history as CSV: {@code epoch,train_loss,val_loss,<metric>,seconds,best}. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder("epoch,train_loss,val_loss," + metricName + ",seconds,best\n");
        for (Epoch e : epochs) {
            sb.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.3f,%d%n", e.epoch(), e.trainLoss(),
                    e.validationLoss(), e.metric(), e.seconds(), e.improved() ? 1 : 0));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        Epoch b = best();
        return "TrainingHistory(" + epochs.size() + " epochs, best " + metricName + " "
                + (b == null ? "none" : String.format(Locale.ROOT, "%.4f at epoch %d", b.metric(), b.epoch()))
                + (stoppedEarly ? ", stopped early" : "") + ")";
    }
}
