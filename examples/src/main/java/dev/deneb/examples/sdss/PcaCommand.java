package dev.deneb.examples.sdss;

import dev.deneb.data.Standardizer;
import dev.deneb.decomposition.PCA;
import dev.deneb.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Principal components of the SDSS features: prints the explained variance of every component, writes a PNG of
 * the objects projected on the first two components, coloured by class, and saves the fitted PCA. The features are
 * standardised first (unless {@code --no-standardize}): magnitudes spread over several units and colours over
 * fractions of one, so unscaled PCA would mostly see the magnitudes' brightness axis.
 */
@Command(name = "pca", mixinStandardHelpOptions = true,
        description = "PCA of the SDSS features: explained variance, and a 2-D projection plot of the classes.")
public final class PcaCommand implements Callable<Integer> {
    @Option(names = "--task", description = "which classes to keep: star-qso or three-class (default: ${DEFAULT-VALUE})")
    String task = "three-class";

    @Option(names = "--data", description = "folder with " + SdssData.FILE + ", or the CSV itself (default: ../shared/data/sdss)")
    Path data;

    @Option(names = "--out", description = "where the plot and the PCA go (default: ${DEFAULT-VALUE})")
    Path out = Path.of("runs", "sdss");

    @Option(names = "--no-standardize", description = "decompose the raw features instead of standardised ones")
    boolean noStandardize;

    @Option(names = "--whiten", description = "scale each component to unit variance (the plot axes then read in σ)")
    boolean whiten;

    @Option(names = "--limit", hidden = true, description = "use only the first N rows of the task")
    int limit;

    @CommandLine.Mixin
    TableOptions table = new TableOptions();

    @Override
    public Integer call() {
        try {
            return run();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println("sdss pca: " + e.getMessage());
            return 2;
        }
    }

    private int run() {
        SdssData.Task t = SdssData.Task.parse(task);
        Path csv = SdssCommand.csvFile(data);
        if (csv == null) {
            return 2;
        }
        SdssData.Labelled d = SdssData.load(csv, t, limit, table.options());
        System.out.printf(Locale.ROOT, "SDSS %s: %d objects, features %s%s%n", t, d.size(), d.features(),
                noStandardize ? " (raw)" : " (standardised)");
        SdssCommand.reportLeftOut(d.otherClasses(), d.bad(), t, System.out);
        Tensor x = noStandardize ? d.inputs() : Standardizer.fit(d.inputs()).transform(d.inputs());
        PCA pca = PCA.fit(x, PCA.Options.defaults().whiten(whiten));
        System.out.print(varianceTable(pca, d.features()));
        Tensor z = pca.transform(x);
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + out, e);
        }
        String prefix = "sdss-" + t.id + "-pca";
        Path plot = out.resolve(prefix + ".png");
        double[] ratio = pca.explainedVarianceRatio();
        PcaPlot.writePng(z.toDoubleArray(), pca.nComponents(), d.labels(), t.classes, String.format(Locale.ROOT,
                "SDSS %s: first two principal components (%.1f%% of the variance)", t, 100 * (ratio[0]
                        + (ratio.length > 1 ? ratio[1] : 0))), ratio, plot);
        Path file = out.resolve(prefix + ".safetensors");
        pca.save(file);
        System.out.println("wrote " + plot + " and " + file);
        return 0;
    }

    /** Each component's explained variance, its share and the cumulative share, then the loadings of PC1 and PC2. */
    static String varianceTable(PCA pca, List<String> features) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-5s %12s %10s %12s%n", "PC",
                "variance", "share %", "cumulative %"));
        double[] ev = pca.explainedVariance();
        double[] ratio = pca.explainedVarianceRatio();
        double cumulative = 0;
        for (int c = 0; c < ev.length; c++) {
            cumulative += ratio[c];
            sb.append(String.format(Locale.ROOT, "%-5s %12.4f %10.2f %12.2f%n", "PC" + (c + 1), ev[c],
                    100 * ratio[c], 100 * cumulative));
        }
        double[] comps = pca.components().toDoubleArray();
        int f = features.size();
        for (int c = 0; c < Math.min(2, ev.length); c++) {
            StringBuilder l = new StringBuilder("PC" + (c + 1) + " loadings:");
            for (int j = 0; j < f; j++) {
                l.append(String.format(Locale.ROOT, " %s %+.3f", features.get(j), comps[c * f + j]));
            }
            sb.append(l).append('\n');
        }
        return sb.toString();
    }
}
