package dev.deneb.benchmarks;

import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.Threads;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fixed cost of an op: {@code a + b} on one element, and the {@code dispatch/autograd_tiny} workload —
 * {@code (a*b + c).sum()} and its backward on one-element tensors that require grad (gradients accumulate).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class DispatchBenchmark {
    Tensor x;
    Tensor y;
    Tensor a;
    Tensor b;
    Tensor c;

    @Setup
    public void setup() {
        Threads.set(1);
        x = Tensor.of(new float[] {1f});
        y = Tensor.of(new float[] {2f});
        a = Tensor.of(new float[] {1f}).requiresGrad(true);
        b = Tensor.of(new float[] {2f}).requiresGrad(true);
        c = Tensor.of(new float[] {3f}).requiresGrad(true);
    }

    @Benchmark
    public Tensor add1() {
        return x.add(y);
    }

    @Benchmark
    public Tensor autogradTiny() {
        Tensor loss = a.mul(b).add(c).sum();
        loss.backward();
        return loss;
    }
}
