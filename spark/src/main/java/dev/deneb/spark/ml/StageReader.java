package dev.deneb.spark.ml;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.util.MLReader;

/** Loads what {@link StageWriter} saved: checks the class, builds the stage, restores its params. */
final class StageReader<T extends PersistedStage> extends MLReader<T> {
    /** Builds the stage from its uid and save folder (where a model finds its bundle). */
    @FunctionalInterface
    interface Factory<T> {
        T create(String uid, String path, Configuration conf);
    }

    private final Class<T> type;
    private final Factory<T> factory;

    StageReader(Class<T> type, Factory<T> factory) {
        this.type = type;
        this.factory = factory;
    }

    @Override
    public T load(String path) {
        Configuration conf = sparkSession().sparkContext().hadoopConfiguration();
        StageMetadata.Loaded loaded = StageMetadata.read(path, type, conf);
        T stage = factory.create(loaded.uid(), path, conf);
        StageMetadata.restore(loaded, stage);
        return stage;
    }
}
