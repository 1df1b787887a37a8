package dev.deneb.examples.anomaly;

import dev.deneb.data.DataPaths;
import dev.deneb.decomposition.PCA;
import dev.deneb.examples.lightcurves.LightCurves;
import dev.deneb.metrics.Metrics;
import dev.deneb.nn.Losses;
import dev.deneb.optim.Adam;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.Threads;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Finding the unknown: for each EROS-1 class in turn, an autoencoder ({@link StarAutoencoder}) learns the stars of
 * the other three classes only (phase-folded light curve and standardised static features: log period, amplitudes,
 * colour), then scores every test star by its reconstruction error; a star of the held-out class, never seen in
 * training, should reconstruct worse. Reports the ROC AUC of
 * that score for finding the held-out class among the test stars, beside the same score from PCA (reconstruction
 * error from the first {@code --pca-components} principal components fitted on the same training curves), and
 * writes the error histograms per class and example reconstructions as PNGs.
 */
@Command(name = "anomaly", mixinStandardHelpOptions = true,
        description = "Anomaly finding on EROS-1 light curves: autoencoder reconstruction error vs PCA, per held-out class.")
public final class AnomalyCommand implements Callable<Integer> {
    @Option(names = "--held-out", description = "class index 0-3 to hold out; default: each in turn")
    Integer heldOut;

    @Option(names = "--epochs", description = "(default: ${DEFAULT-VALUE})")
    int epochs = 60;

    @Option(names = "--batch-size", description = "(default: ${DEFAULT-VALUE})")
    int batchSize = 64;

    @Option(names = "--lr", description = "Adam learning rate (default: ${DEFAULT-VALUE})")
    double lr = 1e-3;

    @Option(names = "--latent", description = "size of the autoencoder's code (default: ${DEFAULT-VALUE})")
    int latent = 8;

    @Option(names = "--pca-components", description = "components of the PCA baseline (default: ${DEFAULT-VALUE})")
    int pcaComponents = 8;

    @Option(names = "--seed", description = "(default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--threads", description = "CPU threads (default: all cores)")
    Integer threads;

    @Option(names = "--data", description = "the eros1_variable_stars folder (default: ../shared/data/eros1_variable_stars)")
    Path data;

    @Option(names = "--out", description = "where the PNGs go (default: ${DEFAULT-VALUE})")
    Path out = Path.of("runs");

    @Override
    public Integer call() {
        if (threads != null) {
            Threads.set(threads);
        }
        Path dir = data != null ? data : DataPaths.find("eros1_variable_stars").orElse(null);
        if (dir == null || !java.nio.file.Files.isDirectory(dir)) {
            System.err.println("EROS-1 data not found" + (dir == null ? "" : " at " + dir)
                    + "; pass --data <the eros1_variable_stars folder> (see `./deneb download eros1`).");
            return 2;
        }
        LightCurves train = LightCurves.load(dir, "train");
        LightCurves test = LightCurves.load(dir, "test");
        List<Integer> classes = heldOut != null ? List.of(heldOut) : List.of(0, 1, 2, 3);
        System.out.printf(Locale.ROOT, "EROS-1 anomaly finding: %d training and %d test stars, folded curves 2x%d and"
                + " %d static features, code %d, PCA %d components%n", train.size, test.size, LightCurves.FOLD_BINS,
                LightCurves.STATIC_FEATURES, latent, pcaComponents);
        List<String> rows = new ArrayList<>();
        for (int h : classes) {
            Result r = run(train, test, h);
            rows.add(String.format(Locale.ROOT, "| %s | %d | %.4f | %.4f |", LightCurves.CLASSES[h],
                    count(test.labels, h), r.autoencoderAuc, r.pcaAuc));
            ErrorPlots.write(r, test.labels, LightCurves.CLASSES[h], out.resolve("anomaly-" + LightCurves.CLASSES[h]
                    + ".png"));
        }
        System.out.println();
        System.out.println("| held-out class | test stars | autoencoder ROC AUC | PCA ROC AUC |");
        System.out.println("|---|---|---|---|");
        rows.forEach(System.out::println);
        return 0;
    }

    /** Per-star scores and the two AUCs for one held-out class, plus a few reconstructions to draw. */
    record Result(int heldOut, double[] autoencoderError, double[] pcaError, double autoencoderAuc, double pcaAuc,
            float[] inputs, float[] reconstructions) {}

