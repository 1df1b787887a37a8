package dev.deneb.nn;

import dev.deneb.tensor.Generator;

/**
 * Checks shared by the layers' option records, so that every record rejects bad values in its compact constructor
 * with a message naming the record, the value and what was expected.
 */
public final class OptionChecks {
    private OptionChecks() {}

    /** The layer was given {@code null} instead of an options record. */
    public static <T> T requireOptions(String layer, T options) {
        if (options == null) {
            throw new IllegalArgumentException(layer + ": options must not be null (leave them out for the"
                    + " defaults)");
        }
        return options;
    }

    public static void requireGenerator(String record, Generator g) {
        if (g == null) {
            throw new IllegalArgumentException(record + ": generator must not be null (the default is"
                    + " Generator.global())");
        }
    }

    public static void requireProbability(String record, String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(record + ": " + name + " must be in [0, 1], got " + p);
        }
    }

    public static void requirePositive(String record, String name, double v) {
        if (!(v > 0)) {
            throw new IllegalArgumentException(record + ": " + name + " must be > 0, got " + v);
        }
    }

    public static void requireNonNull(String record, String name, Object v, String expected) {
        if (v == null) {
            throw new IllegalArgumentException(record + ": " + name + " must be " + expected + ", got null");
        }
    }
}
