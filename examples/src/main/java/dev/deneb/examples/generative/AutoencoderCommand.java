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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A convolutional autoencoder on MNIST ({@link MnistAutoencoder}): pixels in [0, 1], mean squared error, Adam. With
 * {@code --denoise σ} the inputs get Gaussian noise of standard deviation σ (clipped to [0, 1]) while the target
 * stays the clean digit: a denoising autoencoder. Prints the training and test reconstruction error per epoch and
 * writes a PNG of test digits, (their noisy versions,) and their reconstructions.
 */
@Command(name = "autoencoder", mixinStandardHelpOptions = true,
        description = "Convolutional (denoising) autoencoder on MNIST; writes a PNG of inputs and reconstructions.")
public final class AutoencoderCommand implements Callable<Integer> {
    @Option(names = "--epochs", description = "(default: ${DEFAULT-VALUE})")
    int epochs = 5;

    @Option(names = "--batch-size", description = "(default: ${DEFAULT-VALUE})")
    int batchSize = 128;

    @Option(names = "--lr", description = "Adam learning rate (default: ${DEFAULT-VALUE})")
    double lr = 2e-3;

    @Option(names = "--latent", description = "size of the code (default: ${DEFAULT-VALUE})")
    int latent = 16;

    @Option(names = "--denoise", description = "σ of the Gaussian noise added to the inputs; 0: a plain autoencoder (default: ${DEFAULT-VALUE})")
    double denoise = 0;

    @Option(names = "--seed", description = "(default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--threads", description = "CPU threads (default: all cores)")
    Integer threads;

    @Option(names = "--data", description = "folder with the MNIST IDX files (default: ../shared/data/mnist)")
    Path data;

    @Option(names = "--out", description = "where the model and the PNG go (default: ${DEFAULT-VALUE})")
    Path out = Path.of("runs");

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
        Tensor.manualSeed(seed);
        TensorDataset train = MnistFolder.load(dir, true, limit);
        TensorDataset test = MnistFolder.load(dir, false, limit);
        MnistAutoencoder net = new MnistAutoencoder(latent);
        String kind = denoise > 0 ? "denoising autoencoder (σ " + denoise + ")" : "autoencoder";
        System.out.printf(Locale.ROOT, "MNIST convolutional %s: %,d parameters, code of %d, %d training and %d test"
                + " images%n", kind, net.parameterCount(), latent, train.size(), test.size());
        Generator noise = new Generator(seed + 1);
        DataLoader loader = DataLoader.builder(train).batchSize(batchSize).shuffle(true).seed(seed).build();
        Adam adam = new Adam(net.parameters(), Adam.Options.defaults().lr(lr));
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            net.train();
            ProgressBar bar = new ProgressBar(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs),
                    loader.numBatches());
            double sum = 0;
            long seen = 0;
            int step = 0;
            for (Batch b : loader.epoch(epoch)) {
                Tensor clean = b.inputs();
                adam.zeroGrad();
                Tensor loss = Losses.mse(net.forward(corrupt(clean, noise)), clean);
                loss.backward();
                adam.step();
                sum += loss.item() * b.size();
                seen += b.size();
                bar.update(++step, String.format(Locale.ROOT, "mse %.5f", sum / seen));
            }
            bar.finish();
            double testMse = testError(net, test, new Generator(seed + 2));
            System.out.printf(Locale.ROOT, "epoch %d/%d  train mse %.5f  test mse %.5f  %.1f s%n", epoch, epochs,
                    sum / seen, testMse, (System.nanoTime() - start) / 1e9);
        }
        save(net, test);
        return 0;
    }

    /** The input the network sees: the clean digit, or it with clipped Gaussian noise. */
    private Tensor corrupt(Tensor clean, Generator g) {
        if (denoise <= 0) {
            return clean;
        }
        return clean.add(g.normal(0, denoise, clean.shape())).clamp(0, 1);
    }

    private double testError(MnistAutoencoder net, TensorDataset test, Generator g) {
        net.eval();
        double sum = 0;
        try (GradMode.Scope s = GradMode.noGrad()) {
            for (Batch b : DataLoader.builder(test).batchSize(1000).build()) {
                sum += Losses.mse(net.forward(corrupt(b.inputs(), g)), b.inputs()).item() * b.size();
            }
        }
        return sum / test.size();
    }

    /** Weights, and a PNG: 16 test digits, their noisy versions (denoising only) and the reconstructions. */
    private void save(MnistAutoencoder net, TensorDataset test) {
        String name = denoise > 0 ? "mnist-denoising-autoencoder" : "mnist-autoencoder";
        Path weights = out.resolve(name + ".safetensors");
        Path png = out.resolve(name + ".png");
        net.eval();
        Tensor digits = test.inputs().narrow(0, 0, Math.min(16, test.size()));
        try (GradMode.Scope s = GradMode.noGrad()) {
            Tensor seen = corrupt(digits, new Generator(seed + 3));
            Tensor rows = denoise > 0 ? Tensor.cat(0, List.of(digits, seen, net.forward(seen)))
                    : Tensor.cat(0, List.of(digits, net.forward(seen)));
            Images.writePng(ImageGrid.of(rows, digits.shape()[0], 3), png);
        }
        ModelIO.save(net, weights);
        System.out.println("saved " + weights + " and " + png + " (rows: inputs" + (denoise > 0 ? ", noisy inputs" : "")
                + ", reconstructions)");
    }
}
