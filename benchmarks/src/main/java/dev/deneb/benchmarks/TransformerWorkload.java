package dev.deneb.benchmarks;

import dev.deneb.nn.Linear;
import dev.deneb.nn.Layer;
import dev.deneb.nn.attention.TransformerActivation;
import dev.deneb.nn.attention.TransformerEncoderLayer;
import dev.deneb.nn.attention.TransformerOptions;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.Threads;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code transformer}: one training step of a TransformerEncoderLayer classifier (batch 32, sequence 64, width 128,
 * 4 heads, feed-forward 512, dropout 0, post-norm, ReLU, batch-first; mean over the sequence; Linear 128→10;
 * cross-entropy; Adam), in ms, as {@code torch_peer.py}.
 */
public final class TransformerWorkload implements Workload {
    static final int BATCH = 32;
    static final int SEQ = 64;
    static final int WIDTH = 128;

    /** The peer's {@code Net}: encoder layer, mean over the sequence, linear head. */
    static final class Net extends Layer {
        final TransformerEncoderLayer enc;
        final Linear fc;

        Net(Generator g) {
            enc = registerLayer("enc", new TransformerEncoderLayer(WIDTH, 4, TransformerOptions.defaults()
                    .dimFeedforward(512).dropout(0.0).activation(TransformerActivation.RELU).batchFirst(true)
                    .generator(g)));
            fc = registerLayer("fc", new Linear(WIDTH, 10, Linear.Options.defaults().generator(g)));
        }

        @Override
        public Tensor forward(Tensor x) {
            return fc.forward(enc.forward(x).mean(1));
        }
    }

    @Override
    public String name() {
        return "transformer";
    }

    @Override
    public List<Result> run(int threads) {
        int saved = Threads.count();
        Threads.set(threads);
        try {
            Generator g = new Generator(1);
            Net net = new Net(g);
            Tensor[] xs = new Tensor[8];
            Tensor[] ys = new Tensor[8];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = g.normal(0, 1, BATCH, SEQ, WIDTH);
                ys[i] = g.randint(0, 10, BATCH);
            }
            Sampler.waitIdle(180);
            double ms = new TrainingSteps(net, xs, ys).millisPerStep(10, 5, 20);
            Sampler.log(String.format("  transformer step_b32_t64_d128 threads=%d: %.2f ms", threads, ms));
            return List.of(new Result("transformer", "step_b32_t64_d128", threads, "ms_per_step", ms, false,
                    Map.of("java", Runtime.version().toString())));
        } finally {
            Threads.set(saved);
        }
    }

    /** Runs this workload alone: {@code TransformerWorkload [threads,...]} (default 1,2); JSON lines on stdout. */
    public static void main(String[] args) {
        List<Integer> threads = new ArrayList<>();
        for (String s : (args.length == 0 ? "1,2" : args[0]).split(",")) {
            threads.add(Integer.parseInt(s.trim()));
        }
        for (int t : threads) {
            for (Result r : new TransformerWorkload().run(t)) {
                System.out.println(r.toJson());
            }
        }
    }
}
