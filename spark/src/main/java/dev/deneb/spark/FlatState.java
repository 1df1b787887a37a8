package dev.deneb.spark;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A state dict (a model's, an optimizer's) as plain float arrays that Spark can serialize, add up and divide:
 * parameter averaging sums the workers' states with {@code treeAggregate} and divides by their number. Integer
 * entries (step counts) survive the round trip exactly while they stay below 2^24.
 */
record FlatState(String[] keys, int[][] shapes, DType[] dtypes, float[][] values) implements Serializable {

    static FlatState of(Map<String, Tensor> state) {
        int n = state.size();
        String[] keys = new String[n];
        int[][] shapes = new int[n][];
        DType[] dtypes = new DType[n];
        float[][] values = new float[n][];
        int i = 0;
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            keys[i] = e.getKey();
            shapes[i] = e.getValue().shape();
            dtypes[i] = e.getValue().dtype();
            values[i] = e.getValue().toFloatArray();
            i++;
        }
        return new FlatState(keys, shapes, dtypes, values);
    }

    Map<String, Tensor> toMap() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) {
            out.put(keys[i], Tensor.of(values[i]).reshape(shapes[i]).to(dtypes[i]));
        }
        return out;
    }

    /** The element-wise sum of two states with the same keys and shapes. */
    FlatState plus(FlatState o) {
        if (o.keys.length != keys.length) {
            throw new IllegalStateException("parameter averaging: workers returned states with " + keys.length
                    + " and " + o.keys.length + " entries");
        }
        float[][] sum = new float[keys.length][];
        for (int i = 0; i < keys.length; i++) {
            if (!keys[i].equals(o.keys[i]) || values[i].length != o.values[i].length) {
                throw new IllegalStateException("parameter averaging: workers disagree on state entry '" + keys[i]
                        + "' vs '" + o.keys[i] + "'");
            }
            sum[i] = new float[values[i].length];
            for (int j = 0; j < sum[i].length; j++) {
                sum[i][j] = values[i][j] + o.values[i][j];
            }
        }
        return new FlatState(keys, shapes, dtypes, sum);
    }

    /** Every value divided by {@code n}; integer entries are rounded back to whole numbers. */
    FlatState dividedBy(int n) {
        float[][] out = new float[keys.length][];
        for (int i = 0; i < keys.length; i++) {
            out[i] = new float[values[i].length];
            for (int j = 0; j < out[i].length; j++) {
                float v = values[i][j] / n;
                out[i][j] = dtypes[i].isFloating() ? v : Math.round(v);
            }
        }
        return new FlatState(keys, shapes, dtypes, out);
    }
}
