package dev.deneb.examples.mnist;

import dev.deneb.tensor.GradMode;
import dev.deneb.data.Batch;
import dev.deneb.data.DataLoader;
import dev.deneb.data.Mnist;
import dev.deneb.data.Normalize;
import dev.deneb.data.TensorDataset;
import dev.deneb.examples.common.CurvesPlot;
import dev.deneb.examples.common.HeapLauncher;
import dev.deneb.examples.common.History;
import dev.deneb.examples.common.ProgressBar;
import dev.deneb.nn.Losses;
import dev.deneb.nn.Layer;
import dev.deneb.nn.io.ModelIO;
import dev.deneb.optim.Adam;
import dev.deneb.optim.CosineAnnealingLR;
import dev.deneb.optim.Optimizer;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.Threads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains a CNN (or an MLP) on MNIST, or on any image set in MNIST's IDX layout (Fashion-MNIST, KMNIST, EMNIST…), and
 * reports test accuracy after every epoch. The data set is named after its folder; the pixel mean and std come from
 * its training images and the number of classes from its training labels.
 */
@Command(name = "mnist", mixinStandardHelpOptions = true,
        description = {"Train and evaluate a CNN (or an MLP) on MNIST digits or another IDX image set",
                "(Fashion-MNIST, KMNIST, EMNIST: pass its folder with --data; normalised with its own statistics)."})
public final class MnistCommand implements Callable<Integer>, HeapLauncher.HeapBudget {
    /** Which network to train. */
    public enum Model { cnn, mlp }

    @Option(names = "--model", description = "cnn or mlp (default: ${DEFAULT-VALUE})")
    Model model = Model.cnn;

    @Option(names = "--epochs", description = "passes over the training set (default: ${DEFAULT-VALUE})")
    int epochs = 10;

    @Option(names = "--batch-size", description = "(default: ${DEFAULT-VALUE})")
    int batchSize = 64;

    @Option(names = "--lr", description = "Adam learning rate, decayed by cosine annealing (default: ${DEFAULT-VALUE})")
    double lr = 1e-3;

    @Option(names = "--seed", description = "seeds initialisation, shuffling and dropout (default: ${DEFAULT-VALUE})")
    long seed = 42;

    @Option(names = "--threads", description = "CPU threads (default: all cores)")
    Integer threads;

    @Option(names = "--data", description = "folder with the IDX files train-images-idx3-ubyte[.gz], "
            + "train-labels-idx1-ubyte[.gz], t10k-… (default: ../shared/data/mnist)")
    Path data;

    @Option(names = "--out", description = "where the model and the plot go (default: ${DEFAULT-VALUE})")
    Path out = Path.of("runs");

    @Option(names = "--limit", description = "use only the first N training images (quick runs)", hidden = true)
    Integer limit;

    /** The normalisation of this run: the training images' statistics. */
    private Normalize normalize = Normalize.MNIST;
    /** The data set's name in lower case, the prefix of the files written. */
    private String prefix = "mnist";

    /** The data set's name: its folder's, with "mnist" shown as MNIST. */
    static String dataSetName(Path dir) {
        Path f = dir.toAbsolutePath().normalize().getFileName();
        String name = f == null ? "images" : f.toString();
        return name.equalsIgnoreCase("mnist") ? "MNIST" : name;
    }

    /**
     * The training images' pixel mean and std, rounded to 4 decimals: the rounding keeps MNIST on its customary
     * constants (computed 0.13066 and 0.30811, used 0.1307 and 0.3081), so its runs are unchanged bit for bit.
     */
    static Normalize statistics(Tensor images) {
        Normalize exact = Normalize.fit(images);
        return new Normalize(round4(exact.mean()[0]), round4(exact.std()[0]));
    }

