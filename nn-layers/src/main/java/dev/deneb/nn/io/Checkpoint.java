package dev.deneb.nn.io;

import dev.deneb.nn.Layer;
import dev.deneb.tensor.Tensor;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint in ONE safetensors file: the model's state dict (keys prefixed {@code "model."}), the
 * optimizer's state (keys prefixed {@code "optimizer."}), the learning-rate scheduler's state (keys prefixed
 * {@code "scheduler."}), the epoch, the optimizer's scalar settings and free-form metadata (all in
 * {@code __metadata__}).
 *
 * <p>nn-layers does not depend on the optimizer module, so the optimizer's and the scheduler's state are passed in
 * their flat form, the {@code Map<String, Tensor>} that their {@code stateDict()} returns (moment estimates, step
 * counts, the schedule's epoch and base rates…), plus, if wanted, scalar settings as strings. Build a checkpoint with
 * its named setters and give the loaded maps back to {@code loadStateDict}:
 * <pre>{@code
 * Checkpoint.of(model).optimizerState(optimizer.stateDict()).schedulerState(scheduler.stateDict())
 *         .epoch(epoch).save(path);
 *
 * Checkpoint c = Checkpoint.load(path);
 * c.restore(model, true);
 * optimizer.loadStateDict(c.optimizerState());   // a fresh optimizer on the fresh model's parameters
 * scheduler.loadStateDict(c.schedulerState());   // a fresh scheduler built as before on that optimizer
 * int nextEpoch = (int) c.epoch() + 1;
 * }</pre>
 * Because it is a plain safetensors file, PyTorch can read it too (with the prefixes as written).
 *
 * @param modelState        the model's state dict, without the {@code "model."} prefix
 * @param optimizerState    the optimizer's tensors, without the {@code "optimizer."} prefix
 * @param schedulerState    the scheduler's tensors, without the {@code "scheduler."} prefix (empty without one)
 * @param optimizerSettings the optimizer's scalar settings, without the prefix
 * @param epoch             the epoch the checkpoint was taken at (as the caller counts)
 * @param metadata          free-form metadata (not including the reserved keys)
 */
public record Checkpoint(Map<String, Tensor> modelState, Map<String, Tensor> optimizerState,
                         Map<String, Tensor> schedulerState, Map<String, String> optimizerSettings, long epoch,
                         Map<String, String> metadata) {

    /** The metadata key that marks a file as a Deneb checkpoint; its value is the layout version. */
    public static final String MARKER_KEY = "deneb.checkpoint";
    public static final String VERSION = "1";
    public static final String EPOCH_KEY = "epoch";
    public static final String MODEL_PREFIX = "model.";
    public static final String OPTIMIZER_PREFIX = "optimizer.";
    public static final String SCHEDULER_PREFIX = "scheduler.";

    public Checkpoint {
        if (modelState == null || optimizerState == null || schedulerState == null || optimizerSettings == null
                || metadata == null) {
            throw new IllegalArgumentException("Checkpoint: the model, optimizer and scheduler state, the optimizer"
                    + " settings and the metadata must not be null (use an empty map for none)");
        }
        modelState = Collections.unmodifiableMap(new LinkedHashMap<>(modelState));
        optimizerState = Collections.unmodifiableMap(new LinkedHashMap<>(optimizerState));
        schedulerState = Collections.unmodifiableMap(new LinkedHashMap<>(schedulerState));
        optimizerSettings = Collections.unmodifiableMap(new LinkedHashMap<>(optimizerSettings));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** A checkpoint of {@code model}'s current state, with no optimizer or scheduler state, at epoch 0. */
    public static Checkpoint of(Layer model) {
        if (model == null) {
            throw new IllegalArgumentException("Checkpoint.of: the model is null");
        }
        return new Checkpoint(model.stateDict(), Map.of(), Map.of(), Map.of(), 0, Map.of());
    }

    /** This checkpoint with the optimizer's {@code stateDict()}. */
    public Checkpoint optimizerState(Map<String, Tensor> state) {
        return new Checkpoint(modelState, state, schedulerState, optimizerSettings, epoch, metadata);
    }

    /** This checkpoint with the learning-rate scheduler's {@code stateDict()}. */
    public Checkpoint schedulerState(Map<String, Tensor> state) {
        return new Checkpoint(modelState, optimizerState, state, optimizerSettings, epoch, metadata);
    }

    /** This checkpoint with the optimizer's scalar settings as strings (stored in the metadata). */
    public Checkpoint optimizerSettings(Map<String, String> settings) {
        return new Checkpoint(modelState, optimizerState, schedulerState, settings, epoch, metadata);
    }

    /** This checkpoint taken at {@code epoch} (as the caller counts). */
    public Checkpoint epoch(long epoch) {
        return new Checkpoint(modelState, optimizerState, schedulerState, optimizerSettings, epoch, metadata);
    }

    /** This checkpoint with free-form metadata (the reserved keys are refused by {@link #save(Path)}). */
    public Checkpoint metadata(Map<String, String> metadata) {
        return new Checkpoint(modelState, optimizerState, schedulerState, optimizerSettings, epoch, metadata);
    }

    /** Saves the model, the optimizer state and the epoch. */
    public static void save(Path file, Layer model, Map<String, Tensor> optimizerState, long epoch) {
        save(file, model, optimizerState, Map.of(), epoch, Map.of());
    }

    /** Saves the model, the optimizer's tensors and settings, the epoch and free-form metadata. */
    public static void save(Path file, Layer model, Map<String, Tensor> optimizerState,
                            Map<String, String> optimizerSettings, long epoch, Map<String, String> metadata) {
        of(model).optimizerState(optimizerState).optimizerSettings(optimizerSettings).epoch(epoch).metadata(metadata)
                .save(file);
    }

    /** Writes this checkpoint to {@code file} (atomically: a crash leaves the previous file intact). */
    public void save(Path file) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        modelState.forEach((k, v) -> tensors.put(MODEL_PREFIX + k, v));
        optimizerState.forEach((k, v) -> tensors.put(OPTIMIZER_PREFIX + k, v));
        schedulerState.forEach((k, v) -> tensors.put(SCHEDULER_PREFIX + k, v));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put(MARKER_KEY, VERSION);
        meta.put(EPOCH_KEY, Long.toString(epoch));
        optimizerSettings.forEach((k, v) -> meta.put(OPTIMIZER_PREFIX + k, v));
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String k = e.getKey();
            if (meta.containsKey(k) || k.startsWith(OPTIMIZER_PREFIX)) {
                throw new IllegalArgumentException("Checkpoint.save: metadata key '" + k + "' is reserved (format, "
                        + MARKER_KEY + ", " + EPOCH_KEY + " and keys starting with '" + OPTIMIZER_PREFIX + "')");
            }
            meta.put(k, e.getValue());
        }
        SafeTensors.save(tensors, meta, file);
    }

    /**
     * Reads a checkpoint written by {@link #save}. A file that is not a Deneb checkpoint, or that has a tensor
     * outside the {@code model.}/{@code optimizer.}/{@code scheduler.} prefixes or a bad epoch, is an
     * {@link IllegalArgumentException}.
     */
    public static Checkpoint load(Path file) {
        SafeTensors.Contents c = SafeTensors.load(file);
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        String version = meta.remove(MARKER_KEY);
        if (version == null) {
            throw new IllegalArgumentException("Checkpoint.load '" + file + "': not a Deneb checkpoint (its metadata"
                    + " has no '" + MARKER_KEY + "'); use ModelIO.load or SafeTensors.load for a plain state dict");
        }
        if (!version.equals(VERSION)) {
            throw new IllegalArgumentException("Checkpoint.load '" + file + "': checkpoint layout version '" + version
                    + "' is not supported (this Deneb reads version " + VERSION + ")");
        }
        meta.remove("format");
        String epochText = meta.remove(EPOCH_KEY);
        long epoch;
        try {
            epoch = Long.parseLong(epochText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Checkpoint.load '" + file + "': the epoch in the metadata is '"
                    + epochText + "', not an integer");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> free = new LinkedHashMap<>();
        meta.forEach((k, v) -> {
            if (k.startsWith(OPTIMIZER_PREFIX)) {
                settings.put(k.substring(OPTIMIZER_PREFIX.length()), v);
            } else {
                free.put(k, v);
            }
        });
        Map<String, Tensor> model = new LinkedHashMap<>();
        Map<String, Tensor> optimizer = new LinkedHashMap<>();
        Map<String, Tensor> scheduler = new LinkedHashMap<>();
        c.tensors().forEach((k, v) -> {
            if (k.startsWith(MODEL_PREFIX)) {
                model.put(k.substring(MODEL_PREFIX.length()), v);
            } else if (k.startsWith(OPTIMIZER_PREFIX)) {
                optimizer.put(k.substring(OPTIMIZER_PREFIX.length()), v);
            } else if (k.startsWith(SCHEDULER_PREFIX)) {
                scheduler.put(k.substring(SCHEDULER_PREFIX.length()), v);
            } else {
                throw new IllegalArgumentException("Checkpoint.load '" + file + "': tensor '" + k
                        + "' has none of the prefixes '" + MODEL_PREFIX + "', '" + OPTIMIZER_PREFIX + "' and '"
                        + SCHEDULER_PREFIX + "'");
            }
        });
        return new Checkpoint(model, optimizer, scheduler, settings, epoch, free);
    }

    /** Loads the model state into {@code model} (see {@link Layer#loadStateDict}). */
    public Layer.LoadResult restore(Layer model, boolean strict) {
        try {
            return model.loadStateDict(modelState, strict);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Checkpoint.restore into " + model.getClass().getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }
}
