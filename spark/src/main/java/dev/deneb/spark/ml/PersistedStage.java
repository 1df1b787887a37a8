package dev.deneb.spark.ml;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/** A stage whose params {@link StageReader} restores; setting defaults is only open to the stage itself. */
interface PersistedStage extends Params {
    void restoreParam(Param<Object> param, Object value, boolean asDefault);
}
