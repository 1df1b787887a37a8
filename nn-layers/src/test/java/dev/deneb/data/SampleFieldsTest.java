package dev.deneb.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Samples with named fields, their batches through the DataLoader, user records and custom collate functions. */
class SampleFieldsTest {
    private static final int N = 23;

    /** Sample i: image [2, 2] filled with i, label i, weight i / 10. */
    static TensorDataset threeFields() {
        float[] image = new float[N * 4];
        long[] label = new long[N];
        double[] weight = new double[N];
        for (int i = 0; i < N; i++) {
            Arrays.fill(image, 4 * i, 4 * i + 4, i);
            label[i] = i;
            weight[i] = i / 10.0;
        }
        return TensorDataset.of("image", Tensor.of(image, N, 2, 2), "label", Tensor.of(label, N), "weight",
                Tensor.of(weight, N));
    }

    static Dataset sampleByIndex(int size, IntFunction<Sample> make) {
        return new Dataset() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Sample get(int index) {
                return make.apply(index);
            }
        };
    }

    /** Checks that the fields of every row belong to the same sample and returns the labels, batch by batch. */
    static List<long[]> labels(Iterable<Batch> epoch) {
        List<long[]> out = new ArrayList<>();
        for (Batch b : epoch) {
            assertEquals(List.of("image", "label", "weight"), List.copyOf(b.names()));
            long[] label = b.get("label").toLongArray();
            float[] image = b.get("image").toFloatArray();
            double[] weight = b.get("weight").toDoubleArray();
            assertArrayEquals(new int[] {b.size(), 2, 2}, b.get("image").shape());
            assertEquals(DType.F64, b.get("weight").dtype());
            for (int r = 0; r < label.length; r++) {
                for (int k = 0; k < 4; k++) {
                    assertEquals(label[r], image[4 * r + k]);
                }
                assertEquals(label[r] / 10.0, weight[r], 1e-15);
            }
            out.add(label);
        }
        return out;
    }

    @ParameterizedTest(name = "batched={0}")
    @ValueSource(booleans = {true, false})
    void threeFieldsThroughAShuffledSeededDropLastLoader(boolean batched) {
        TensorDataset data = threeFields();
        Dataset ds = batched ? data : sampleByIndex(N, data::get);
        DataLoader loader = DataLoader.builder(ds).batchSize(5).shuffle(true).seed(11).dropLast(true).prefetch(2)
                .build();
        assertEquals(4, loader.numBatches());
        List<long[]> epoch0 = labels(loader);
        List<long[]> epoch1 = labels(loader);
        for (List<long[]> epoch : List.of(epoch0, epoch1)) {
            assertEquals(4, epoch.size());
            long[] all = epoch.stream().flatMapToLong(Arrays::stream).toArray();
            assertEquals(20, all.length);
            assertEquals(20, Arrays.stream(all).distinct().count());
        }
        long[] flat0 = epoch0.stream().flatMapToLong(Arrays::stream).toArray();
        assertArrayEquals(Arrays.copyOf(loader.order(0), 20), flat0);
        assertFalse(Arrays.equals(flat0, epoch1.stream().flatMapToLong(Arrays::stream).toArray()));
        // Same seed, same batches; sample-by-sample stacking agrees with the batched path.
        DataLoader again = DataLoader.builder(batched ? sampleByIndex(N, data::get) : data).batchSize(5)
                .shuffle(true).seed(11).dropLast(true).build();
        List<long[]> replay = labels(again);
        for (int b = 0; b < 4; b++) {
            assertArrayEquals(epoch0.get(b), replay.get(b));
        }
    }

    /** A user record as the sample type. */
    record Item(Tensor image, Tensor label, Tensor weight) {}

    @Test
    void recordsGoInAsSamplesAndComeBackAsBatches() {
        TensorDataset data = threeFields();
        Dataset ds = sampleByIndex(N, i -> {
            Sample s = data.get(i);
            return Sample.of(new Item(s.get("image"), s.get("label"), s.get("weight")));
        });
        assertEquals(List.of("image", "label", "weight"), List.copyOf(ds.get(3).names()));
        int seen = 0;
        for (Batch b : DataLoader.builder(ds).batchSize(4).shuffle(true).seed(2).build()) {
            Item item = b.as(Item.class);
            assertArrayEquals(new int[] {b.size(), 2, 2}, item.image().shape());
            long[] label = item.label().toLongArray();
            for (int r = 0; r < label.length; r++) {
                assertEquals(label[r] / 10.0, item.weight().toDoubleArray()[r], 1e-15);
            }
            seen += b.size();
        }
        assertEquals(N, seen);
    }

    /** Sample i: a sequence of length i % 4 + 1 whose values are i + 0.1·t, and label i. */
    static Sample sequence(int i) {
        int len = i % 4 + 1;
        float[] v = new float[len];
        for (int t = 0; t < len; t++) {
            v[t] = i + 0.1f * t;
        }
        return Sample.of("tokens", Tensor.of(v, len), "label", Tensor.scalar(i, DType.I64));
    }

    /** Pads "tokens" with zeros to the longest sequence of the batch and adds a mask of the real steps. */
    static final Collate PAD = samples -> {
        int longest = samples.stream().mapToInt(s -> s.get("tokens").size(0)).max().orElse(0);
        int b = samples.size();
        float[] padded = new float[b * longest];
        boolean[] mask = new boolean[b * longest];
        long[] lengths = new long[b];
        List<Tensor> labels = new ArrayList<>();
        for (int r = 0; r < b; r++) {
            float[] seq = samples.get(r).get("tokens").toFloatArray();
            System.arraycopy(seq, 0, padded, r * longest, seq.length);
            Arrays.fill(mask, r * longest, r * longest + seq.length, true);
            lengths[r] = seq.length;
            labels.add(samples.get(r).get("label"));
        }
        Map<String, Tensor> fields = new LinkedHashMap<>();
        fields.put("tokens", Tensor.of(padded, b, longest));
        fields.put("mask", Tensor.of(mask, b, longest));
        fields.put("lengths", Tensor.of(lengths, b));
        fields.put("label", Tensor.stack(0, labels));
        return Batch.of(b, fields);
    };

    @Test
    void customCollatePadsSequencesToTheLongestWithAMask() {
        Dataset ds = sampleByIndex(N, SampleFieldsTest::sequence);
        var e = assertThrows(IllegalArgumentException.class,
                () -> DataLoader.builder(ds).batchSize(4).build().iterator().next());
        assertTrue(e.getMessage().contains("Collate.stack: field 'tokens' is [2] f32 in sample 1")
                && e.getMessage().contains("pads"), e.getMessage());

        DataLoader loader = DataLoader.builder(ds).batchSize(6).shuffle(true).seed(5).prefetch(2).collate(PAD)
                .build();
        Set<Long> seen = new HashSet<>();
        boolean paddedSome = false;
        for (Batch b : loader) {
            assertEquals(List.of("tokens", "mask", "lengths", "label"), List.copyOf(b.names()));
            long[] label = b.get("label").toLongArray();
            long[] lengths = b.get("lengths").toLongArray();
            int longest = b.get("tokens").size(1);
            assertEquals(Arrays.stream(lengths).max().orElseThrow(), longest);
            assertEquals(DType.BOOL, b.get("mask").dtype());
            float[] tokens = b.get("tokens").toFloatArray();
            double[] mask = b.get("mask").toDoubleArray();
            for (int r = 0; r < b.size(); r++) {
                assertTrue(seen.add(label[r]));
                assertEquals(label[r] % 4 + 1, lengths[r]);
                for (int t = 0; t < longest; t++) {
                    boolean real = t < lengths[r];
                    assertEquals(real ? 1.0 : 0.0, mask[r * longest + t]);
                    assertEquals(real ? label[r] + 0.1f * t : 0f, tokens[r * longest + t], 1e-6);
                    paddedSome |= !real;
                }
            }
        }
        assertEquals(N, seen.size());
        assertTrue(paddedSome);
    }

    @Test
    void collateAlsoAppliesToABatchedDataset() {
        List<Integer> sizes = new ArrayList<>();
        DataLoader loader = DataLoader.builder(threeFields()).batchSize(10).collate(samples -> {
            sizes.add(samples.size());
            return Collate.stack().apply(samples).with("count", Tensor.scalar(samples.size()));
        }).build();
        for (Batch b : loader) {
            assertEquals(b.size(), b.get("count").item());
        }
        assertEquals(List.of(10, 10, 3), sizes);
        DataLoader broken = DataLoader.builder(threeFields()).batchSize(10).collate(samples -> null).build();
        var e = assertThrows(IllegalStateException.class, () -> broken.iterator().next());
        assertTrue(e.getMessage().contains("collate function returned null"), e.getMessage());
    }

    @Test
    void twoFieldFormIsInputAndTarget() {
        Tensor x = Tensor.ones(3);
        Tensor y = Tensor.scalar(1, DType.I64);
        Sample s = new Sample(x, y);
        assertEquals(List.of("input", "target"), List.copyOf(s.names()));
        assertEquals(s, Sample.of("input", x, "target", y));
        assertTrue(s.input() == x && s.target() == y);
        Batch b = new Batch(Tensor.ones(4, 3), Tensor.zeros(DType.I64, 4));
        assertEquals(4, b.size());
        assertEquals(List.of("input", "target"), List.copyOf(b.names()));
        Batch normalized = Normalize.MNIST.apply(new Batch(Tensor.zeros(2, 1, 2, 2), Tensor.zeros(DType.I64, 2))
                .with("weight", Tensor.ones(2)));
        assertEquals(List.of("input", "target", "weight"), List.copyOf(normalized.names()));
        TensorDataset sub = threeFields().subset(new long[] {4, 1});
        assertArrayEquals(new long[] {4, 1}, sub.tensor("label").toLongArray());
        assertEquals(List.of("image", "label", "weight"), List.copyOf(sub.tensors().keySet()));
    }

    @Test
    void badFieldsAreNamed() {
        Sample s = Sample.of("image", Tensor.ones(2), "label", Tensor.scalar(1));
        assertMessage(() -> s.get("weight"), "Sample: no field 'weight'", "[image, label]");
        assertMessage(s::input, "no field 'input'", "[image, label]");
        assertMessage(() -> Sample.of("a", Tensor.ones(1), "a", Tensor.ones(1)), "field 'a' is given twice");
        assertMessage(() -> Sample.of("a", null), "field 'a' is null");
        assertMessage(() -> Sample.of("", Tensor.ones(1)), "a field name is empty");
        assertMessage(() -> Collate.stack().apply(List.of(s, Sample.of("image", Tensor.ones(2)))),
                "sample 1 of the batch has fields [image]", "sample 0 has [image, label]");
        assertMessage(() -> Batch.of(2, Map.of("x", Tensor.ones(2))).as(Item.class),
                "Item has component 'image'", "no such field", "[x]");
        record Named(Tensor x, String name) {}
        assertMessage(() -> Sample.of(new Named(Tensor.ones(1), "a")), "component 'name'", "String",
                "must be a Tensor");
        assertMessage(() -> TensorDataset.of("x", Tensor.ones(4, 2), "y", Tensor.ones(5)),
                "field 'y' has 5 samples", "'x' has 4");
        assertMessage(() -> TensorDataset.of("x", Tensor.ones(4), "y", Tensor.scalar(1)), "field 'y' is a scalar");
        assertMessage(() -> Batch.of(-1, Map.of()), "size must be >= 0");
        assertMessage(() -> DataLoader.builder(threeFields()).collate(null), "collate is null");
    }

    private static void assertMessage(Runnable r, String... parts) {
        var e = assertThrows(IllegalArgumentException.class, r::run);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should mention '" + p + "'");
        }
    }
}
