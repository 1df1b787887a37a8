package dev.deneb.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.nn.Activation;
import dev.deneb.nn.BatchNorm1d;
import dev.deneb.nn.Layer;
import dev.deneb.nn.Linear;
import dev.deneb.nn.Losses;
import dev.deneb.nn.Sequential;
import dev.deneb.optim.SGD;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Data-parallel training equals single-process training on the global batch, and the replicas stay equal. */
class DistributedDataParallelTest {
    private static final int BATCH = 24;
    private static final int STEPS = 6;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Ranks.Kind kind : Ranks.Kind.values()) {
            for (int size : new int[] {1, 2, 3, 4}) {
                out.add(Arguments.of(kind, size));
            }
        }
        return out.stream();
    }

    /** The same architecture on every rank, but a different initialisation per seed. */
    static Layer model(long seed) {
        Tensor.manualSeed(seed);
        return new Sequential(new Linear(6, 10), Activation.tanh(), new Linear(10, 3));
    }

    static Tensor inputs(int step) {
        return new Generator(100 + step).normal(0, 1, BATCH, 6);
    }

    static Tensor targets(int step) {
        long[] y = new long[BATCH];
        for (int i = 0; i < BATCH; i++) {
            y[i] = (i * 7L + step) % 3;
        }
        return Tensor.of(y, BATCH);
    }

    static Map<String, Tensor> singleProcess() {
        Layer m = model(1);
        SGD sgd = new SGD(m.parameters(), SGD.Options.defaults().lr(0.2).momentum(0.9));
        for (int s = 0; s < STEPS; s++) {
            m.zeroGrad();
            Losses.crossEntropy(m.forward(inputs(s)), targets(s)).backward();
            sgd.step();
        }
        return m.stateDict();
    }

    @ParameterizedTest(name = "{0} ranks={1}")
    @MethodSource("cases")
    void equalsSingleProcessTrainingOnTheGlobalBatch(Ranks.Kind kind, int size) {
        Map<String, Tensor> expected = singleProcess();
        List<Map<String, float[]>> replicas = Ranks.run(kind, size, Duration.ofSeconds(30), c -> {
            Layer m;
            synchronized (DistributedDataParallelTest.class) {
                m = model(1 + c.rank()); // only rank 0's initial weights survive the wrapper's broadcast
            }
            DistributedDataParallel ddp = new DistributedDataParallel(m, c);
            SGD sgd = new SGD(ddp.parameters(), SGD.Options.defaults().lr(0.2).momentum(0.9));
            int share = BATCH / c.size();
            for (int s = 0; s < STEPS; s++) {
                ddp.zeroGrad();
                Tensor x = inputs(s).narrow(0, c.rank() * share, share);
                Tensor y = targets(s).narrow(0, c.rank() * share, share);
                Losses.crossEntropy(ddp.forward(x), y).backward();
                ddp.synchronizeGradients();
                sgd.step();
            }
            Map<String, float[]> w = new java.util.LinkedHashMap<>();
            m.stateDict().forEach((k, v) -> w.put(k, v.toFloatArray()));
            return w;
        });
        for (int r = 1; r < size; r++) {
            for (String k : expected.keySet()) {
                assertArrayEquals(replicas.get(0).get(k), replicas.get(r).get(k), "replica " + r + " differs: " + k);
            }
        }
        for (String k : expected.keySet()) {
            float[] want = expected.get(k).toFloatArray();
            float[] got = replicas.get(0).get(k);
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 2e-5, kind + " " + size + " ranks: " + k + "[" + i + "]");
            }
        }
    }

    @Test
    void sameRunTwiceGivesTheSameBits() {
        List<float[]> a = twoRankWeights();
        List<float[]> b = twoRankWeights();
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i));
        }
    }

    private static List<float[]> twoRankWeights() {
        return Ranks.run(Ranks.Kind.TCP, 2, Duration.ofSeconds(30), c -> {
            Layer m;
            synchronized (DistributedDataParallelTest.class) {
                m = model(5);
            }
            DistributedDataParallel ddp = new DistributedDataParallel(m, c);
            SGD sgd = new SGD(ddp.parameters(), SGD.Options.defaults().lr(0.1));
            for (int s = 0; s < 3; s++) {
                ddp.zeroGrad();
                Tensor x = inputs(s).narrow(0, c.rank() * 12, 12);
                Losses.crossEntropy(ddp.forward(x), targets(s).narrow(0, c.rank() * 12, 12)).backward();
                ddp.synchronizeGradients();
                sgd.step();
            }
            return m.parameters().get(0).toFloatArray();
        });
    }

    @Test
    void buffersComeFromRankZero() {
        List<float[]> means = Ranks.run(Ranks.Kind.LOCAL, 2, Duration.ofSeconds(10), c -> {
            BatchNorm1d bn = new BatchNorm1d(3);
            DistributedDataParallel ddp = new DistributedDataParallel(bn, c);
            ddp.train();
            ddp.forward(Tensor.full(c.rank() == 0 ? 1.0 : 5.0, 4, 3));
            ddp.forward(Tensor.full(2.0, 4, 3)); // takes rank 0's running mean before updating it
            return bn.namedBuffers().get("running_mean").toFloatArray();
        });
        assertArrayEquals(means.get(0), means.get(1));
    }

    @Test
    void unusedParametersCountAsZeroGradients() {
        List<float[]> grads = Ranks.run(Ranks.Kind.LOCAL, 2, Duration.ofSeconds(10), c -> {
            Linear used;
            synchronized (DistributedDataParallelTest.class) {
                Tensor.manualSeed(3);
                used = new Linear(2, 2);
            }
            DistributedDataParallel ddp = new DistributedDataParallel(used, c);
            if (c.rank() == 0) {
                ddp.forward(Tensor.ones(1, 2)).sum().backward();
            }
            ddp.synchronizeGradients();
            return used.parameters().get(0).grad().toFloatArray();
        });
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, grads.get(1));
        assertArrayEquals(grads.get(0), grads.get(1));
    }

    @Test
    void refusesNonF32Parameters() {
        Communicator c = LocalGroup.create(1, Duration.ofSeconds(1)).get(0);
        Layer m = new Linear(2, 2).to(DType.F64);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DistributedDataParallel(m, c));
        assertTrue(e.getMessage().contains("f64"), e.getMessage());
    }
}
