package dev.deneb.nn.train;

import dev.deneb.tensor.GradMode;
import dev.deneb.data.Batch;
import dev.deneb.data.DataLoader;
import dev.deneb.nn.Layer;
import dev.deneb.tensor.Tensor;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * A supervised training loop with early stopping on a validation metric and a best checkpoint, the part of every
 * training script that is the same each time:
 * <pre>{@code
 * Adam adam = new Adam(model.parameters(), Adam.Options.defaults().lr(1e-3));
 * TrainingHistory h = Trainer.builder(model)
 *         .loss((logits, y) -> Losses.crossEntropy(logits, y, weighted))
 *         .optimizerStep(adam::step)
 *         .trainLoader(train).validationLoader(val)
 *         .metric(ValidationMetric.rocAuc()).maxEpochs(200).patience(20)
 *         .onEpochEnd(e -> schedule.step())
 *         .build().fit();
 * }</pre>
 * Each epoch: for every training batch, {@code model.zeroGrad()}, forward, loss, backward, then the optimizer step
 * (a {@link Runnable}, so this module needs no optimizer library); then the model runs on the validation set in eval
 * mode without recording gradients, and the metric is computed on all its outputs at once. When the metric
 * improves (by more than {@code minDelta}) a copy of the state dict is kept in memory (and
 * {@code onImprovement} is called, e.g. to save a file); after {@code patience} epochs without improvement the
 * loop stops. At the end the best state is loaded back into the model (unless {@code restoreBest(false)}) and the
 * model is left in eval mode.
 */
public final class Trainer {
    private final Layer model;
    private final BiFunction<Tensor, Tensor, Tensor> loss;
    private final Runnable optimizerStep;
    private final DataLoader train;
    private final DataLoader validation;
    private final ValidationMetric metric;
    private final int maxEpochs;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBest;
    private final Consumer<TrainingHistory.Epoch> onEpochEnd;
    private final BiConsumer<TrainingHistory.Epoch, Layer> onImprovement;
    private final PrintStream log;
    private Map<String, Tensor> bestState;

    private Trainer(Builder b) {
        this.model = b.model;
        this.loss = Objects.requireNonNull(b.loss, "Trainer: loss(...) is required");
        this.optimizerStep = Objects.requireNonNull(b.optimizerStep, "Trainer: optimizerStep(...) is required");
        this.train = Objects.requireNonNull(b.train, "Trainer: trainLoader(...) is required");
        this.validation = Objects.requireNonNull(b.validation, "Trainer: validationLoader(...) is required");
        this.metric = b.metric;
        this.maxEpochs = b.maxEpochs;
        this.patience = b.patience;
        this.minDelta = b.minDelta;
        this.restoreBest = b.restoreBest;
        this.onEpochEnd = b.onEpochEnd;
        this.onImprovement = b.onImprovement;
        this.log = b.log;
    }

    public static Builder builder(Layer model) {
        return new Builder(model);
    }

    /** Runs the loop and returns the per-epoch history. */
    public TrainingHistory fit() {
        TrainingHistory history = new TrainingHistory(metric.name(), metric.higherIsBetter());
        double best = Double.NaN;
        int sinceBest = 0;
        for (int epoch = 1; epoch <= maxEpochs; epoch++) {
            long start = System.nanoTime();
            double trainLoss = trainEpoch(epoch);
            Evaluation v = evaluate(model, validation, loss);
            double value = metric.evaluator().compute(v.outputs(), v.targets(), v.meanLoss());
            boolean improved = metric.improves(value, best, minDelta);
            if (improved) {
                best = value;
                sinceBest = 0;
                bestState = copy(model.stateDict());
            } else {
                sinceBest++;
            }
            TrainingHistory.Epoch e = new TrainingHistory.Epoch(epoch, trainLoss, v.meanLoss(), value,
                    (System.nanoTime() - start) / 1e9, improved);
            history.add(e);
            if (log != null) {
                log.printf(Locale.ROOT, "epoch %3d/%d  train loss %.4f  val loss %.4f  %s %.4f%s  %.1f s%n", epoch,
                        maxEpochs, trainLoss, v.meanLoss(), metric.name(), value, improved ? " *" : "", e.seconds());
            }
            if (improved && onImprovement != null) {
                onImprovement.accept(e, model);
            }
            if (onEpochEnd != null) {
                onEpochEnd.accept(e);
            }
            if (patience > 0 && sinceBest >= patience) {
                history.markStoppedEarly();
                if (log != null) {
                    log.printf(Locale.ROOT, "early stop: no improvement of %s for %d epochs (best %.4f at epoch %d)%n",
                            metric.name(), patience, best, history.best() == null ? 0 : history.best().epoch());
                }
                break;
            }
        }
        if (restoreBest && bestState != null) {
            model.loadStateDict(bestState, true);
        }
        model.eval();
        return history;
    }

    /** A copy of the best state dict seen so far (null before the first improvement). */
    public Map<String, Tensor> bestState() {
        return bestState == null ? null : copy(bestState);
    }

