package dev.deneb.spark.tuning;

import java.io.Serializable;
import java.util.Map;

/**
 * One finished trial.
 *
 * @param index   position in the list of trials the search generated (0-based)
 * @param params  its hyper-parameters
 * @param metric  its score
 * @param seconds wall time of the trial on its executor
 * @param state   the trained weights the trial returned (safetensors bytes), or null
 */
public record TrialRecord(int index, Map<String, Object> params, double metric, double seconds, byte[] state)
        implements Serializable {}