    private Result run(LightCurves train, LightCurves test, int held) {
        Tensor.manualSeed(seed);
        int[] keep = without(train.labels, held);
        double[][] moments = train.staticMoments(keep);
        Tensor x = stars(train, keep, moments);
        Tensor xTest = stars(test, null, moments);

        StarAutoencoder ae = new StarAutoencoder(latent);
        Adam adam = new Adam(ae.parameters(), Adam.Options.defaults().lr(lr));
        SplittableRandom order = new SplittableRandom(seed);
        long start = System.nanoTime();
        double last = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            ae.train();
            int[] perm = permutation(keep.length, order);
            double sum = 0;
            for (int from = 0; from < perm.length; from += batchSize) {
                int n = Math.min(batchSize, perm.length - from);
                Tensor batch = x.indexSelect(0, Tensor.of(java.util.Arrays.copyOfRange(perm, from, from + n), n));
                adam.zeroGrad();
                Tensor loss = Losses.mse(ae.forward(batch), batch);
                loss.backward();
                adam.step();
                sum += loss.item() * n;
            }
            last = sum / perm.length;
        }
        ae.eval();
        Tensor recon;
        try (GradMode.Scope s = GradMode.noGrad()) {
            recon = ae.forward(xTest);
        }
        double[] aeError = rowErrors(xTest, recon);

        PCA pca = PCA.fit(x, PCA.Options.defaults().components(pcaComponents));
        double[] pcaError = rowErrors(xTest, pca.inverseTransform(pca.transform(xTest)));

        long[] positive = new long[test.size];
        for (int i = 0; i < test.size; i++) {
            positive[i] = test.labels[i] == held ? 1 : 0;
        }
        double aeAuc = Metrics.rocAuc(positive, aeError);
        double pcaAuc = Metrics.rocAuc(positive, pcaError);
        System.out.printf(Locale.ROOT, "held out %-16s  trained on %d stars, %d epochs (final mse %.4f, %.1f s):"
                        + "  autoencoder AUC %.4f, PCA AUC %.4f%n", LightCurves.CLASSES[held], keep.length, epochs, last,
                (System.nanoTime() - start) / 1e9, aeAuc, pcaAuc);
        return new Result(held, aeError, pcaError, aeAuc, pcaAuc, xTest.toFloatArray(), recon.toFloatArray());
    }

    /**
     * The chosen stars (all with null) as rows of {@link StarAutoencoder#WIDTH}: the folded curve (already
     * standardised per band) and the static features standardised with {@code moments}.
     */
    static Tensor stars(LightCurves set, int[] rows, double[][] moments) {
        int n = rows == null ? set.size : rows.length;
        int width = StarAutoencoder.WIDTH;
        int curve = StarAutoencoder.CURVE;
        float[] v = new float[n * width];
        for (int i = 0; i < n; i++) {
            int star = rows == null ? i : rows[i];
            System.arraycopy(set.folded[star], 0, v, i * width, curve);
            for (int f = 0; f < LightCurves.STATIC_FEATURES; f++) {
                v[i * width + curve + f] = (float) ((set.statics[star][f] - moments[0][f]) / moments[1][f]);
            }
        }
        return Tensor.of(v, n, width);
    }

    /**
     * The anomaly score of each row: the mean squared difference over the curve's values plus that over the static
     * features, so the four statics weigh as much as the 64 curve values (a star's period is as telling as its
     * shape).
     */
    static double[] rowErrors(Tensor a, Tensor b) {
        int n = a.shape()[0];
        float[] x = a.toFloatArray();
        float[] y = b.toFloatArray();
        int width = StarAutoencoder.WIDTH;
        int curve = StarAutoencoder.CURVE;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double c = 0;
            double s = 0;
            for (int j = 0; j < width; j++) {
                double d = x[i * width + j] - y[i * width + j];
                if (j < curve) {
                    c += d * d;
                } else {
                    s += d * d;
                }
            }
            out[i] = c / curve + s / (width - curve);
        }
        return out;
    }

    private static int[] without(int[] labels, int held) {
        return java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] != held).toArray();
    }

    private static int count(int[] labels, int c) {
        return (int) java.util.Arrays.stream(labels).filter(l -> l == c).count();
    }

    private static int[] permutation(int n, SplittableRandom r) {
        int[] p = java.util.stream.IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
