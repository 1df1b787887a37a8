package dev.deneb.nn.train;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** One point of a {@link SearchSpace}: hyper-parameter names and their values, in the space's order. */
public record HyperParams(Map<String, Object> values) implements java.io.Serializable {
    public HyperParams {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values)); // LinkedHashMap inside: serializable
    }

    public Object get(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("HyperParams: no '" + name + "'; have " + values.keySet());
        }
        return v;
    }

    public double getDouble(String name) {
        return ((Number) get(name)).doubleValue();
    }

    public int getInt(String name) {
        return ((Number) get(name)).intValue();
    }

    /** A value of the given type (e.g. {@code int[].class} for layer widths). */
    public <T> T get(String name, Class<T> type) {
        return type.cast(get(name));
    }

    /** A value as text: numbers compactly ({@code 3.20e-03}, {@code 0.1}, {@code 0}), arrays as {@code 64,64}. */
    public static String format(Object v) {
        return switch (v) {
            case Double d -> d != 0 && (Math.abs(d) < 1e-2 || Math.abs(d) >= 1e4)
                    ? String.format(java.util.Locale.ROOT, "%.2e", d)
                    : new java.math.BigDecimal(String.format(java.util.Locale.ROOT, "%.3g", d)).stripTrailingZeros()
                            .toPlainString();
            case int[] a -> String.join(",", Arrays.stream(a).mapToObj(Integer::toString).toList());
            case double[] a -> String.join(",", Arrays.stream(a).mapToObj(HyperParams::format).toList());
            default -> String.valueOf(v);
        };
    }

    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(" ");
        values.forEach((k, v) -> j.add(k + "=" + format(v)));
        return j.toString();
    }
}
