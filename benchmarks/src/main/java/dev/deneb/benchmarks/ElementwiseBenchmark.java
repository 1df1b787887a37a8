package dev.deneb.benchmarks;

import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.Threads;
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

/** {@code c = a + b} on f32 vectors, from dispatch-sized (1 element) to bandwidth-sized (4M elements). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ElementwiseBenchmark {
    @Param({"1", "1000", "100000", "4194304"})
    int size;

    @Param({"1", "2"})
    int threads;

    Tensor a;
    Tensor b;
    Tensor matrix;
    Tensor bias;

    @Setup
    public void setup() {
        Threads.set(threads);
        Generator g = new Generator(1);
        a = g.normal(0, 1, size);
        b = g.normal(0, 1, size);
        matrix = g.normal(0, 1, 128, 256);
        bias = g.normal(0, 1, 256);
    }

    @Benchmark
    public Tensor add() {
        return a.add(b);
    }

    /** A layer's bias added to a batch, {@code [128, 256] + [256]} (independent of {@code size}). */
    @Benchmark
    public Tensor biasAdd() {
        return matrix.add(bias);
    }
}
