package dev.deneb.benchmarks;

import dev.deneb.nn.Activation;
import dev.deneb.nn.Conv2d;
import dev.deneb.nn.Flatten;
import dev.deneb.nn.Linear;
import dev.deneb.nn.MaxPool2d;
import dev.deneb.nn.Sequential;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.Threads;
import java.util.List;
import java.util.Map;

/** {@code cnn}: one training step of the small MNIST CNN on a random batch of 64, in ms. */
public final class CnnWorkload implements Workload {
    /** The peer's network (weights from the global generator); {@link InferWorkload} times it too. */
    static Sequential net() {
        return new Sequential(new Conv2d(1, 32, 3), Activation.relu(), new MaxPool2d(2),
                new Conv2d(32, 64, 3), Activation.relu(), new MaxPool2d(2), new Flatten(),
                new Linear(1600, 128), Activation.relu(), new Linear(128, 10));
    }

    @Override
    public String name() {
        return "cnn";
    }

    @Override
    public List<Result> run(int threads) {
        int saved = Threads.count();
        Threads.set(threads);
        try {
            Tensor.manualSeed(0);
            Sequential net = net();
            Generator g = new Generator(1);
            Tensor[] xs = new Tensor[16];
            Tensor[] ys = new Tensor[16];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = g.normal(0, 1, 64, 1, 28, 28);
                ys[i] = g.randint(0, 10, 64);
            }
            Sampler.waitIdle(180);
            double ms = new TrainingSteps(net, xs, ys).millisPerStep(20, 5, 40);
            Sampler.log(String.format("  cnn step_b64 threads=%d: %.2f ms", threads, ms));
            return List.of(new Result("cnn", "step_b64", threads, "ms_per_step", ms, false,
                    Map.of("java", Runtime.version().toString())));
        } finally {
            Threads.set(saved);
        }
    }
}
