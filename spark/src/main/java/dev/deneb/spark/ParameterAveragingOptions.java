package dev.deneb.spark;

import java.io.Serializable;

/**
 * How {@link ParameterAveragingTrainer} runs.
 *
 * @param workers     partitions trained in parallel each round; default 2
 * @param featuresCol default {@code features}
 * @param labelCol    default {@code label}
 * @param syncEvery   local optimizer steps per worker between two averagings; each averaging is one Spark job
 *                    (about 0.1–0.2 s), so keep rounds well above that. Default 20
 * @param treeDepth   depth of {@code treeAggregate}; default 2
 * @param shuffle     reshuffle each worker's rows every epoch; default true
 * @param verbose     one line per epoch on the driver; default true
 */
public record ParameterAveragingOptions(int workers, String featuresCol, String labelCol, int syncEvery, int treeDepth,
        boolean shuffle, boolean verbose) implements Serializable {

    public ParameterAveragingOptions {
        if (workers < 1 || syncEvery < 1 || treeDepth < 1) {
            throw new IllegalArgumentException("ParameterAveragingOptions: workers, syncEvery and treeDepth must be"
                    + " at least 1, got " + workers + ", " + syncEvery + ", " + treeDepth);
        }
    }

    public static ParameterAveragingOptions defaults() {
        return new ParameterAveragingOptions(2, "features", "label", 20, 2, true, true);
    }

    public ParameterAveragingOptions workers(int v) {
        return new ParameterAveragingOptions(v, featuresCol, labelCol, syncEvery, treeDepth, shuffle, verbose);
    }

    public ParameterAveragingOptions featuresCol(String v) {
        return new ParameterAveragingOptions(workers, v, labelCol, syncEvery, treeDepth, shuffle, verbose);
    }

    public ParameterAveragingOptions labelCol(String v) {
        return new ParameterAveragingOptions(workers, featuresCol, v, syncEvery, treeDepth, shuffle, verbose);
    }

    public ParameterAveragingOptions syncEvery(int v) {
        return new ParameterAveragingOptions(workers, featuresCol, labelCol, v, treeDepth, shuffle, verbose);
    }

    public ParameterAveragingOptions treeDepth(int v) {
        return new ParameterAveragingOptions(workers, featuresCol, labelCol, syncEvery, v, shuffle, verbose);
    }

    public ParameterAveragingOptions shuffle(boolean v) {
        return new ParameterAveragingOptions(workers, featuresCol, labelCol, syncEvery, treeDepth, v, verbose);
    }

    public ParameterAveragingOptions verbose(boolean v) {
        return new ParameterAveragingOptions(workers, featuresCol, labelCol, syncEvery, treeDepth, shuffle, v);
    }
}
