package dev.deneb.examples.lightcurves;

import dev.deneb.tensor.GradMode;
import dev.deneb.data.DataPaths;
import dev.deneb.examples.common.ProgressBar;
import dev.deneb.nn.Losses;
import dev.deneb.optim.Adam;
import dev.deneb.optim.CosineAnnealingLR;
import dev.deneb.optim.Optimizer;
import dev.deneb.tensor.Generator;
import dev.deneb.nn.io.ModelIO;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.Threads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Classifies the EROS-1 variable stars of the Large Magellanic Cloud (eclipsing binaries, Cepheids, RR Lyrae, Miras)
 * from their light curves, on the data set's fixed train/test split, with a recurrent model (GRU or LSTM) on the raw
 * irregularly sampled curves, a small transformer encoder on the same, and a 1-D CNN on the phase-folded curves.
 * Prints test accuracy, the confusion matrix and the time per epoch of each.
 */
@Command(name = "lightcurves", mixinStandardHelpOptions = true,
        description = "Classify EROS-1 variable-star light curves with a GRU/LSTM, a transformer and a 1-D CNN.")
public final class LightCurvesCommand implements Callable<Integer> {
    /** Which model to train; {@code all} trains each in turn. */
    public enum Model { gru, lstm, transformer, cnn, all }

    @Option(names = "--model", description = "gru, lstm, transformer, cnn or all (default: ${DEFAULT-VALUE})")
    Model model = Model.all;

    @Option(names = "--epochs", description = "passes over the training set (default: 40 for cnn, 20 otherwise)")
    Integer epochs;

    @Option(names = "--batch-size", description = "(default: ${DEFAULT-VALUE})")
    int batchSize = 64;

    @Option(names = "--lr", description = "Adam learning rate, cosine-annealed (default: ${DEFAULT-VALUE})")
    double lr = 2e-3;

    @Option(names = "--seed", description = "seeds initialisation, shuffling and dropout (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--threads", description = "CPU threads (default: all cores)")
    Integer threads;

    @Option(names = "--data", description = "the eros1_variable_stars folder (default: ../shared/data/eros1_variable_stars)")
    Path data;

    @Option(names = "--out", description = "where the results summary and the trained models go (default:"
            + " ${DEFAULT-VALUE})")
    Path out = Path.of("runs");

