package dev.deneb.spark.tuning;

import java.io.Serializable;

/**
 * What a {@link Trial} reports: its score on validation data and, optionally, the trained weights.
 *
 * @param metric the score the search ranks trials by (NaN ranks last)
 * @param state  the trained model as safetensors bytes, or null
 */
public record TrialOutcome(double metric, byte[] state) implements Serializable {
    public static TrialOutcome of(double metric) {
        return new TrialOutcome(metric, null);
    }

    public static TrialOutcome of(double metric, byte[] state) {
        return new TrialOutcome(metric, state);
    }
}
