package dev.deneb.benchmarks;

import dev.deneb.tensor.Threads;
import dev.deneb.tensor.cpu.Sgemm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code sgemm}: C = A·B on square row-major f32 matrices, C preallocated, 2n³ flops per product, reported in
 * GFLOP/s — the same protocol as {@code numpy_peer.py} and {@code torch_peer.py}.
 */
public final class SgemmWorkload implements Workload {
    static final int[] SIZES = {64, 128, 256, 512, 1024, 2048};

    @Override
    public String name() {
        return "sgemm";
    }

    @Override
    public List<Result> run(int threads) {
        int saved = Threads.count();
        Threads.set(threads);
        try {
            Sampler.waitIdle(180);
            List<Result> out = new ArrayList<>();
            for (int n : SIZES) {
                double gflops = measure(n);
                Sampler.log(String.format("  sgemm n=%d threads=%d: %.1f GFLOP/s", n, threads, gflops));
                out.add(new Result("sgemm", "n=" + n, threads, "gflops", gflops, true,
                        Map.of("java", Runtime.version().toString())));
            }
            return out;
        } finally {
            Threads.set(saved);
        }
    }

    private static double measure(int n) {
        SplittableRandom rng = new SplittableRandom(0);
        float[] a = randomMatrix(rng, n);
        float[] b = randomMatrix(rng, n);
        float[] c = new float[n * n];
        Runnable product = () -> Sgemm.gemm(n, n, n, a, 0, n, 1, b, 0, n, 1, c, 0, n, false);

        long t0 = System.nanoTime();
        product.run();
        double first = (System.nanoTime() - t0) / 1e9;
        // Warm up longer than the Python peers: the JIT compiles the kernels during the first calls.
        long warmEnd = System.nanoTime() + 1_500_000_000L;
        int warmCalls = 0;
        while (warmCalls < 20 || System.nanoTime() < warmEnd) {
            product.run();
            warmCalls++;
        }
        double perCall = Math.min(first, 1.5 / warmCalls);
        int iters = (int) Math.max(1, Math.min(200, 0.25 / Math.max(perCall, 1e-7)));
        double flops = 2.0 * n * n * (double) n * iters;
        return Sampler.median(() -> {
            long s = System.nanoTime();
            for (int i = 0; i < iters; i++) {
                product.run();
            }
            return flops / (System.nanoTime() - s);
        }, 7, 20);
    }

    private static float[] randomMatrix(SplittableRandom rng, int n) {
        float[] x = new float[n * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return x;
    }
}
