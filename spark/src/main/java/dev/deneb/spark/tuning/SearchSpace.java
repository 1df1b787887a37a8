package dev.deneb.spark.tuning;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The hyper-parameters to search and their ranges, in the order they are added (the order of the result columns).
 * Grid search walks every combination of finite dimensions (the first dimension varies slowest); random search draws
 * each dimension independently from a seeded generator, so a seed always gives the same trials.
 * <pre>{@code
 * SearchSpace space = new SearchSpace()
 *         .choice("hiddenLayers", "16", "32,16")
 *         .logUniform("learningRate", 1e-4, 1e-1)
 *         .intRange("epochs", 3, 8);
 * List<Map<String, Object>> trials = space.sample(10, 42);
 * List<Map<String, Object>> grid = new SearchSpace().choice("learningRate", 1e-3, 1e-2).grid();
 * }</pre>
 */
public final class SearchSpace implements Serializable {
    private final List<Dimension> dimensions = new ArrayList<>();

    /** A space whose every key is a choice among its listed values. */
    public static SearchSpace of(Map<String, ? extends List<?>> choices) {
        SearchSpace s = new SearchSpace();
        choices.forEach((k, v) -> s.choice(k, v));
        return s;
    }

    /** One of {@code values}. */
    public SearchSpace choice(String name, Object... values) {
        return choice(name, List.of(values));
    }

    /** One of {@code values} (none may be null). */
    public SearchSpace choice(String name, List<?> values) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("SearchSpace: '" + name + "' needs at least one value");
        }
        return add(new Dimension.Choice(name, List.copyOf(values)));
    }

    /** An integer in {@code [low, high]}, both included. */
    public SearchSpace intRange(String name, int low, int high) {
        if (low > high) {
            throw new IllegalArgumentException("SearchSpace: '" + name + "' has low " + low + " > high " + high);
        }
        return add(new Dimension.IntRange(name, low, high));
    }

    /** A double uniform in {@code [low, high)}. */
    public SearchSpace uniform(String name, double low, double high) {
        if (!(low < high) || !Double.isFinite(low) || !Double.isFinite(high)) {
            throw new IllegalArgumentException("SearchSpace: '" + name + "' needs finite low < high, got [" + low
                    + ", " + high + ")");
        }
        return add(new Dimension.Continuous(name, low, high, false));
    }

    /** A double whose logarithm is uniform in {@code [log low, log high)}; both bounds must be positive. */
    public SearchSpace logUniform(String name, double low, double high) {
        if (!(low > 0 && low < high) || !Double.isFinite(high)) {
            throw new IllegalArgumentException("SearchSpace: '" + name + "' needs 0 < low < high (log-uniform), got ["
                    + low + ", " + high + ")");
        }
        return add(new Dimension.Continuous(name, low, high, true));
    }

    /** The parameter names, in order. */
    public List<String> names() {
        return dimensions.stream().map(Dimension::name).toList();
    }

    /** Every combination; fails naming a continuous dimension, which has no finite grid. */
    public List<Map<String, Object>> grid() {
        requireDimensions();
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Dimension d : dimensions) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> partial : out) {
                for (Object v : d.values()) {
                    Map<String, Object> m = new LinkedHashMap<>(partial);
                    m.put(d.name(), v);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    /** {@code n} independent draws from a generator seeded with {@code seed}. */
    public List<Map<String, Object>> sample(int n, long seed) {
        requireDimensions();
        if (n < 1) {
            throw new IllegalArgumentException("SearchSpace: the number of trials must be at least 1, got " + n);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Map<String, Object>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Dimension d : dimensions) {
                m.put(d.name(), d.sample(random));
            }
            out.add(m);
        }
        return out;
    }

    private SearchSpace add(Dimension d) {
        if (d.name() == null || d.name().isBlank()) {
            throw new IllegalArgumentException("SearchSpace: parameter names must not be blank");
        }
        if (names().contains(d.name())) {
            throw new IllegalArgumentException("SearchSpace: '" + d.name() + "' was added twice");
        }
        dimensions.add(d);
        return this;
    }

    private void requireDimensions() {
        if (dimensions.isEmpty()) {
            throw new IllegalArgumentException("SearchSpace: add at least one parameter (choice, intRange, uniform,"
                    + " logUniform) before searching");
        }
    }
}
