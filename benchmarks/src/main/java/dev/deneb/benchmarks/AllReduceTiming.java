package dev.deneb.benchmarks;

import dev.deneb.dist.Communicator;
import dev.deneb.dist.LocalRendezvous;
import dev.deneb.dist.TcpCommunicator;
import dev.deneb.dist.TcpOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Time of one ring all-reduce over TCP on loopback, ranks as threads of this JVM: for each rank count and buffer
 * size, 5 warm-up calls, then the median of {@code reps} calls, and the bus bandwidth it implies
 * ({@code 2·(n-1)/n · bytes / time}, the figure a ring cost model takes). Sizes include the gradients of the MNIST
 * MLP (235,146 floats) and CNN (225,034).
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar dev.deneb.benchmarks.AllReduceTiming [ranks,…]
 * </pre>
 */
public final class AllReduceTiming {
    private AllReduceTiming() {}

    public static void main(String[] args) throws Exception {
        int[] rankCounts = args.length > 0 ? Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {2, 4};
        int[] sizes = {225_034, 235_146, 1 << 20, 16 << 20};
        System.out.println("ranks  floats       MB     median ms  bus GB/s");
        for (int ranks : rankCounts) {
            for (int floats : sizes) {
                int reps = floats > (4 << 20) ? 11 : 51;
                double ms = median(ranks, floats, reps);
                double bus = 2.0 * (ranks - 1) / ranks * 4.0 * floats / (ms / 1e3) / 1e9;
                System.out.printf(Locale.ROOT, "%5d  %,10d  %7.2f  %9.3f  %8.2f%n", ranks, floats, 4.0 * floats / 1e6,
                        ms, bus);
            }
        }
    }

    private static double median(int ranks, int floats, int reps) throws Exception {
        LocalRendezvous rendezvous = new LocalRendezvous(ranks, Duration.ofSeconds(30));
        ExecutorService pool = Executors.newFixedThreadPool(ranks);
        try {
            List<Future<double[]>> futures = new ArrayList<>();
            for (int r = 0; r < ranks; r++) {
                int rank = r;
                futures.add(pool.submit(() -> {
                    try (Communicator c = TcpCommunicator.connect(rank, ranks, rendezvous,
                            TcpOptions.defaults().timeout(Duration.ofSeconds(60)))) {
                        float[] x = new float[floats];
                        double[] t = new double[reps];
                        for (int i = 0; i < 5 + reps; i++) {
                            c.barrier();
                            long start = System.nanoTime();
                            c.allReduce(x);
                            if (i >= 5) {
                                t[i - 5] = (System.nanoTime() - start) / 1e6;
                            }
                        }
                        return t;
                    }
                }));
            }
            double[] t = futures.get(0).get();
            for (Future<double[]> f : futures) {
                f.get();
            }
            Arrays.sort(t);
            return t[t.length / 2];
        } finally {
            pool.shutdownNow();
        }
    }
}
