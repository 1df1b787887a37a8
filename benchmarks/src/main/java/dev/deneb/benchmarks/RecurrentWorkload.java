package dev.deneb.benchmarks;

import dev.deneb.nn.Layer;
import dev.deneb.nn.Linear;
import dev.deneb.nn.recurrent.GRU;
import dev.deneb.nn.recurrent.LSTM;
import dev.deneb.nn.recurrent.RecurrentOptions;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.Threads;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code lstm} and {@code gru}: one training step on batch 64, sequence 50, input 32: a one-layer batch-first LSTM or
 * GRU with hidden 128, Linear 128→10 on the last time step, cross-entropy, Adam (lr 1e-3), as in
 * {@code torch_peer.py} (8 fixed random batches in turn, 10 warm-up steps, blocks of 20 steps, median per-step time
 * of 5 clean blocks).
 */
public final class RecurrentWorkload implements Workload {
    static final int BATCH = 64;
    static final int STEPS = 50;
    static final int INPUT = 32;
    static final int HIDDEN = 128;

    private final String name;
    private final Function<RecurrentOptions, Layer> cell;

    private RecurrentWorkload(String name, Function<RecurrentOptions, Layer> cell) {
        this.name = name;
        this.cell = cell;
    }

    static RecurrentWorkload lstm() {
        return new RecurrentWorkload("lstm", o -> new LSTM(INPUT, HIDDEN, o));
    }

    static RecurrentWorkload gru() {
        return new RecurrentWorkload("gru", o -> new GRU(INPUT, HIDDEN, o));
    }

    /** The peer's {@code Net}: the recurrent layer, then Linear on the last step's output. */
    static final class Net extends Layer {
        final Layer recurrent;
        final Linear fc;

        Net(String name, Function<RecurrentOptions, Layer> cell, Generator g) {
            recurrent = registerLayer(name, cell.apply(RecurrentOptions.defaults().batchFirst(true).generator(g)));
            fc = registerLayer("fc", new Linear(HIDDEN, 10, Linear.Options.defaults().generator(g)));
        }

        @Override
        public Tensor forward(Tensor x) {
            return fc.forward(recurrent.forward(x).select(1, x.size(1) - 1));
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Result> run(int threads) {
        int saved = Threads.count();
        Threads.set(threads);
        try {
            Generator g = new Generator(0);
            Net net = new Net(name, cell, g);
            Tensor[] xs = new Tensor[8];
            Tensor[] ys = new Tensor[8];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = g.normal(0, 1, BATCH, STEPS, INPUT);
                ys[i] = g.randint(0, 10, BATCH);
            }
            Sampler.waitIdle(180);
            double ms = new TrainingSteps(net, xs, ys).millisPerStep(10, 5, 20);
            Sampler.log(String.format("  %s step_b64_t50_h128 threads=%d: %.2f ms", name, threads, ms));
            return List.of(new Result(name, "step_b64_t50_h128", threads, "ms_per_step", ms, false,
                    Map.of("java", Runtime.version().toString())));
        } finally {
            Threads.set(saved);
        }
    }
}
