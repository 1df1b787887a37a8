package dev.deneb.benchmarks;

import dev.deneb.nn.BatchNorm2d;
import dev.deneb.nn.Conv2d;
import dev.deneb.nn.Layer;
import dev.deneb.nn.Linear;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.Threads;
import java.util.List;
import java.util.Map;

/**
 * {@code conv_bn}: one training step of a residual block on {@code x [32, 32, 32, 32]}: conv 3×3 (32→32, padding 1,
 * no bias), BatchNorm2d, ReLU, conv 3×3, BatchNorm2d, plus x, ReLU; global average pool; Linear 32→10;
 * cross-entropy; Adam (lr 1e-3), in ms, as {@code torch_peer.py} (8 fixed random batches in turn, 10 warm-up steps,
 * blocks of 20 steps, median per-step time of 5 clean blocks).
 */
public final class ConvBnWorkload implements Workload {
    static final int BATCH = 32;
    static final int CHANNELS = 32;
    static final int SIDE = 32;

    /** The peer's {@code Net}: the residual block, global average pool, linear head. */
    static final class Net extends Layer {
        final Conv2d conv1;
        final BatchNorm2d bn1;
        final Conv2d conv2;
        final BatchNorm2d bn2;
        final Linear fc;

        Net(Generator g) {
            Conv2d.Options conv = Conv2d.Options.defaults().padding(1).bias(false).generator(g);
            conv1 = registerLayer("conv1", new Conv2d(CHANNELS, CHANNELS, 3, conv));
            bn1 = registerLayer("bn1", new BatchNorm2d(CHANNELS));
            conv2 = registerLayer("conv2", new Conv2d(CHANNELS, CHANNELS, 3, conv));
            bn2 = registerLayer("bn2", new BatchNorm2d(CHANNELS));
            fc = registerLayer("fc", new Linear(CHANNELS, 10, Linear.Options.defaults().generator(g)));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = bn1.forward(conv1.forward(x)).relu();
            h = bn2.forward(conv2.forward(h)).add(x).relu();
            return fc.forward(h.mean(new int[] {2, 3}, false));
        }
    }

    @Override
    public String name() {
        return "conv_bn";
    }

    @Override
    public List<Result> run(int threads) {
        int saved = Threads.count();
        Threads.set(threads);
        try {
            Generator g = new Generator(0);
            Net net = new Net(g);
            Tensor[] xs = new Tensor[8];
            Tensor[] ys = new Tensor[8];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = g.normal(0, 1, BATCH, CHANNELS, SIDE, SIDE);
                ys[i] = g.randint(0, 10, BATCH);
            }
            Sampler.waitIdle(180);
            double ms = new TrainingSteps(net, xs, ys).millisPerStep(10, 5, 20);
            Sampler.log(String.format("  conv_bn step_b32_c32_32x32 threads=%d: %.2f ms", threads, ms));
            return List.of(new Result("conv_bn", "step_b32_c32_32x32", threads, "ms_per_step", ms, false,
                    Map.of("java", Runtime.version().toString())));
        } finally {
            Threads.set(saved);
        }
    }
}
