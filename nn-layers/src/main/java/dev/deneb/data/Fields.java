package dev.deneb.data;

import dev.deneb.tensor.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** Named tensors in insertion order, shared by {@link Sample}, {@link Batch} and {@link TensorDataset}. */
final class Fields {
    private Fields() {}

    /** Checks names and values and returns an unmodifiable ordered copy. */
    static Map<String, Tensor> copyOf(String owner, Map<String, Tensor> fields) {
        if (fields == null) {
            throw new IllegalArgumentException(owner + ": the fields are null");
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        fields.forEach((name, value) -> put(owner, out, name, value));
        return Collections.unmodifiableMap(out);
    }

    /** Fields from alternating names and tensors, as {@code Sample.of("image", x, "label", y)} passes them. */
    static Map<String, Tensor> ofPairs(String owner, Object... namesAndValues) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (out.containsKey(namesAndValues[i])) {
                throw new IllegalArgumentException(owner + ": field '" + namesAndValues[i] + "' is given twice");
            }
            put(owner, out, (String) namesAndValues[i], (Tensor) namesAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(out);
    }

    private static void put(String owner, Map<String, Tensor> out, String name, Tensor value) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(owner + ": a field name is " + (name == null ? "null" : "empty"));
        }
        if (value == null) {
            throw new IllegalArgumentException(owner + ": field '" + name + "' is null");
        }
        out.put(name, value);
    }

    /** The field, or an exception naming the fields there are. */
    static Tensor get(String owner, Map<String, Tensor> fields, String name) {
        Tensor t = fields.get(name);
        if (t == null) {
            throw new IllegalArgumentException(owner + ": no field '" + name + "'; the fields are "
                    + fields.keySet());
        }
        return t;
    }

    /** A copy with one field added or replaced (kept in its place when replaced). */
    static Map<String, Tensor> with(String owner, Map<String, Tensor> fields, String name, Tensor value) {
        Map<String, Tensor> out = new LinkedHashMap<>(fields);
        put(owner, out, name, value);
        return Collections.unmodifiableMap(out);
    }

    /** {@code image [1, 28, 28] f32, label [] i64}. */
    static String describe(Map<String, Tensor> fields) {
        StringJoiner j = new StringJoiner(", ");
        fields.forEach((k, v) -> j.add(k + " " + Arrays.toString(v.shape()) + " " + v.dtype()));
        return j.toString();
    }
}
