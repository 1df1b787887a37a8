package dev.deneb.benchmarks;

import dev.deneb.tensor.Generator;
import dev.deneb.tensor.RowNorm;
import dev.deneb.tensor.SoftmaxGrad;
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

/**
 * Softmax over the last axis of {@code [rows, cols]} (classifier outputs and attention rows), its fused backward
 * step ({@link SoftmaxGrad}) against the composed formula it replaces, and layer norm with weight and bias
 * ({@link RowNorm#affine}, its fused backward) on the same shapes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SoftmaxBenchmark {
    @Param({"128x10", "2048x64", "512x4096"})
    String shape;

    @Param({"1", "2"})
    int threads;

    Tensor x;
    Tensor y;
    Tensor g;
    Tensor w;
    Tensor b;
    RowNorm.Result norm;

    @Setup
    public void setup() {
        Threads.set(threads);
        String[] rc = shape.split("x");
        Generator gen = new Generator(1);
        int cols = Integer.parseInt(rc[1]);
        x = gen.normal(0, 3, Integer.parseInt(rc[0]), cols);
        y = x.softmax(-1);
        g = gen.normal(0, 1, x.shape());
        w = gen.normal(1, 0.5, cols);
        b = gen.normal(0, 1, cols);
        norm = RowNorm.forward(x, 1e-5);
    }

    @Benchmark
    public Tensor softmax() {
        return x.softmax(-1);
    }

    @Benchmark
    public Tensor logSoftmax() {
        return x.logSoftmax(-1);
    }

    @Benchmark
    public Tensor softmaxBackward() {
        return SoftmaxGrad.backward(g, y, -1, false);
    }

    @Benchmark
    public Tensor softmaxBackwardComposed() {
        return SoftmaxGrad.composed(g, y, 1, false);
    }

    @Benchmark
    public Tensor layerNorm() {
        return RowNorm.affine(x, w, b, 1e-5);
    }

    @Benchmark
    public RowNorm.AffineGrads layerNormBackward() {
        return RowNorm.affineBackward(g, norm.normalized(), norm.rstd(), w);
    }
}