    private double trainEpoch(int epoch) {
        model.train();
        double sum = 0;
        long seen = 0;
        for (Batch b : train.epoch(epoch - 1)) {
            model.zeroGrad();
            Tensor out = model.call(b.inputs());
            Tensor l = loss.apply(out, b.targets());
            l.backward();
            optimizerStep.run();
            double value = l.item();
            if (!Double.isFinite(value)) {
                throw new IllegalStateException("Trainer: the training loss became " + value + " in epoch " + epoch
                        + " (lower the learning rate?)");
            }
            sum += value * b.size();
            seen += b.size();
        }
        return seen == 0 ? Double.NaN : sum / seen;
    }

    /** Model outputs on a whole data set (concatenated along axis 0), its targets, and the batch-size-weighted mean loss. */
    public record Evaluation(Tensor outputs, Tensor targets, double meanLoss) {}

    /** Runs {@code model} in eval mode without gradients over {@code loader}; restores the previous mode after. */
    public static Evaluation evaluate(Layer model, DataLoader loader, BiFunction<Tensor, Tensor, Tensor> loss) {
        boolean wasTraining = model.isTraining();
        model.eval();
        List<Tensor> outs = new ArrayList<>();
        List<Tensor> targets = new ArrayList<>();
        double sum = 0;
        long seen = 0;
        try (GradMode.Scope s = GradMode.noGrad()) {
            for (Batch b : loader.epoch(0)) {
                Tensor out = model.call(b.inputs());
                outs.add(out.detach());
                targets.add(b.targets());
                if (loss != null) {
                    sum += loss.apply(out, b.targets()).item() * b.size();
                }
                seen += b.size();
            }
        } finally {
            model.train(wasTraining);
        }
        if (outs.isEmpty()) {
            throw new IllegalArgumentException("Trainer.evaluate: the data set is empty");
        }
        return new Evaluation(Tensor.cat(0, outs), Tensor.cat(0, targets), loss == null ? Double.NaN : sum / seen);
    }

    private static Map<String, Tensor> copy(Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((k, t) -> out.put(k, t.copy()));
        return out;
    }

    /** Settings of a {@link Trainer}; loss, optimizer step and both loaders are required. */
    public static final class Builder {
        private final Layer model;
        private BiFunction<Tensor, Tensor, Tensor> loss;
        private Runnable optimizerStep;
        private DataLoader train;
        private DataLoader validation;
        private ValidationMetric metric = ValidationMetric.loss();
        private int maxEpochs = 100;
        private int patience = 10;
        private double minDelta = 0;
        private boolean restoreBest = true;
        private Consumer<TrainingHistory.Epoch> onEpochEnd;
        private BiConsumer<TrainingHistory.Epoch, Layer> onImprovement;
        private PrintStream log;

        private Builder(Layer model) {
            this.model = Objects.requireNonNull(model, "Trainer: model is null");
        }

        /** The training loss of model outputs and targets, e.g. {@code Losses::crossEntropy}. */
        public Builder loss(BiFunction<Tensor, Tensor, Tensor> loss) {
            this.loss = loss;
            return this;
        }

        /** Called after each backward pass, e.g. {@code adam::step}. Gradients are cleared by the trainer. */
        public Builder optimizerStep(Runnable step) {
            this.optimizerStep = step;
            return this;
        }

        public Builder trainLoader(DataLoader loader) {
            this.train = loader;
            return this;
        }

        public Builder validationLoader(DataLoader loader) {
            this.validation = loader;
            return this;
        }

        /** What decides the best epoch (default: validation loss). */
        public Builder metric(ValidationMetric metric) {
            this.metric = Objects.requireNonNull(metric);
            return this;
        }

        public Builder maxEpochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("Trainer: maxEpochs must be >= 1, got " + epochs);
            }
            this.maxEpochs = epochs;
            return this;
        }

        /** Stop after this many epochs without improvement; 0 disables early stopping (default 10). */
        public Builder patience(int epochs) {
            if (epochs < 0) {
                throw new IllegalArgumentException("Trainer: patience must be >= 0, got " + epochs);
            }
            this.patience = epochs;
            return this;
        }

        /** The smallest change of the metric that counts as an improvement (default 0). */
        public Builder minDelta(double delta) {
            if (!(delta >= 0)) {
                throw new IllegalArgumentException("Trainer: minDelta must be >= 0, got " + delta);
            }
            this.minDelta = delta;
            return this;
        }

        /** Whether to load the best state back at the end (default true). */
        public Builder restoreBest(boolean restore) {
            this.restoreBest = restore;
            return this;
        }

        /** Called after every epoch (after validation), e.g. to step a learning-rate schedule. */
        public Builder onEpochEnd(Consumer<TrainingHistory.Epoch> hook) {
            this.onEpochEnd = hook;
            return this;
        }

        /** Called when the metric improves, with the model in its new best state, e.g. to save a checkpoint file. */
        public Builder onImprovement(BiConsumer<TrainingHistory.Epoch, Layer> hook) {
            this.onImprovement = hook;
            return this;
        }

        /** Where to print one line per epoch (null, the default, prints nothing). */
        public Builder log(PrintStream out) {
            this.log = out;
            return this;
        }

        public Trainer build() {
            return new Trainer(this);
        }
    }
}
