package dev.deneb.spark.tuning;

import java.io.Serializable;
import java.util.Map;

/**
 * One training run for one set of hyper-parameters, executed as a Spark task: trains, scores, and returns the score
 * (and, if wanted, the trained weights). It travels to the executors, so it must be serializable, and it should be
 * deterministic for given parameters (Spark may run a task again after a failure).
 * <pre>{@code
 * Trial trial = params -> {
 *     double lr = ((Number) params.get("learningRate")).doubleValue();
 *     Layer net = train(lr);                       // anything: Deneb, data from a broadcast, ...
 *     return TrialOutcome.of(validationAccuracy(net), StateBytes.of(net));
 * };
 * }</pre>
 */
@FunctionalInterface
public interface Trial extends Serializable {
    TrialOutcome run(Map<String, Object> params);

    /** Called once on the driver with every trial's parameters before any runs; throw to refuse bad ones early. */
    default void check(Map<String, Object> params) {}
}
