package dev.deneb.nn;

import dev.deneb.optim.SGD;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.Threads;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The child program of {@link TrainingWithoutVectorFlagTest}: a few SGD steps of a small CNN (convolution, max pool,
 * linear, layer norm, softmax cross-entropy) on seeded data, on two threads. Writes each step's loss and then every
 * parameter, by name, to the file named by its first argument.
 */
public final class SmallTrainingRun {
    private SmallTrainingRun() {}

    public static void main(String[] args) throws IOException {
        Threads.set(2);
        Tensor.manualSeed(7);
        Sequential net = new Sequential(new Conv2d(1, 6, 3), Activation.relu(), new MaxPool2d(2), new Flatten(),
                new Linear(6 * 5 * 5, 32), new LayerNorm(32), Activation.tanh(), new Linear(32, 10));
        Generator g = new Generator(3);
        Tensor x = g.normal(0, 1, 16, 1, 12, 12);
        Tensor y = g.randint(0, 10, 16);
        SGD sgd = new SGD(net.parameters(), SGD.Options.defaults().lr(0.05).momentum(0.9));
        float[] losses = new float[6];
        for (int step = 0; step < losses.length; step++) {
            sgd.zeroGrad();
            Tensor loss = Losses.crossEntropy(net.forward(x), y);
            loss.backward();
            sgd.step();
            losses[step] = (float) loss.item();
        }
        try (DataOutputStream d = new DataOutputStream(Files.newOutputStream(Path.of(args[0])))) {
            write(d, "losses", losses);
            for (Map.Entry<String, Tensor> p : net.namedParameters().entrySet()) {
                write(d, p.getKey(), p.getValue().toFloatArray());
            }
        }
    }

    private static void write(DataOutputStream d, String name, float[] values) throws IOException {
        d.writeUTF(name);
        d.writeInt(values.length);
        for (float v : values) {
            d.writeFloat(v);
        }
    }
}
