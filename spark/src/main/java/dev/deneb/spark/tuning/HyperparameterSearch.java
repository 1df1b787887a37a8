package dev.deneb.spark.tuning;

import dev.deneb.nn.train.HyperParams;
import dev.deneb.nn.train.SearchSpace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Hyper-parameter search where each trial is one Spark task: the trials are {@code parallelize}d into as many
 * partitions as there are trials, so Spark spreads them over the executors' free slots and retries a failed one.
 * Results come back best first, as records and as a DataFrame (one row per trial: {@code trial}, the parameters,
 * the metric, {@code seconds}).
 * <pre>{@code
 * SearchSpace space = new SearchSpace().choice("hiddenLayers", "16", "32,16").logUniform("learningRate", 1e-4, 1e-1);
 * try (MlpClassifierTrial trial = MlpClassifierTrial.create(train, validation)) {
 *     SearchResult r = HyperparameterSearch.random(space, 12, 42).metricName("accuracy").run(spark, trial);
 *     r.table().show();
 *     Layer best = trial.factory(r.best().params()).create();  // then StateBytes.load(best, r.best().state())
 * }
 * }</pre>
 */
public final class HyperparameterSearch {
    private final List<Map<String, Object>> trials;
    private String metricName = "metric";
    private boolean maximize = true;

    private HyperparameterSearch(List<Map<String, Object>> trials) {
        this.trials = trials;
    }

    /** Every combination of the space's values. */
    public static HyperparameterSearch grid(SearchSpace space) {
        return new HyperparameterSearch(space.grid().stream().map(HyperParams::values).toList());
    }

    /** {@code n} random draws from the space; the same seed gives the same trials. */
    public static HyperparameterSearch random(SearchSpace space, int n, long seed) {
        return new HyperparameterSearch(space.sample(n, seed).stream().map(HyperParams::values).toList());
    }

    /** The name of the metric column; default {@code metric}. */
    public HyperparameterSearch metricName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("HyperparameterSearch: metricName must not be blank");
        }
        this.metricName = name;
        return this;
    }

    /** Whether a larger metric is better (accuracy: true, default) or worse (loss: false). */
    public HyperparameterSearch maximize(boolean v) {
        this.maximize = v;
        return this;
    }

    /** The parameters of each trial, in the order they run. */
    public List<Map<String, Object>> trials() {
        return trials;
    }

    /** Runs every trial as a Spark task and blocks until all are done. */
    public SearchResult run(SparkSession spark, Trial trial) {
        if (metricName.equals("trial") || metricName.equals("seconds") || trials.get(0).containsKey(metricName)) {
            throw new IllegalArgumentException("HyperparameterSearch: metricName '" + metricName
                    + "' clashes with another result column; choose another name");
        }
        trials.forEach(trial::check);
        List<TrialInput> inputs = new ArrayList<>();
        for (int i = 0; i < trials.size(); i++) {
            inputs.add(new TrialInput(i, trials.get(i)));
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        sc.setJobDescription("Deneb hyper-parameter search: " + trials.size() + " trials");
        List<TrialRecord> done = new ArrayList<>(sc.parallelize(inputs, inputs.size())
                .map(in -> in.runWith(trial)).collect());
        done.sort(order());
        return new SearchResult(spark, done, List.copyOf(trials.get(0).keySet()), metricName, maximize);
    }

    /** Best first; NaN last; ties in trial order. */
    private Comparator<TrialRecord> order() {
        Comparator<TrialRecord> byMetric = Comparator.comparingDouble(TrialRecord::metric);
        if (maximize) {
            byMetric = byMetric.reversed();
        }
        Comparator<TrialRecord> nanLast = Comparator.comparing(r -> Double.isNaN(r.metric()));
        return nanLast.thenComparing(byMetric).thenComparingInt(TrialRecord::index);
    }
}
