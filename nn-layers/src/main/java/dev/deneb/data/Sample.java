package dev.deneb.data;

import dev.deneb.tensor.Tensor;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One example of a {@link Dataset}: named tensors, in order, like the dict a PyTorch dataset returns. The common case
 * is an input and a target, {@code new Sample(x, y)} (fields {@code "input"} and {@code "target"}); anything more is
 * named:
 * <pre>{@code
 * Sample.of("image", image, "label", label, "weight", weight)
 * Sample.of(new Item(image, label, weight))   // record Item(Tensor image, Tensor label, Tensor weight) {}
 * }</pre>
 * The {@link DataLoader} stacks each field into a {@link Batch} field of the same name (see {@link Collate}).
 */
public final class Sample {
    /** The field names of the two-field form. */
    public static final String INPUT = "input";
    public static final String TARGET = "target";

    private final Map<String, Tensor> fields;

    private Sample(Map<String, Tensor> fields) {
        this.fields = fields;
    }

    /** An input and its target (a label, a regression value…): fields {@code "input"} and {@code "target"}. */
    public Sample(Tensor input, Tensor target) {
        if (input == null || target == null) {
            throw new IllegalArgumentException("Sample: input and target must not be null");
        }
        this.fields = Fields.ofPairs("Sample", INPUT, input, TARGET, target);
    }

    public static Sample of(String name, Tensor value) {
        return new Sample(Fields.ofPairs("Sample", name, value));
    }

    public static Sample of(String name1, Tensor value1, String name2, Tensor value2) {
        return new Sample(Fields.ofPairs("Sample", name1, value1, name2, value2));
    }

    public static Sample of(String name1, Tensor value1, String name2, Tensor value2, String name3, Tensor value3) {
        return new Sample(Fields.ofPairs("Sample", name1, value1, name2, value2, name3, value3));
    }

    public static Sample of(String name1, Tensor value1, String name2, Tensor value2, String name3, Tensor value3,
                            String name4, Tensor value4) {
        return new Sample(Fields.ofPairs("Sample", name1, value1, name2, value2, name3, value3, name4, value4));
    }

    /** Any number of fields, in the map's iteration order (use a {@code LinkedHashMap} to choose it). */
    public static Sample of(Map<String, Tensor> fields) {
        return new Sample(Fields.copyOf("Sample", fields));
    }

    /**
     * The tensor components of a record, by component name and in declaration order; every component must be a
     * {@link Tensor}. {@link Batch#as(Class)} turns a batch back into the same record type.
     */
    public static Sample of(Record record) {
        return new Sample(Fields.copyOf("Sample", RecordFields.read("Sample.of", record)));
    }

    /** The field called {@code name}; an {@link IllegalArgumentException} names the fields there are. */
    public Tensor get(String name) {
        return Fields.get("Sample", fields, name);
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

    /** The {@code "input"} field. */
    public Tensor input() {
        return get(INPUT);
    }

    /** The {@code "target"} field. */
    public Tensor target() {
        return get(TARGET);
    }

    /** This sample with a field added, or replaced in place. */
    public Sample with(String name, Tensor value) {
        return new Sample(Fields.with("Sample", fields, name, value));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sample s && fields.equals(s.fields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fields);
    }

    @Override
    public String toString() {
        return "Sample(" + Fields.describe(fields) + ")";
    }
}
