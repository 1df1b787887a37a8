package dev.deneb.examples.generative;

import dev.deneb.data.Batch;
import dev.deneb.data.DataLoader;
import dev.deneb.data.Normalize;
import dev.deneb.data.TensorDataset;
import dev.deneb.examples.mnist.MnistModels;
import dev.deneb.nn.Layer;
import dev.deneb.nn.Losses;
import dev.deneb.nn.io.ModelIO;
import dev.deneb.optim.Adam;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The MNIST CNN classifier used as a judge of generated digits: how often it recognises the digit that was asked
 * for, and how sure it is. Loaded from the {@code mnist} example's saved weights when there are some, else trained
 * here for one epoch.
 */
final class DigitJudge {
    private final Layer cnn;

    private DigitJudge(Layer cnn) {
        this.cnn = cnn;
        cnn.eval();
    }

    /** From {@code weights} when that file exists, else a CNN trained for {@code epochs} on {@code train}. */
    static DigitJudge loadOrTrain(Path weights, TensorDataset train, TensorDataset test, int epochs, long seed) {
        Layer cnn = MnistModels.cnn();
        if (weights != null && Files.isRegularFile(weights)) {
            ModelIO.load(cnn, weights, true);
            System.out.println("judge: the MNIST CNN from " + weights);
            return new DigitJudge(cnn);
        }
        Tensor.manualSeed(seed);
        Adam adam = new Adam(cnn.parameters(), Adam.Options.defaults());
        DataLoader loader = DataLoader.builder(train).batchSize(64).shuffle(true).seed(seed)
                .transform(Normalize.MNIST::apply).build();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            cnn.train();
            for (Batch b : loader.epoch(epoch)) {
                adam.zeroGrad();
                Losses.crossEntropy(cnn.forward(b.inputs()), b.targets()).backward();
                adam.step();
            }
        }
        DigitJudge judge = new DigitJudge(cnn);
        System.out.printf(Locale.ROOT, "judge: an MNIST CNN trained here for %d epoch(s), test accuracy %.2f %%"
                + " (run `mnist` first to judge with the fully trained one)%n", epochs, 100 * judge.accuracy(test));
        return judge;
    }

    /** The judge's accuracy on real digits. */
    double accuracy(TensorDataset data) {
        long correct = 0;
        try (GradMode.Scope s = GradMode.noGrad()) {
            for (Batch b : DataLoader.builder(data).batchSize(1000).build()) {
                long[] p = cnn.forward(Normalize.MNIST.apply(b.inputs())).argmax(1).toLongArray();
                long[] y = b.targets().toLongArray();
                for (int i = 0; i < p.length; i++) {
                    correct += p[i] == y[i] ? 1 : 0;
                }
            }
        }
        return (double) correct / data.size();
    }

    /** Fraction recognised as the requested class, and the mean probability given to it. */
    record Verdict(double accuracy, double confidence) {}

    /** Judges images in [-1, 1] generated for {@code labels}. */
    Verdict judge(Tensor images, long[] labels) {
        try (GradMode.Scope s = GradMode.noGrad()) {
            Tensor pixels = images.add(1).mul(0.5);
            float[] p = cnn.forward(Normalize.MNIST.apply(pixels)).softmax(1).toFloatArray();
            int correct = 0;
            double confidence = 0;
            for (int i = 0; i < labels.length; i++) {
                int best = 0;
                for (int c = 1; c < 10; c++) {
                    if (p[i * 10 + c] > p[i * 10 + best]) {
                        best = c;
                    }
                }
                correct += best == labels[i] ? 1 : 0;
                confidence += p[i * 10 + (int) labels[i]];
            }
            return new Verdict((double) correct / labels.length, confidence / labels.length);
        }
    }
}
