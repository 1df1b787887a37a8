package dev.deneb.spark.ml;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Hidden layer widths as text, {@code "64,32"} (empty: none), the form users type and metadata stores. */
public final class HiddenLayers {
    private HiddenLayers() {}

    /** {@code "64, 32"} to {@code [64, 32]}; blank to {@code []}. */
    public static int[] parse(String text) {
        if (text == null || text.isBlank()) {
            return new int[0];
        }
        String[] parts = text.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("hidden layers: '" + text + "' is not a comma-separated list of"
                        + " positive widths such as \"64,32\"");
            }
            if (out[i] < 1) {
                throw new IllegalArgumentException("hidden layers: widths must be at least 1, got '" + text + "'");
            }
        }
        return out;
    }

    public static String format(int[] widths) {
        return Arrays.stream(widths).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }
}
