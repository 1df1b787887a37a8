package dev.deneb.spark.ml;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/** A stage whose params {@link StageReader} restores; setting defaults is only open to the stage itself. */
interface PersistedStage extends Params {
    /** Sets a param read back from saved metadata, as an explicit value or as a default. */
    default void restoreParam(Param<Object> param, Object value, boolean asDefault) {
        if (asDefault) {
            setDefault(param, value);
        } else {
            set(param, value);
        }
    }
}
