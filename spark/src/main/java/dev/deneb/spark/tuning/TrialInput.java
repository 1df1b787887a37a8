package dev.deneb.spark.tuning;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/** One trial as a Spark task receives it: its index and parameters. */
record TrialInput(int index, Map<String, Object> params) implements Serializable {
    TrialInput {
        params = new LinkedHashMap<>(params); // a serializable copy in a known order
    }

    TrialRecord runWith(Trial trial) {
        long start = System.nanoTime();
        TrialOutcome out = trial.run(Map.copyOf(params));
        if (out == null) {
            throw new IllegalStateException("HyperparameterSearch: trial " + index + " " + params
                    + " returned null instead of a TrialOutcome");
        }
        return new TrialRecord(index, params, out.metric(), (System.nanoTime() - start) / 1e9, out.state());
    }
}
