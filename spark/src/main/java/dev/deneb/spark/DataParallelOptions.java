package dev.deneb.spark;

import java.io.Serializable;
import java.time.Duration;

/**
 * How {@link DataParallelTrainer} runs on the cluster.
 *
 * @param workers       tasks in the barrier stage (ranks); each needs a free task slot at once. Default 2
 * @param featuresCol   a Spark ML vector or array-of-numbers column; default {@code features}
 * @param labelCol      class indices; default {@code label}
 * @param checkpointDir where each epoch's checkpoint goes, reachable from every task (shared mount or Hadoop URI);
 *                      a retried stage resumes from it. Null: no checkpoints. Default null
 * @param timeout       the longest a worker waits for another (connect, each collective); default 5 minutes
 * @param host          the address workers listen on; null (default) takes the executor address Spark reports
 * @param shuffle       reshuffle each worker's rows every epoch; default true
 * @param verbose       print one line per epoch from rank 0; default true
 * @param failAfterEpoch test hook: on the stage's first attempt the last rank throws right after this epoch's
 *                      checkpoint (0: never). Default 0
 */
public record DataParallelOptions(int workers, String featuresCol, String labelCol, String checkpointDir,
        Duration timeout, String host, boolean shuffle, boolean verbose, int failAfterEpoch) implements Serializable {

    public DataParallelOptions {
        if (workers < 1) {
            throw new IllegalArgumentException("DataParallelOptions: workers must be at least 1, got " + workers);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("DataParallelOptions: timeout must be positive, got " + timeout);
        }
    }

    public static DataParallelOptions defaults() {
        return new DataParallelOptions(2, "features", "label", null, Duration.ofMinutes(5), null, true, true, 0);
    }

    public DataParallelOptions workers(int v) {
        return new DataParallelOptions(v, featuresCol, labelCol, checkpointDir, timeout, host, shuffle, verbose,
                failAfterEpoch);
    }

    public DataParallelOptions featuresCol(String v) {
        return new DataParallelOptions(workers, v, labelCol, checkpointDir, timeout, host, shuffle, verbose,
                failAfterEpoch);
    }

    public DataParallelOptions labelCol(String v) {
        return new DataParallelOptions(workers, featuresCol, v, checkpointDir, timeout, host, shuffle, verbose,
                failAfterEpoch);
    }

    public DataParallelOptions checkpointDir(String v) {
        return new DataParallelOptions(workers, featuresCol, labelCol, v, timeout, host, shuffle, verbose,
                failAfterEpoch);
    }

    public DataParallelOptions timeout(Duration v) {
        return new DataParallelOptions(workers, featuresCol, labelCol, checkpointDir, v, host, shuffle, verbose,
                failAfterEpoch);
    }

    public DataParallelOptions host(String v) {
        return new DataParallelOptions(workers, featuresCol, labelCol, checkpointDir, timeout, v, shuffle, verbose,
                failAfterEpoch);
    }

    public DataParallelOptions shuffle(boolean v) {
        return new DataParallelOptions(workers, featuresCol, labelCol, checkpointDir, timeout, host, v, verbose,
                failAfterEpoch);
    }

    public DataParallelOptions verbose(boolean v) {
        return new DataParallelOptions(workers, featuresCol, labelCol, checkpointDir, timeout, host, shuffle, v,
                failAfterEpoch);
    }

    public DataParallelOptions failAfterEpoch(int v) {
        return new DataParallelOptions(workers, featuresCol, labelCol, checkpointDir, timeout, host, shuffle, verbose,
                v);
    }
}
