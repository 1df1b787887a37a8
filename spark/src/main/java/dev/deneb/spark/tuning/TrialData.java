package dev.deneb.spark.tuning;

import dev.deneb.spark.LabeledData;
import dev.deneb.tensor.Tensor;
import java.io.Serializable;
import java.util.Iterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A small labelled split collected to the driver and broadcast to the trials ({@link LabeledData} in a serializable
 * form).
 */
record TrialData(float[] features, long[] labels, int width) implements Serializable {

    static TrialData collect(Dataset<Row> data, String featuresCol, String labelCol, String which) {
        Iterator<Row> rows = data.select(featuresCol, labelCol).toLocalIterator();
        LabeledData d = LabeledData.fromRows(rows, 0, 1);
        if (d.rows() == 0) {
            throw new IllegalArgumentException("MlpClassifierTrial: the " + which + " split has no rows");
        }
        return new TrialData(d.features(), d.labels(), d.width());
    }

    int rows() {
        return labels.length;
    }

    LabeledData labeled() {
        return new LabeledData(features, labels, width);
    }

    Tensor inputs(int[] index) {
        return labeled().inputs(index);
    }

    Tensor targets(int[] index) {
        return labeled().targets(index);
    }
}
