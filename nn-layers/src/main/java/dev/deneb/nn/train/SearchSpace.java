package dev.deneb.nn.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A hyper-parameter space: named dimensions, each a list of choices or a (log-)uniform range. {@link #sample} draws
 * points for a random search (seeded: same seed, same points), {@link #grid} enumerates every combination when all
 * dimensions are choices. Random search is the better default when only a few dimensions matter (Bergstra and
 * Bengio, 2012): it tries N distinct values of each, where a grid of N points tries about N^(1/d). Serializable, so
 * a space can travel to cluster tasks (Spark's hyper-parameter search uses this class too).
 */
public final class SearchSpace implements Serializable {
    /** One dimension: draws a value from a random source. */
    private sealed interface Dimension extends Serializable permits Choice, IntRange, Range {}

    private record Choice(List<Object> values) implements Dimension {}

    private record IntRange(int low, int high) implements Dimension {}

    private record Range(double low, double high, boolean log) implements Dimension {}

    private final Map<String, Dimension> dims = new LinkedHashMap<>();

    /** A space of choices only, one dimension per map entry, in the map's order. */
    public static SearchSpace of(Map<String, ? extends List<?>> choices) {
        SearchSpace s = new SearchSpace();
        choices.forEach(s::choice);
        return s;
    }

    /** A dimension taking one of {@code values} (numbers, strings, int[] layer widths…), uniformly. */
    public SearchSpace choice(String name, Object... values) {
        return choice(name, List.of(values));
    }

    /** A dimension taking one of {@code values}, uniformly. */
    public SearchSpace choice(String name, List<?> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("SearchSpace: '" + name + "' has no choices");
        }
        return add(name, new Choice(List.copyOf(values)));
    }

    /** An integer dimension {@code low..high}, both included (epochs, layer counts); a grid walks every value. */
    public SearchSpace intRange(String name, int low, int high) {
        if (low > high) {
            throw new IllegalArgumentException("SearchSpace: '" + name + "' needs low <= high, got " + low + ".."
                    + high);
        }
        return add(name, new IntRange(low, high));
    }

    /** A real dimension uniform in {@code [low, high)}. */
    public SearchSpace uniform(String name, double low, double high) {
        checkRange(name, low, high, false);
        return add(name, new Range(low, high, false));
    }

    /** A positive real dimension whose logarithm is uniform (learning rates, weight decay). */
    public SearchSpace logUniform(String name, double low, double high) {
        checkRange(name, low, high, true);
        return add(name, new Range(low, high, true));
    }

    private SearchSpace add(String name, Dimension d) {
        if (dims.putIfAbsent(name, d) != null) {
            throw new IllegalArgumentException("SearchSpace: '" + name + "' is defined twice");
        }
        return this;
    }

    private static void checkRange(String name, double low, double high, boolean log) {
        if (!(low < high) || (log && !(low > 0))) {
            throw new IllegalArgumentException("SearchSpace: '" + name + "' needs " + (log ? "0 < " : "")
                    + "low < high, got [" + low + ", " + high + ")");
        }
    }

    public List<String> names() {
        return new ArrayList<>(dims.keySet());
    }

    /** {@code n} random points, drawn independently per dimension from one seeded generator. */
    public List<HyperParams> sample(int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("SearchSpace.sample: n must be >= 1, got " + n);
        }
        SplittableRandom r = new SplittableRandom(seed);
        List<HyperParams> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> p = new LinkedHashMap<>();
            dims.forEach((name, d) -> p.put(name, switch (d) {
                case Choice c -> c.values().get(r.nextInt(c.values().size()));
                case IntRange g -> g.low() + r.nextInt(g.high() - g.low() + 1);
                case Range g -> g.log()
                        ? Math.exp(Math.log(g.low()) + r.nextDouble() * (Math.log(g.high()) - Math.log(g.low())))
                        : g.low() + r.nextDouble() * (g.high() - g.low());
            }));
            out.add(new HyperParams(p));
        }
        return out;
    }

    /**
     * Every combination of the choices and integer ranges, the last dimension varying fastest; real ranges are an
     * error here.
     */
    public List<HyperParams> grid() {
        if (dims.isEmpty()) {
            throw new IllegalArgumentException("SearchSpace.grid: the space has no dimensions");
        }
        List<Map<String, Object>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        for (Map.Entry<String, Dimension> e : dims.entrySet()) {
            List<Object> values = switch (e.getValue()) {
                case Choice c -> c.values();
                case IntRange g -> java.util.stream.IntStream.rangeClosed(g.low(), g.high()).boxed()
                        .map(Object.class::cast).toList();
                case Range g -> throw new IllegalArgumentException("SearchSpace.grid: '" + e.getKey() + "' is a"
                        + " continuous range; a grid needs choices or integer ranges (use sample for ranges)");
            };
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> p : points) {
                for (Object v : values) {
                    Map<String, Object> q = new LinkedHashMap<>(p);
                    q.put(e.getKey(), v);
                    next.add(q);
                }
            }
            points = next;
        }
        return points.stream().map(HyperParams::new).toList();
    }
}
