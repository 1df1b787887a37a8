package dev.deneb.spark.ml;

import dev.deneb.spark.inference.HadoopFiles;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLWriter;

/**
 * Saves a stage as Spark ML expects ({@link StageMetadata}) plus, for a trained model, its safetensors bundle in
 * {@code <path>/model.safetensors}. {@link MLWriter#save} has already refused an existing path unless
 * {@code overwrite()} was called.
 */
final class StageWriter extends MLWriter {
    static final String BUNDLE = "model.safetensors";

    private final Params stage;
    private final byte[] bundle;

    /** {@code bundle}: the model's safetensors bytes, or null for a stage with params only. */
    StageWriter(Params stage, byte[] bundle) {
        this.stage = stage;
        this.bundle = bundle;
    }

    @Override
    public void saveImpl(String path) {
        var conf = sparkSession().sparkContext().hadoopConfiguration();
        StageMetadata.write(stage, path, sparkSession().version(), conf);
        if (bundle != null) {
            HadoopFiles.write(new Path(path, BUNDLE).toString(), bundle, conf);
        }
    }
}
