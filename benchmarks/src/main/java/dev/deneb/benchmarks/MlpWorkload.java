package dev.deneb.benchmarks;

import dev.deneb.nn.Activation;
import dev.deneb.nn.Linear;
import dev.deneb.nn.Sequential;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.Threads;
import java.util.List;
import java.util.Map;

/**
 * {@code mlp}: one epoch of 469 steps over 60,000 random 784-feature samples in fixed order, batch 128 (the last
 * 96), MLP 784-256-128-10 with Adam; seconds per epoch. Batches are slices (views) of the whole tensors.
 */
public final class MlpWorkload implements Workload {
    private static final int N = 60_000;
    private static final int BATCH = 128;

    @Override
    public String name() {
        return "mlp";
    }

    @Override
    public List<Result> run(int threads) {
        int saved = Threads.count();
        Threads.set(threads);
        try {
            Tensor.manualSeed(0);
            Sequential net = new Sequential(new Linear(784, 256), Activation.relu(), new Linear(256, 128),
                    Activation.relu(), new Linear(128, 10));
            Generator g = new Generator(1);
            Tensor x = g.normal(0, 1, N, 784);
            Tensor y = g.randint(0, 10, N);
            int steps = Math.ceilDiv(N, BATCH);
            Tensor[] xs = new Tensor[steps];
            Tensor[] ys = new Tensor[steps];
            for (int i = 0; i < steps; i++) {
                int len = Math.min(BATCH, N - i * BATCH);
                xs[i] = x.narrow(0, i * BATCH, len);
                ys[i] = y.narrow(0, i * BATCH, len);
            }
            TrainingSteps run = new TrainingSteps(net, xs, ys);
            for (int i = 0; i < 50; i++) {
                run.step();
            }
            Sampler.waitIdle(180);
            double seconds = Sampler.median(() -> {
                long t0 = System.nanoTime();
                for (int i = 0; i < steps; i++) {
                    run.step();
                }
                return (System.nanoTime() - t0) / 1e9;
            }, 3, 8);
            Sampler.log(String.format("  mlp epoch threads=%d: %.3f s", threads, seconds));
            return List.of(new Result("mlp", "epoch_60000_b128", threads, "s_per_epoch", seconds, false,
                    Map.of("java", Runtime.version().toString())));
        } finally {
            Threads.set(saved);
        }
    }
}
