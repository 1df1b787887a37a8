package dev.deneb.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.deneb.data.Batch;
import dev.deneb.data.DataLoader;
import dev.deneb.data.Normalize;
import dev.deneb.data.TensorDataset;
import dev.deneb.examples.mnist.MnistModels;
import dev.deneb.nn.Embedding;
import dev.deneb.nn.Layer;
import dev.deneb.nn.Linear;
import dev.deneb.nn.Losses;
import dev.deneb.nn.attention.TransformerActivation;
import dev.deneb.nn.attention.TransformerEncoderLayer;
import dev.deneb.nn.attention.TransformerOptions;
import dev.deneb.optim.Adam;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.Threads;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Same seed, same weights, bit for bit, whatever the thread count and on every run (issue 12): a few Adam steps of
 * the MNIST CNN and of a small transformer encoder on one thread, on two, and on two again. As in the MNIST example,
 * batches come from a prefetching DataLoader whose thread shares the kernels' pool.
 */
class ThreadCountDeterminismTest {
    private static final int STEPS = 4;
    private static final long SEED = 12;

    @Test
    void mnistCnnTrainsToTheSameBitsOnOneAndTwoThreads() {
        assertSameBitsAtAnyThreadCount("MNIST CNN", MnistModels::cnn, Normalize.MNIST::apply, 16, 10,
                (g, n) -> g.uniform(0, 1, n, 1, 28, 28));
    }

    @Test
    void transformerEncoderTrainsToTheSameBitsOnOneAndTwoThreads() {
        assertSameBitsAtAnyThreadCount("transformer", TinyEncoder::new, b -> b, 8, TinyEncoder.CLASSES,
                (g, n) -> g.randint(0, TinyEncoder.VOCAB, n, 32));
    }

    private static void assertSameBitsAtAnyThreadCount(String what, Supplier<Layer> model,
                                                       UnaryOperator<Batch> transform, int batch, int classes,
                                                       BiFunction<Generator, Integer, Tensor> inputs) {
        int saved = Threads.count();
        try {
            Task task = new Task(model, transform, batch, classes, inputs);
            Map<String, int[]> one = task.train(1);
            Map<String, int[]> two = task.train(2);
            Map<String, int[]> twoAgain = task.train(2);
            assertSameBits(what + ", 1 thread vs 2 threads", one, two);
            assertSameBits(what + ", 2 threads, two runs", two, twoAgain);
        } finally {
            Threads.set(saved);
        }
    }

    /** A model and its data: {@code inputs(g, n)} draws n samples. */
    private record Task(Supplier<Layer> model, UnaryOperator<Batch> transform, int batch, int classes,
                        BiFunction<Generator, Integer, Tensor> inputs) {

        /** The raw bits of every parameter after {@link #STEPS} Adam steps on seeded random data. */
        Map<String, int[]> train(int threads) {
            Threads.set(threads);
            Generator data = new Generator(SEED + 1);
            Tensor x = inputs.apply(data, STEPS * batch);
            Tensor y = data.randint(0, classes, STEPS * batch);
            DataLoader loader = DataLoader.builder(new TensorDataset(x, y)).batchSize(batch).shuffle(true)
                    .seed(SEED).prefetch(2).transform(transform).build();
            Tensor.manualSeed(SEED); // initial weights and dropout masks
            Layer net = model.get();
            net.train();
            Adam adam = new Adam(net.parameters(), Adam.Options.defaults().lr(1e-3));
            for (Batch b : loader.epoch(0)) {
                adam.zeroGrad();
                Losses.crossEntropy(net.forward(b.inputs()), b.targets()).backward();
                adam.step();
            }
            Map<String, int[]> bits = new LinkedHashMap<>();
            net.namedParameters().forEach((name, p) -> {
                float[] v = p.toFloatArray();
                int[] raw = new int[v.length];
                for (int i = 0; i < v.length; i++) {
                    raw[i] = Float.floatToRawIntBits(v[i]);
                }
                bits.put(name, raw);
            });
            return bits;
        }
    }

    private static void assertSameBits(String what, Map<String, int[]> expected, Map<String, int[]> actual) {
        assertEquals(expected.keySet(), actual.keySet(), what + ": parameter names");
        StringBuilder differ = new StringBuilder();
        expected.forEach((name, e) -> {
            int[] a = actual.get(name);
            int count = 0;
            int first = -1;
            for (int i = 0; i < e.length; i++) {
                if (e[i] != a[i]) {
                    count++;
                    first = first < 0 ? i : first;
                }
            }
            if (count > 0) {
                differ.append(String.format("%n  %s: %d of %d elements differ, first at %d (%s vs %s)", name, count,
                        e.length, first, Float.intBitsToFloat(e[first]), Float.intBitsToFloat(a[first])));
            }
        });
        if (!differ.isEmpty()) {
            fail(what + ": parameters differ" + differ);
        }
    }

    /** Token embedding, one post-norm encoder layer with dropout, mean over the sequence, linear head. */
    private static final class TinyEncoder extends Layer {
        static final int VOCAB = 50;
        static final int CLASSES = 5;
        static final int WIDTH = 64;

        final Embedding embed = registerLayer("embed", new Embedding(VOCAB, WIDTH));
        final TransformerEncoderLayer enc = registerLayer("enc", new TransformerEncoderLayer(WIDTH, 4,
                TransformerOptions.defaults().dimFeedforward(128).dropout(0.1)
                        .activation(TransformerActivation.GELU).batchFirst(true)));
        final Linear head = registerLayer("head", new Linear(WIDTH, CLASSES));

        @Override
        public Tensor forward(Tensor tokens) {
            return head.forward(enc.forward(embed.forward(tokens)).mean(1));
        }
    }
}
