package dev.deneb.benchmarks;

import dev.deneb.tensor.cpu.Sgemm;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The products the training workloads run, one thread, each with the layout it has there ({@code t} marks a
 * transposed operand): the transformer's linear layers and weight gradient, attention's per-head products, the LSTM's
 * recurrent step, a batch-1 linear layer (the dot-product path) and GCN's first layer and its weight gradient (the
 * narrow path). Time per product; GFLOP/s = 2mnk / time.
 *
 * <pre>java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar GemmShapesBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Ddeneb.threads=1"})
public class GemmShapesBenchmark {
    /** m x k x n, then layouts of A and B: r row-major, t transposed. */
    @Param({"2048x128x512:r:t", "2048x512x128:r:t", "2048x128x128:r:t", "2048x128x384:r:t", "128x2048x512:t:r",
            "64x32x64:r:t", "64x64x32:r:r", "64x128x512:r:r", "64x512x128:r:r", "1x1600x128:r:t", "2708x1433x16:r:r",
            "1433x2708x16:t:r"})
    public String shape;

    private int m;
    private int k;
    private int n;
    private boolean transposedA;
    private boolean transposedB;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup
    public void setUp() {
        String[] parts = shape.split(":");
        String[] dims = parts[0].split("x");
        m = Integer.parseInt(dims[0]);
        k = Integer.parseInt(dims[1]);
        n = Integer.parseInt(dims[2]);
        transposedA = parts[1].equals("t");
        transposedB = parts[2].equals("t");
        SplittableRandom rng = new SplittableRandom(0);
        a = random(rng, m * k);
        b = random(rng, k * n);
        c = new float[m * n];
    }

    @Benchmark
    public float[] gemm() {
        Sgemm.gemm(m, n, k, a, 0, transposedA ? 1 : k, transposedA ? m : 1,
                b, 0, transposedB ? 1 : n, transposedB ? k : 1, c, 0, n, false);
        return c;
    }

    private static float[] random(SplittableRandom rng, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return x;
    }
}
