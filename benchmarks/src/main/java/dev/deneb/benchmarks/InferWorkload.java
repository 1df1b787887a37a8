package dev.deneb.benchmarks;

import dev.deneb.nn.Layer;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.Threads;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * {@code infer_b1}: latency of one inference call (eval mode, no gradient recording) on a single example, in µs.
 * {@code mnist_cnn_b1}: {@link CnnWorkload}'s network on one 1×28×28 image; {@code transformer_b1_t64}:
 * {@link TransformerWorkload}'s encoder layer and head on one sequence {@code [1, 64, 128]}. As {@code torch_peer.py}:
 * 100 warm-up calls, then blocks of about 0.2 s (from the time of 20 calls), median of 7 clean blocks.
 */
public final class InferWorkload implements Workload {
    @Override
    public String name() {
        return "infer_b1";
    }

    @Override
    public List<Result> run(int threads) {
        int saved = Threads.count();
        Threads.set(threads);
        try {
            Tensor.manualSeed(0);
            Layer cnn = CnnWorkload.net().eval();
            Generator g = new Generator(1);
            Layer transformer = new TransformerWorkload.Net(g).eval();
            Tensor image = g.normal(0, 1, 1, 1, 28, 28);
            Tensor sequence = g.normal(0, 1, 1, TransformerWorkload.SEQ, TransformerWorkload.WIDTH);
            Sampler.waitIdle(180);
            return List.of(result("mnist_cnn_b1", threads, microsPerCall(cnn, image)),
                    result("transformer_b1_t64", threads, microsPerCall(transformer, sequence)));
        } finally {
            Threads.set(saved);
        }
    }

    private static Result result(String name, int threads, double us) {
        Sampler.log(String.format("  infer_b1 %s threads=%d: %.1f us", name, threads, us));
        return new Result("infer_b1", name, threads, "us_per_call", us, false,
                Map.of("java", Runtime.version().toString()));
    }

    /** Median microseconds per {@code net.forward(x)} without gradient recording, after warming up. */
    static double microsPerCall(Layer net, Tensor x) {
        try (var noGrad = GradMode.noGrad()) {
            long warmEnd = System.nanoTime() + 2_000_000_000L;
            for (int i = 0; i < 100 || System.nanoTime() < warmEnd; i++) {
                net.forward(x);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                net.forward(x);
            }
            double perCall = (System.nanoTime() - t0) / 1e9 / 20;
            int reps = (int) Math.max(20, Math.min(100_000, 0.2 / perCall));
            DoubleSupplier block = () -> {
                long s = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    net.forward(x);
                }
                return (System.nanoTime() - s) / 1e3 / reps;
            };
            Sampler.warmUntilSteady(block, 0, 60);
            return Sampler.median(block, 7, 20);
        }
    }
}
