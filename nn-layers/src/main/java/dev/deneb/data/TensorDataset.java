package dev.deneb.data;

import dev.deneb.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A dataset held in tensors whose leading axis indexes the samples: inputs {@code [N, ...]} and targets
 * {@code [N, ...]}, or any named fields ({@code TensorDataset.of("image", x, "label", y, "weight", w)}). Samples are
 * views (no copy); batches come from one {@code indexSelect} per tensor.
 */
public final class TensorDataset implements BatchedDataset {
    private final Map<String, Tensor> tensors;
    private final int size;

    public TensorDataset(Tensor inputs, Tensor targets) {
        if (inputs.dim() == 0 || targets.dim() == 0) {
            throw new IllegalArgumentException("TensorDataset: inputs " + Arrays.toString(inputs.shape())
                    + " and targets " + Arrays.toString(targets.shape()) + " need a leading sample axis");
        }
        if (inputs.size(0) != targets.size(0)) {
            throw new IllegalArgumentException("TensorDataset: inputs have " + inputs.size(0)
                    + " samples (shape " + Arrays.toString(inputs.shape()) + ") but targets have "
                    + targets.size(0) + " (shape " + Arrays.toString(targets.shape()) + ")");
        }
        this.tensors = Fields.ofPairs("TensorDataset", Sample.INPUT, inputs, Sample.TARGET, targets);
        this.size = inputs.size(0);
    }

    private TensorDataset(Map<String, Tensor> tensors) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("TensorDataset: needs at least one field");
        }
        String first = null;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            if (t.dim() == 0) {
                throw new IllegalArgumentException("TensorDataset: field '" + e.getKey() + "' is a scalar; every"
                        + " field needs a leading sample axis");
            }
            if (first == null) {
                first = e.getKey();
            } else if (t.size(0) != tensors.get(first).size(0)) {
                throw new IllegalArgumentException("TensorDataset: field '" + e.getKey() + "' has " + t.size(0)
                        + " samples (shape " + Arrays.toString(t.shape()) + ") but '" + first + "' has "
                        + tensors.get(first).size(0) + " (shape " + Arrays.toString(tensors.get(first).shape()) + ")");
            }
        }
        this.tensors = tensors;
        this.size = tensors.get(first).size(0);
    }

    public static TensorDataset of(String name1, Tensor value1, String name2, Tensor value2) {
        return new TensorDataset(Fields.ofPairs("TensorDataset", name1, value1, name2, value2));
    }

    public static TensorDataset of(String name1, Tensor value1, String name2, Tensor value2, String name3,
                                   Tensor value3) {
        return new TensorDataset(Fields.ofPairs("TensorDataset", name1, value1, name2, value2, name3, value3));
    }

    public static TensorDataset of(String name1, Tensor value1, String name2, Tensor value2, String name3,
                                   Tensor value3, String name4, Tensor value4) {
        return new TensorDataset(Fields.ofPairs("TensorDataset", name1, value1, name2, value2, name3, value3, name4,
                value4));
    }

    /** Any number of fields, in the map's iteration order. */
    public static TensorDataset of(Map<String, Tensor> fields) {
        return new TensorDataset(Fields.copyOf("TensorDataset", fields));
    }

    /** The {@code "input"} tensor. */
    public Tensor inputs() {
        return tensor(Sample.INPUT);
    }

    /** The {@code "target"} tensor. */
    public Tensor targets() {
        return tensor(Sample.TARGET);
    }

    /** The whole tensor of field {@code name}. */
    public Tensor tensor(String name) {
        return Fields.get("TensorDataset", tensors, name);
    }

    /** Every field's tensor, read-only, in order. */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Sample get(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("TensorDataset: index " + index + " out of range 0.." + (size() - 1));
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> out.put(k, v.select(0, index)));
        return Sample.of(out);
    }

    @Override
    public Batch batch(long[] indices) {
        Tensor idx = Tensor.of(indices, indices.length);
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> out.put(k, v.indexSelect(0, idx)));
        return Batch.of(indices.length, out);
    }

    /** A new dataset holding copies of the samples at {@code indices} (e.g. one part of a {@link Splits} split). */
    public TensorDataset subset(long[] indices) {
        return new TensorDataset(batch(indices).fields());
    }

    @Override
    public String toString() {
        if (tensors.size() == 2 && tensors.containsKey(Sample.INPUT) && tensors.containsKey(Sample.TARGET)) {
            return "TensorDataset(inputs " + Arrays.toString(inputs().shape()) + " " + inputs().dtype()
                    + ", targets " + Arrays.toString(targets().shape()) + " " + targets().dtype() + ")";
        }
        return "TensorDataset(" + Fields.describe(tensors) + ")";
    }
}