    /** Test accuracy, confusion matrix and mean seconds per epoch of one model. */
    public record Outcome(String model, double testAccuracy, int[][] confusion, double secondsPerEpoch) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new LightCurvesCommand()).execute(args));
    }

    @Override
    public Integer call() {
        if (threads != null) {
            Threads.set(threads);
        }
        Path dir = data != null ? data : DataPaths.find("eros1_variable_stars").orElse(null);
        if (dir == null || !Files.isRegularFile(dir.resolve("eros1_train_meta.csv"))) {
            System.err.println("EROS-1 light-curve data not found" + (dir == null ? " (looked in "
                    + DataPaths.describeSearch() + ")" : " at " + dir) + "; pass --data <the eros1_variable_stars"
                    + " folder>. Nothing to do.");
            return 2;
        }
        long t0 = System.nanoTime();
        LightCurves train = LightCurves.load(dir, "train");
        LightCurves test = LightCurves.load(dir, "test");
        System.out.printf(Locale.ROOT, "EROS-1 light curves: %d train, %d test stars, classes %s, loaded in %.1f s,"
                + " %d threads%n", train.size, test.size, String.join("/", LightCurves.CLASSES),
                (System.nanoTime() - t0) / 1e9, Threads.count());
        List<Model> models = model == Model.all ? List.of(Model.gru, Model.lstm, Model.transformer, Model.cnn)
                : List.of(model);
        List<Outcome> outcomes = new ArrayList<>();
        for (Model m : models) {
            outcomes.add(run(m, train, test));
        }
        StringBuilder summary = new StringBuilder("model         test acc   s/epoch\n");
        for (Outcome o : outcomes) {
            summary.append(String.format(Locale.ROOT, "%-12s  %7.2f%%  %8.2f%n", o.model(), 100 * o.testAccuracy(),
                    o.secondsPerEpoch()));
        }
        System.out.print("\n" + summary);
        try {
            Files.createDirectories(out);
            Path f = out.resolve("lightcurves-summary.txt");
            Files.writeString(f, summary.toString());
            System.out.println("saved " + f);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write to " + out, e);
        }
        return 0;
    }

    public static LightCurveModels.Classifier build(Model m, Generator g) {
        return switch (m) {
            case gru -> new LightCurveModels.Recurrent(false, 64, g);
            case lstm -> new LightCurveModels.Recurrent(true, 64, g);
            case transformer -> new LightCurveModels.Transformer(64, 4, 2, g);
            case cnn -> new LightCurveModels.FoldedCnn(32, g);
            case all -> throw new IllegalArgumentException("build: pick one model");
        };
    }

    private Outcome run(Model m, LightCurves train, LightCurves test) {
        Generator g = new Generator(seed);
        LightCurveModels.Classifier net = build(m, g);
        int n = epochs != null ? epochs : m == Model.cnn ? 40 : 20;
        double[][] moments = train.staticMoments();
        System.out.printf(Locale.ROOT, "%n== %s: %,d parameters, %d epochs ==%n", m, net.parameterCount(), n);
        Optimizer opt = new Adam(net.parameters(), Adam.Options.defaults().lr(lr).weightDecay(1e-4));
        CosineAnnealingLR schedule = new CosineAnnealingLR(opt, n);
        double seconds = 0;
        int[][] confusion = null;
        double acc = 0;
        for (int epoch = 1; epoch <= n; epoch++) {
            long start = System.nanoTime();
            net.train();
            int[] order = g.permutation(train.size).toIntArray();
            int batches = (train.size + batchSize - 1) / batchSize;
            ProgressBar bar = new ProgressBar(String.format(Locale.ROOT, "%s %d/%d", m, epoch, n), batches);
            double lossSum = 0;
            long correct = 0;
            for (int k = 0; k < batches; k++) {
                int from = k * batchSize;
                int to = Math.min(train.size, from + batchSize);
                LightCurveBatch b = LightCurveBatch.of(train, order, from, to, moments);
                opt.zeroGrad();
                Tensor logits = net.logits(b);
                Tensor loss = Losses.crossEntropy(logits, b.labels());
                loss.backward();
                opt.step();
                lossSum += loss.item() * b.size();
                correct += correctCount(logits.detach(), b.labels());
                bar.update(k + 1, String.format(Locale.ROOT, "loss %.4f", lossSum / to));
            }
            bar.finish();
            schedule.step();
            double epochSeconds = (System.nanoTime() - start) / 1e9;
            seconds += epochSeconds;
            confusion = confusion(net, test, moments);
            acc = accuracy(confusion);
            System.out.printf(Locale.ROOT, "%s epoch %2d/%d  loss %.4f  train acc %.2f%%  test acc %.2f%%  %.1f s%n",
                    m, epoch, n, lossSum / train.size, 100.0 * correct / train.size, 100 * acc, epochSeconds);
        }
        System.out.printf(Locale.ROOT, "%s: test accuracy %.2f%%, %.2f s per epoch (training)%n", m, 100 * acc,
                seconds / n);
        System.out.print(formatConfusion(confusion));
        save(net, m, moments);
        return new Outcome(m.name(), acc, confusion, seconds / n);
    }

    /** Writes the trained model, with the static features' training moments (export-onnx builds them in). */
    private void save(LightCurveModels.Classifier net, Model m, double[][] moments) {
        Path f = out.resolve("lightcurves-" + m + ".safetensors");
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + out, e);
        }
        ModelIO.save(net, java.util.Map.of("model", m.name(), "staticMean", join(moments[0]), "staticStd",
                join(moments[1])), f);
        System.out.println("saved " + f);
    }

    static String join(double[] v) {
        return java.util.Arrays.stream(v).mapToObj(Double::toString).collect(java.util.stream.Collectors.joining(","));
    }

    static long correctCount(Tensor logits, Tensor labels) {
        return (long) logits.argmax(1, false).eq(labels).to(dev.deneb.tensor.DType.I64).sum().item();
    }

    /** Rows: true class, columns: predicted class. */
    static int[][] confusion(LightCurveModels.Classifier net, LightCurves data, double[][] moments) {
        net.eval();
        int k = LightCurves.CLASSES.length;
        int[][] c = new int[k][k];
        int[] order = new int[data.size];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        try (GradMode.Scope s = GradMode.noGrad()) {
            for (int from = 0; from < data.size; from += 256) {
                int to = Math.min(data.size, from + 256);
                LightCurveBatch b = LightCurveBatch.of(data, order, from, to, moments);
                long[] pred = net.logits(b).argmax(1, false).toLongArray();
                for (int j = 0; j < pred.length; j++) {
                    c[data.labels[from + j]][(int) pred[j]]++;
                }
            }
        }
        return c;
    }

    static double accuracy(int[][] c) {
        long right = 0;
        long all = 0;
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < c.length; j++) {
                all += c[i][j];
                right += i == j ? c[i][j] : 0;
            }
        }
        return all == 0 ? 0 : (double) right / all;
    }

    /** A labelled table: true class per row, predicted class per column, recall at the end of each row. */
    static String formatConfusion(int[][] c) {
        String[] names = LightCurves.CLASSES;
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-18s", "true \\ predicted"));
        for (String n : names) {
            s.append(String.format(Locale.ROOT, "%18s", n));
        }
        s.append(String.format(Locale.ROOT, "%9s%n", "recall"));
        for (int i = 0; i < c.length; i++) {
            s.append(String.format(Locale.ROOT, "%-18s", names[i]));
            int row = 0;
            for (int j = 0; j < c.length; j++) {
                s.append(String.format(Locale.ROOT, "%18d", c[i][j]));
                row += c[i][j];
            }
            s.append(String.format(Locale.ROOT, "%8.1f%%%n", row == 0 ? 0 : 100.0 * c[i][i] / row));
        }
        return s.toString();
    }
}
