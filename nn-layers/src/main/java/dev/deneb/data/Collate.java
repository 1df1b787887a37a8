package dev.deneb.data;

import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the samples of one mini-batch into a {@link Batch}, like PyTorch's {@code collate_fn}. The default,
 * {@link #stack()}, stacks each field along a new leading axis; give your own to
 * {@link DataLoader.Builder#collate} for anything else, e.g. padding sequences of different lengths:
 * <pre>{@code
 * Collate pad = samples -> {
 *     int longest = samples.stream().mapToInt(s -> s.get("tokens").size(0)).max().orElse(0);
 *     ... pad each "tokens" to longest, build a mask ...
 *     return Batch.of(samples.size(), Map.of("tokens", padded, "mask", mask, "label", labels));
 * };
 * }</pre>
 * A collate runs on the prefetch thread when the loader has one, so it must not touch shared mutable state.
 */
@FunctionalInterface
public interface Collate {

    /** The batch made of {@code samples}, in order (never empty: the loader makes no empty batches). */
    Batch apply(List<Sample> samples);

    /**
     * Stacks every field along a new leading axis. All samples must have the same field names, and each field the
     * same shape and dtype in every sample; a mismatch names the field and the samples.
     */
    static Collate stack() {
        return Collate::stackFields;
    }

    private static Batch stackFields(List<Sample> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("Collate.stack: no samples to stack");
        }
        Sample first = samples.getFirst();
        Map<String, List<Tensor>> columns = new LinkedHashMap<>();
        for (String name : first.names()) {
            columns.put(name, new ArrayList<>(samples.size()));
        }
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            if (!s.names().equals(first.names())) {
                throw new IllegalArgumentException("Collate.stack: sample " + i + " of the batch has fields "
                        + s.names() + " but sample 0 has " + first.names());
            }
            for (String name : first.names()) {
                Tensor t = s.get(name);
                Tensor t0 = first.get(name);
                if (!Arrays.equals(t.shape(), t0.shape()) || t.dtype() != t0.dtype()) {
                    throw new IllegalArgumentException("Collate.stack: field '" + name + "' is "
                            + Arrays.toString(t.shape()) + " " + t.dtype() + " in sample " + i + " of the batch but "
                            + Arrays.toString(t0.shape()) + " " + t0.dtype() + " in sample 0; samples of different"
                            + " shapes need a collate of their own (e.g. one that pads)");
                }
                columns.get(name).add(t);
            }
        }
        Map<String, Tensor> stacked = new LinkedHashMap<>();
        columns.forEach((name, list) -> stacked.put(name, Tensor.stack(0, list)));
        return Batch.of(samples.size(), stacked);
    }
}
