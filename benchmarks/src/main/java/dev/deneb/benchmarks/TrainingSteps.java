package dev.deneb.benchmarks;

import dev.deneb.nn.Losses;
import dev.deneb.nn.Layer;
import dev.deneb.optim.Adam;
import dev.deneb.optim.Optimizer;
import dev.deneb.tensor.Tensor;
import java.util.function.DoubleSupplier;

/**
 * The classifier training step the peers time: zero grad, forward, cross-entropy, backward, Adam step, cycling
 * through a few fixed batches (as {@code classifier_step} in torch_peer.py).
 */
public final class TrainingSteps {
    private final Layer net;
    private final Optimizer optimizer;
    private final Tensor[] inputs;
    private final Tensor[] labels;
    private int next;

    /** Adam with learning rate 1e-3, as most workloads use. */
    public TrainingSteps(Layer net, Tensor[] inputs, Tensor[] labels) {
        this(net, inputs, labels, 1e-3);
    }

    public TrainingSteps(Layer net, Tensor[] inputs, Tensor[] labels, double lr) {
        this.net = net;
        this.optimizer = new Adam(net.parameters(), Adam.Options.defaults().lr(lr));
        this.inputs = inputs;
        this.labels = labels;
    }

    /** One step on the next batch; returns the loss value. */
    public double step() {
        int k = next++ % inputs.length;
        optimizer.zeroGrad();
        Tensor loss = Losses.crossEntropy(net.forward(inputs[k]), labels[k]);
        loss.backward();
        optimizer.step();
        return loss.item();
    }

    /** Median milliseconds per step over {@code blocks} clean blocks of {@code perBlock} steps, after warming up. */
    public double millisPerStep(int warm, int blocks, int perBlock) {
        for (int i = 0; i < warm; i++) {
            step();
        }
        DoubleSupplier block = () -> {
            long t0 = System.nanoTime();
            for (int i = 0; i < perBlock; i++) {
                step();
            }
            return (System.nanoTime() - t0) / 1e6 / perBlock;
        };
        Sampler.warmUntilSteady(block, 3, 90);
        return Sampler.median(block, blocks, 3 * blocks);
    }
}
