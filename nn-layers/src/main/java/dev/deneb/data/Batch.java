package dev.deneb.data;

import dev.deneb.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A mini-batch: named tensors, usually one per {@link Sample} field stacked along a new leading axis, and the number
 * of samples it holds. The two-field form {@code new Batch(inputs, targets)} has fields {@code "input"} and
 * {@code "target"}, read with {@link #inputs()} and {@link #targets()}; other fields are read by name,
 * {@code batch.get("weight")}, or all at once into a record, {@code batch.as(Item.class)}.
 */
public final class Batch {
    private final Map<String, Tensor> fields;
    private final int size;

    private Batch(Map<String, Tensor> fields, int size) {
        this.fields = fields;
        this.size = size;
    }

    /** Inputs {@code [size, ...]} and targets {@code [size, ...]}. */
    public Batch(Tensor inputs, Tensor targets, int size) {
        if (inputs == null || targets == null) {
            throw new IllegalArgumentException("Batch: inputs and targets must not be null");
        }
        if (inputs.dim() == 0 || targets.dim() == 0 || inputs.size(0) != size || targets.size(0) != size) {
            throw new IllegalArgumentException("Batch: inputs " + Arrays.toString(inputs.shape())
                    + " and targets " + Arrays.toString(targets.shape())
                    + " must both have leading size " + size);
        }
        this.fields = Fields.ofPairs("Batch", Sample.INPUT, inputs, Sample.TARGET, targets);
        this.size = size;
    }

    /** A batch whose size is read from the inputs' leading axis. */
    public Batch(Tensor inputs, Tensor targets) {
        this(inputs, targets, inputs == null || inputs.dim() == 0 ? -1 : inputs.size(0));
    }

    /**
     * A batch of {@code size} samples with any fields, in the map's order, as a {@link Collate} builds it. The fields'
     * shapes are the collate's business (padded sequences, masks, lengths…); only the size is checked.
     */
    public static Batch of(int size, Map<String, Tensor> fields) {
        if (size < 0) {
            throw new IllegalArgumentException("Batch: size must be >= 0, got " + size);
        }
        return new Batch(Fields.copyOf("Batch", fields), size);
    }

    /** The field called {@code name}; an {@link IllegalArgumentException} names the fields there are. */
    public Tensor get(String name) {
        return Fields.get("Batch", fields, name);
    }

    public boolean has(String name) {
        return fields.containsKey(name);
    }

    /** The field names, in order. */
    public Set<String> names() {
        return fields.keySet();
    }

    /** All fields, read-only, in order. */
    public Map<String, Tensor> fields() {
        return fields;
    }

    /** The number of samples. */
    public int size() {
        return size;
    }

    /** The {@code "input"} field. */
    public Tensor inputs() {
        return get(Sample.INPUT);
    }

    /** The {@code "target"} field. */
    public Tensor targets() {
        return get(Sample.TARGET);
    }

    /** This batch with a field added, or replaced in place (e.g. normalised inputs in a transform). */
    public Batch with(String name, Tensor value) {
        return new Batch(Fields.with("Batch", fields, name, value), size);
    }

    /**
     * The fields as a record whose components are all tensors, matched by name: a sample record such as
     * {@code record Item(Tensor image, Tensor label)} reads back its stacked batch. Fields the record does not
     * name are left out; a component with no field is an {@link IllegalArgumentException}.
     */
    public <R extends Record> R as(Class<R> type) {
        return RecordFields.build("Batch.as", type, fields);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Batch b && size == b.size && fields.equals(b.fields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fields, size);
    }

    @Override
    public String toString() {
        return "Batch(size " + size + ": " + Fields.describe(fields) + ")";
    }
}
