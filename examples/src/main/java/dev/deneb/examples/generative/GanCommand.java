package dev.deneb.examples.generative;

import dev.deneb.data.Batch;
import dev.deneb.data.DataLoader;
import dev.deneb.data.TensorDataset;
import dev.deneb.examples.common.ImageGrid;
import dev.deneb.examples.common.Images;
import dev.deneb.examples.common.ProgressBar;
import dev.deneb.examples.mnist.MnistFolder;
import dev.deneb.nn.Losses;
import dev.deneb.nn.io.ModelIO;
import dev.deneb.optim.Adam;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.Threads;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A conditional DCGAN on MNIST ({@link ConditionalGan}): Adam (lr 2e-4, betas 0.5/0.999) for both networks, binary
 * cross-entropy on logits, one-sided label smoothing (real = 0.9). After every epoch it writes a grid of generated
 * digits, one row per class, from fixed noise, and reports how often the MNIST CNN classifier recognises the digit
 * that was asked for in 1,000 fresh samples (100 per class), and the probability it gives to it.
 */
@Command(name = "gan", mixinStandardHelpOptions = true,
        description = "Conditional DCGAN on MNIST; a PNG grid per epoch and the classifier's verdict on the samples.")
public final class GanCommand implements Callable<Integer> {
    @Option(names = "--epochs", description = "(default: ${DEFAULT-VALUE})")
    int epochs = 5;

    @Option(names = "--batch-size", description = "(default: ${DEFAULT-VALUE})")
    int batchSize = 64;

    @Option(names = "--lr", description = "Adam learning rate of both networks (default: ${DEFAULT-VALUE})")
    double lr = 2e-4;

    @Option(names = "--noise", description = "size of the generator's noise input (default: ${DEFAULT-VALUE})")
    int noise = 64;

    @Option(names = "--seed", description = "(default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--threads", description = "CPU threads (default: all cores)")
    Integer threads;

    @Option(names = "--data", description = "folder with the MNIST IDX files (default: ../shared/data/mnist)")
    Path data;

    @Option(names = "--out", description = "where the PNGs and the generator go (default: ${DEFAULT-VALUE})")
    Path out = Path.of("runs");

    @Option(names = "--classifier", description = "weights of the judging MNIST CNN (default: ${DEFAULT-VALUE}; trained here for one epoch when absent)")
    Path classifier = Path.of("runs", "mnist-cnn.safetensors");

    @Option(names = "--limit", description = "use only the first N training and test images (quick runs)")
    Integer limit;

    @Override
    public Integer call() {
        if (threads != null) {
            Threads.set(threads);
        }
        Path dir = MnistFolder.directory(data);
        if (dir == null) {
            return 2;
        }
        TensorDataset train = MnistFolder.load(dir, true, limit);
        TensorDataset test = MnistFolder.load(dir, false, limit);
        DigitJudge judge = DigitJudge.loadOrTrain(classifier, train, test, 1, seed);

        Tensor.manualSeed(seed);
        ConditionalGan.Generator g = new ConditionalGan.Generator(noise);
        ConditionalGan.Discriminator d = new ConditionalGan.Discriminator();
        Adam.Options o = Adam.Options.defaults().lr(lr).betas(0.5, 0.999);
        Adam adamG = new Adam(g.parameters(), o);
        Adam adamD = new Adam(d.parameters(), o);
        System.out.printf(Locale.ROOT, "MNIST conditional GAN: generator %,d, discriminator %,d parameters, %d images%n",
                g.parameterCount(), d.parameterCount(), train.size());
        Generator random = new Generator(seed + 1);
        Tensor fixedNoise = new Generator(seed + 2).normal(0, 1, 100, noise);
        Tensor fixedLabels = rowsOfClasses(10);
        DataLoader loader = DataLoader.builder(train).batchSize(batchSize).shuffle(true).seed(seed).dropLast(true)
                .build();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            g.train();
            d.train();
            ProgressBar bar = new ProgressBar(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs),
                    loader.numBatches());
            double lossD = 0;
            double lossG = 0;
            int steps = 0;
            for (Batch b : loader.epoch(epoch)) {
                int n = b.size();
                Tensor real = b.inputs().mul(2).sub(1);
                Tensor labels = b.targets();
                Tensor z = random.normal(0, 1, n, noise);
                Tensor wanted = random.randint(0, ConditionalGan.CLASSES, n);
                Tensor fake = g.generate(z, wanted);

                adamD.zeroGrad();
                Tensor dLoss = Losses.bceWithLogits(d.judge(real, labels), Tensor.full(0.9, n))
                        .add(Losses.bceWithLogits(d.judge(fake.detach(), wanted), Tensor.zeros(n)));
                dLoss.backward();
                adamD.step();

                adamG.zeroGrad();
                Tensor gLoss = Losses.bceWithLogits(d.judge(fake, wanted), Tensor.ones(n));
                gLoss.backward();
                adamG.step();

                lossD += dLoss.item();
                lossG += gLoss.item();
                steps++;
                bar.update(steps, String.format(Locale.ROOT, "D %.3f  G %.3f", lossD / steps, lossG / steps));
            }
            bar.finish();
            g.eval();
            Path png = out.resolve(String.format(Locale.ROOT, "mnist-gan-epoch%02d.png", epoch));
            try (GradMode.Scope s = GradMode.noGrad()) {
                Images.writePng(ImageGrid.of(g.generate(fixedNoise, fixedLabels).add(1).mul(0.5), 10, 2), png);
            }
            DigitJudge.Verdict v = verdict(g, judge, new Generator(seed + 3));
            System.out.printf(Locale.ROOT, "epoch %d/%d  D loss %.4f  G loss %.4f  classifier recognises %.1f %% of"
                            + " requested digits (mean confidence %.3f)  %.1f s  %s%n", epoch, epochs, lossD / steps,
                    lossG / steps, 100 * v.accuracy(), v.confidence(), (System.nanoTime() - start) / 1e9, png);
        }
        Path weights = out.resolve("mnist-gan-generator.safetensors");
        ModelIO.save(g, weights);
        System.out.println("saved " + weights);
        return 0;
    }

    /** Class indices 0,…,0, 1,…,1, …: {@code perClass} of each, one grid row per class. */
    private static Tensor rowsOfClasses(int perClass) {
        long[] y = new long[ConditionalGan.CLASSES * perClass];
        for (int i = 0; i < y.length; i++) {
            y[i] = i / perClass;
        }
        return Tensor.of(y, y.length);
    }

    /** The judge's verdict on 100 fresh samples of each class. */
    private DigitJudge.Verdict verdict(ConditionalGan.Generator g, DigitJudge judge, Generator random) {
        Tensor labels = rowsOfClasses(100);
        try (GradMode.Scope s = GradMode.noGrad()) {
            Tensor images = g.generate(random.normal(0, 1, labels.shape()[0], noise), labels);
            return judge.judge(images, labels.toLongArray());
        }
    }
}
