package dev.deneb.benchmarks;

import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.Threads;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code dispatch}: the fixed cost per op. {@code add_1}/{@code add_1000}: {@code c = a + b}, result newly allocated;
 * {@code autograd_tiny}: {@code (a*b + c).sum()} and its backward on one-element tensors (gradients accumulate).
 */
public final class DispatchWorkload implements Workload {
    @Override
    public String name() {
        return "dispatch";
    }

    @Override
    public List<Result> run(int threads) {
        int saved = Threads.count();
        Threads.set(threads);
        try {
            Sampler.waitIdle(180);
            List<Result> out = new ArrayList<>();
            for (int size : new int[] {1, 1000}) {
                Tensor a = new Generator(1).normal(0, 1, size);
                Tensor b = new Generator(2).normal(0, 1, size);
                double us = perCall(() -> a.add(b), 200_000, 20_000);
                out.add(result("add_" + size, threads, "us_per_op", us));
            }
            Tensor a = Tensor.randn(1).requiresGrad(true);
            Tensor b = Tensor.randn(1).requiresGrad(true);
            Tensor c = Tensor.randn(1).requiresGrad(true);
            double us = perCall(() -> a.mul(b).add(c).sum().backward(), 20_000, 20_000);
            out.add(result("autograd_tiny", threads, "us_per_iter", us));
            return out;
        } finally {
            Threads.set(saved);
        }
    }

    private static Result result(String name, int threads, String metric, double value) {
        Sampler.log(String.format("  dispatch %s threads=%d: %.3f %s", name, threads, value, metric));
        return new Result("dispatch", name, threads, metric, value, false, Map.of("java", Runtime.version().toString()));
    }

    /** Median microseconds per call over blocks of {@code reps} calls, after {@code warm} calls (plus JIT time). */
    private static double perCall(Runnable op, int reps, int warm) {
        long warmEnd = System.nanoTime() + 2_000_000_000L;
        for (int i = 0; i < warm || System.nanoTime() < warmEnd; i++) {
            op.run();
        }
        return Sampler.median(() -> {
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                op.run();
            }
            return (System.nanoTime() - t0) / 1e3 / reps;
        }, 7, 20);
    }
}
