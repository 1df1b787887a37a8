package dev.deneb.nn.train;

import dev.deneb.metrics.Metrics;
import dev.deneb.tensor.Tensor;

/**
 * What the {@link Trainer} watches on the validation set to decide which epoch is best and when to stop: a name, a
 * direction, and a function of the model's outputs on the whole validation set (concatenated, e.g. logits
 * {@code [N, C]}), the targets and the mean validation loss.
 *
 * <pre>{@code
 * ValidationMetric.rocAuc()                       // binary or one-vs-rest AUC of softmax(logits), higher is better
 * ValidationMetric.loss()                         // mean validation loss, lower is better
 * ValidationMetric.of("f1", true, (out, y, loss) -> ...)
 * }</pre>
 */
public record ValidationMetric(String name, boolean higherIsBetter, Evaluator evaluator) {

    /** Computes the metric from validation outputs, targets and mean loss. */
    @FunctionalInterface
    public interface Evaluator {
        double compute(Tensor outputs, Tensor targets, double meanLoss);
    }

    public ValidationMetric {
        if (name == null || name.isBlank() || evaluator == null) {
            throw new IllegalArgumentException("ValidationMetric: a name and an evaluator are required");
        }
    }

    public static ValidationMetric of(String name, boolean higherIsBetter, Evaluator evaluator) {
        return new ValidationMetric(name, higherIsBetter, evaluator);
    }

    /** The mean validation loss (lower is better). */
    public static ValidationMetric loss() {
        return new ValidationMetric("val_loss", false, (out, y, loss) -> loss);
    }

    /** Accuracy of the arg-max of outputs {@code [N, C]} against integer targets. */
    public static ValidationMetric accuracy() {
        return new ValidationMetric("val_accuracy", true,
                (out, y, loss) -> Metrics.accuracy(Metrics.labels(y), Metrics.argmax(Metrics.rows(out))));
    }

    /** Balanced accuracy (mean per-class recall) of the arg-max of outputs {@code [N, C]}. */
    public static ValidationMetric balancedAccuracy() {
        return new ValidationMetric("val_balanced_accuracy", true,
                (out, y, loss) -> Metrics.balancedAccuracy(Metrics.labels(y), Metrics.argmax(Metrics.rows(out))));
    }

    /**
     * ROC AUC of {@code softmax(outputs)} (outputs are logits {@code [N, C]}): binary for two classes, else
     * one-vs-rest macro. Every class must occur in the validation set.
     */
    public static ValidationMetric rocAuc() {
        return new ValidationMetric("val_roc_auc", true,
                (out, y, loss) -> Metrics.rocAuc(y, out.to(dev.deneb.tensor.DType.F64).softmax(1)));
    }

    /** True when {@code candidate} beats {@code best} by more than {@code minDelta} (NaN never does). */
    public boolean improves(double candidate, double best, double minDelta) {
        if (Double.isNaN(candidate)) {
            return false;
        }
        if (Double.isNaN(best)) {
            return true;
        }
        return higherIsBetter ? candidate > best + minDelta : candidate < best - minDelta;
    }
}