    private static double round4(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    /** Images per batch of the test pass ({@link #accuracy}). */
    static final int TEST_BATCH = 1000;

    /**
     * The heap this run needs (see {@link HeapLauncher}), from GC logs and allocation profiles of both networks: the
     * images as f32 and the labels as i64 (MNIST: 220 MB); what the largest batch holds at once (for the CNN in
     * training the activations kept for backward, their gradients and the im2col buffers, about 1 MiB per image; at
     * test time, with no graph, one layer's input, output and buffers, about 0.25 MiB per image; for the MLP 0.02 MiB
     * per image either way); and 96 MiB for young objects, the model, the optimizer and the rest.
     */
    @Override
    public OptionalLong heapMiB() {
        try {
            Path dir = data != null ? data : Mnist.defaultDirectory();
            int[] train = Mnist.imageShape(dir, true);
            int[] test = Mnist.imageShape(dir, false);
            long pixels = (long) train[1] * train[2];
            double mib = 1 << 20;
            double images = (train[0] + (double) test[0]) * (pixels * Float.BYTES + Long.BYTES) / mib;
            double scale = pixels / 784.0;
            double perTrainImage = model == Model.cnn ? 1.0 : 0.02;
            double perTestImage = model == Model.cnn ? 0.25 : 0.02;
            double batch = Math.max(batchSize * perTrainImage, TEST_BATCH * perTestImage) * scale;
            return OptionalLong.of((long) Math.ceil(images + batch + 96));
        } catch (RuntimeException e) {
            return OptionalLong.empty(); // no data (call() says so) or unreadable headers: keep the JVM's default
        }
    }

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
        TensorDataset train;
        TensorDataset test;
        try {
            train = Mnist.load(dir, true, 256);
            test = Mnist.load(dir, false, 256);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println("mnist: " + e.getMessage());
            return 2;
        }
        normalize = statistics(train.inputs()); // the whole training set, --limit or not
        int classes = (int) Math.max(train.targets().max().item(), test.targets().max().item()) + 1;
        if (limit != null) {
            train = train.subset(java.util.stream.LongStream.range(0, Math.min(limit, train.size())).toArray());
        }
        String name = dataSetName(dir);
        int rows = train.inputs().size(2);
        int cols = train.inputs().size(3);
        Layer net = model == Model.cnn ? MnistModels.cnn(rows, cols, classes) : MnistModels.mlp(rows, cols, classes);
        System.out.printf(Locale.ROOT, "%s %s: %,d parameters, %d training and %d test images of %dx%d, %d classes,"
                + " pixels normalised with the training set's mean %.4f and std %.4f, %d threads, heap up to %d MiB%n",
                name, model, net.parameterCount(), train.size(), test.size(), rows, cols, classes,
                normalize.mean()[0], normalize.std()[0], Threads.count(), Runtime.getRuntime().maxMemory() >> 20);
        prefix = name.toLowerCase(Locale.ROOT);
        History history = train(net, train, test);
        save(net, history);
        System.out.printf(Locale.ROOT, "test accuracy: %.2f%%%n", 100 * history.last().testAccuracy());
        return 0;
    }

    private History train(Layer net, TensorDataset train, TensorDataset test) {
        DataLoader loader = DataLoader.builder(train).batchSize(batchSize).shuffle(true).seed(seed).prefetch(2)
                .transform(normalize::apply).build();
        Optimizer optimizer = new Adam(net.parameters(), Adam.Options.defaults().lr(lr));
        CosineAnnealingLR schedule = new CosineAnnealingLR(optimizer, epochs);
        History history = new History();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            net.train();
            ProgressBar bar = new ProgressBar(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs),
                    loader.numBatches());
            double lossSum = 0;
            long correct = 0;
            long seen = 0;
            int step = 0;
            for (Batch b : loader.epoch(epoch)) {
                optimizer.zeroGrad();
                Tensor logits = net.forward(b.inputs());
                Tensor loss = Losses.crossEntropy(logits, b.targets());
                loss.backward();
                optimizer.step();
                lossSum += loss.item() * b.size();
                correct += correctCount(logits.detach(), b.targets());
                seen += b.size();
                bar.update(++step, String.format(Locale.ROOT, "loss %.4f", lossSum / seen));
            }
            bar.finish();
            schedule.step();
            double testAccuracy = accuracy(net, test, normalize);
            double seconds = (System.nanoTime() - start) / 1e9;
            history.add(new History.Epoch(epoch, lossSum / seen, (double) correct / seen, testAccuracy, seconds));
            System.out.printf(Locale.ROOT, "epoch %2d/%d  loss %.4f  train acc %.2f%%  test acc %.2f%%  %.1f s%n",
                    epoch, epochs, lossSum / seen, 100.0 * correct / seen, 100 * testAccuracy, seconds);
        }
        return history;
    }

    /** Accuracy on a dataset in eval mode, without recording gradients, with MNIST's normalisation. */
    static double accuracy(Layer net, TensorDataset data) {
        return accuracy(net, data, Normalize.MNIST);
    }

    /** Accuracy on a dataset in eval mode, without recording gradients. */
    static double accuracy(Layer net, TensorDataset data, Normalize normalize) {
        net.eval();
        DataLoader loader = DataLoader.builder(data).batchSize(TEST_BATCH).transform(normalize::apply).build();
        long correct = 0;
        try (GradMode.Scope s = GradMode.noGrad()) {
            for (Batch b : loader) {
                correct += correctCount(net.forward(b.inputs()).detach(), b.targets());
            }
        }
        return (double) correct / data.size();
    }

    static long correctCount(Tensor logits, Tensor labels) {
        return (long) logits.argmax(1, false).eq(labels).to(dev.deneb.tensor.DType.I64).sum().item();
    }

    private void save(Layer net, History history) {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + out, e);
        }
        Path weights = out.resolve(prefix + "-" + model + ".safetensors");
        Path plot = out.resolve(prefix + "-" + model + "-curves.png");
        // The pixel statistics go with the weights: export-onnx puts the normalisation into the exported graph.
        ModelIO.save(net, java.util.Map.of("model", model.toString(), "mean", Double.toString(normalize.mean()[0]),
                "std", Double.toString(normalize.std()[0])), weights);
        CurvesPlot.writePng(history, prefix.equals("mnist") ? "MNIST " + model : prefix + " " + model, plot);
        System.out.println("saved " + weights + " and " + plot);
    }
}
