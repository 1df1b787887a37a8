package dev.deneb.spark.tuning;

import java.io.Serializable;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** One hyper-parameter's range in a {@link SearchSpace}: what random search draws from and grid search walks. */
sealed interface Dimension extends Serializable {
    String name();

    Object sample(SplittableRandom random);

    /** Every value, for grid search; continuous ranges have none. */
    List<Object> values();

    /** One of a fixed list of values (numbers, strings, anything serializable). */
    record Choice(String name, List<Object> options) implements Dimension {
        @Override
        public Object sample(SplittableRandom random) {
            return options.get(random.nextInt(options.size()));
        }

        @Override
        public List<Object> values() {
            return options;
        }
    }

    /** Integers {@code low..high}, both included. */
    record IntRange(String name, int low, int high) implements Dimension {
        @Override
        public Object sample(SplittableRandom random) {
            return low + random.nextInt(high - low + 1);
        }

        @Override
        public List<Object> values() {
            return IntStream.rangeClosed(low, high).boxed().map(Object.class::cast).toList();
        }
    }

    /** A double in {@code [low, high)}, uniform, or uniform in the logarithm (learning rates, weight decay). */
    record Continuous(String name, double low, double high, boolean log) implements Dimension {
        @Override
        public Object sample(SplittableRandom random) {
            return log ? Math.exp(random.nextDouble(Math.log(low), Math.log(high))) : random.nextDouble(low, high);
        }

        @Override
        public List<Object> values() {
            throw new IllegalArgumentException("SearchSpace: grid search needs a finite list of values, but '" + name
                    + "' is a continuous range [" + low + ", " + high + "); use choice(...) for it or random search");
        }
    }
}
