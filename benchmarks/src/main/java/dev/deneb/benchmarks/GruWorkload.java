package dev.deneb.benchmarks;

import dev.deneb.nn.Layer;
import dev.deneb.nn.Linear;
import dev.deneb.nn.recurrent.GRU;
import dev.deneb.nn.recurrent.RecurrentOptions;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.cpu.Parallel;
import java.util.List;
import java.util.Map;

/**
 * {@code gru}: as {@link LstmWorkload} with a GRU: one training step on batch 64, sequence 50, input 32, a one-layer
 * batch-first GRU with hidden 128, Linear 128→10 on the last time step, cross-entropy, Adam (lr 1e-3) (8 fixed random
 * batches in turn, 10 warm-up steps, blocks of 20 steps, median per-step time of 5 clean blocks).
 */
public final class GruWorkload implements Workload {
    static final int BATCH = 64;
    static final int STEPS = 50;
    static final int INPUT = 32;
    static final int HIDDEN = 128;

    /** The peer's {@code Net}: GRU, then Linear on the last step's output. */
    static final class Net extends Layer {
        final GRU gru;
        final Linear fc;

        Net(Generator g) {
            gru = registerLayer("gru", new GRU(INPUT, HIDDEN,
                    RecurrentOptions.defaults().batchFirst(true).generator(g)));
            fc = registerLayer("fc", new Linear(HIDDEN, 10, Linear.Options.defaults().generator(g)));
        }

        @Override
        public Tensor forward(Tensor x) {
            return fc.forward(gru.forward(x).select(1, x.size(1) - 1));
        }
    }

    @Override
    public String name() {
        return "gru";
    }

    @Override
    public List<Result> run(int threads) {
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            Generator g = new Generator(0);
            Net net = new Net(g);
            Tensor[] xs = new Tensor[8];
            Tensor[] ys = new Tensor[8];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = g.normal(0, 1, BATCH, STEPS, INPUT);
                ys[i] = g.randint(0, 10, BATCH);
            }
            Sampler.waitIdle(180);
            double ms = new TrainingSteps(net, xs, ys).millisPerStep(10, 5, 20);
            Sampler.log(String.format("  gru step_b64_t50_h128 threads=%d: %.2f ms", threads, ms));
            return List.of(new Result("gru", "step_b64_t50_h128", threads, "ms_per_step", ms, false,
                    Map.of("java", Runtime.version().toString())));
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
