package dev.deneb.examples.lightcurves;

import dev.deneb.data.Csv;
import dev.deneb.data.CsvTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * One split of the EROS-1 variable-star set ({@code ../shared/data/eros1_variable_stars}, see its README) turned
 * into model inputs:
 * <ul>
 * <li>{@link #sequences}: the raw, irregularly sampled two-band light curve of each star as steps of
 *     {@link #STEP_FEATURES} values: the k-th blue and k-th red measurement (magnitudes standardised within the
 *     star and band, 0 where a band has run out), a presence flag per band, log(1 + time since the previous step)
 *     in days, and sin/cos of the phase {@code (t mod P)/P} at the star's period;</li>
 * <li>{@link #folded}: the derived phase-folded curves, {@code [2, 32]} per star;</li>
 * <li>{@link #statics}: log10 of the period, the two bands' amplitudes (standard deviation of the magnitude) and
 *     the mean colour (blue − red).</li>
 * </ul>
 */
public final class LightCurves {
    public static final String[] CLASSES = {"eclipsing_binary", "cepheid", "rr_lyrae", "mira"};
    public static final int STEP_FEATURES = 7;
    public static final int STATIC_FEATURES = 4;
    public static final int FOLD_BINS = 32;

    public final int size;
    public final int[] labels;
    public final float[][] sequences;  // per star: length * STEP_FEATURES
    public final int[] lengths;
    public final float[][] folded;      // per star: 2 * FOLD_BINS
    public final float[][] statics;     // per star: STATIC_FEATURES (raw, standardise with the training statistics)

    private LightCurves(int[] labels, float[][] sequences, int[] lengths, float[][] folded, float[][] statics) {
        this.size = labels.length;
        this.labels = labels;
        this.sequences = sequences;
        this.lengths = lengths;
        this.folded = folded;
        this.statics = statics;
    }

    /** Reads {@code eros1_<split>_meta.csv}, {@code _lightcurves.csv.gz} and {@code _folded32.csv} from dir. */
    public static LightCurves load(Path dir, String split) {
        CsvTable meta = Csv.read(dir.resolve("eros1_" + split + "_meta.csv"));
        int n = meta.rows();
        long[] obj = meta.longs("obj");
        long[] lab = meta.longs("label");
        double[] period = meta.doubles("real_period");
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            if (obj[i] != i) {
                throw new IllegalStateException("meta file: expected obj " + i + " in row " + i + ", got " + obj[i]);
            }
            labels[i] = (int) lab[i];
        }
        List<List<double[]>> blue = new ArrayList<>();
        List<List<double[]>> red = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            blue.add(new ArrayList<>());
            red.add(new ArrayList<>());
        }
        Path curves = dir.resolve("eros1_" + split + "_lightcurves.csv.gz");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(curves), 1 << 16), StandardCharsets.UTF_8))) {
            String line = r.readLine(); // header obj,band,time,mag,err,bkg,polltn
            while ((line = r.readLine()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split(",", 5);
                int o = Integer.parseInt(f[0]);
                double[] point = {Double.parseDouble(f[2]), Double.parseDouble(f[3])};
                (f[1].equals("b") ? blue : red).get(o).add(point);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + curves, e);
        }
        float[][] seqs = new float[n][];
        int[] lengths = new int[n];
        float[][] statics = new float[n][];
        for (int i = 0; i < n; i++) {
            double p = period[i];
            List<double[]> b = blue.get(i);
            List<double[]> rr = red.get(i);
            double[] sb = stats(b);
            double[] sr = stats(rr);
            int len = Math.max(b.size(), rr.size());
            float[] s = new float[len * STEP_FEATURES];
            double prevT = Double.NaN;
            for (int k = 0; k < len; k++) {
                boolean hb = k < b.size();
                boolean hr = k < rr.size();
                double t = hb ? b.get(k)[0] : rr.get(k)[0];
                int o = k * STEP_FEATURES;
                s[o] = hb ? (float) ((b.get(k)[1] - sb[0]) / sb[1]) : 0f;
                s[o + 1] = hr ? (float) ((rr.get(k)[1] - sr[0]) / sr[1]) : 0f;
                s[o + 2] = hb ? 1f : 0f;
                s[o + 3] = hr ? 1f : 0f;
                s[o + 4] = (float) Math.log1p(Double.isNaN(prevT) ? 0 : Math.max(0, t - prevT));
                double phase = 2 * Math.PI * ((t % p) / p);
                s[o + 5] = (float) Math.sin(phase);
                s[o + 6] = (float) Math.cos(phase);
                prevT = t;
            }
            seqs[i] = s;
            lengths[i] = len;
            statics[i] = new float[] {(float) Math.log10(p), (float) sb[2], (float) sr[2], (float) (sb[0] - sr[0])};
        }
        CsvTable fold = Csv.read(dir.resolve("eros1_" + split + "_folded32.csv"));
        float[][] folded = new float[n][2 * FOLD_BINS];
        for (int band = 0; band < 2; band++) {
            for (int j = 0; j < FOLD_BINS; j++) {
                double[] col = fold.doubles((band == 0 ? "b" : "r") + j);
                for (int i = 0; i < n; i++) {
                    folded[i][band * FOLD_BINS + j] = (float) col[i];
                }
            }
        }
        return new LightCurves(labels, seqs, lengths, folded, statics);
    }

    /** Mean, scale for standardising (std, at least 0.01) and the std itself (the amplitude). */
    private static double[] stats(List<double[]> pts) {
        if (pts.isEmpty()) {
            return new double[] {0, 1, 0};
        }
        double m = 0;
        for (double[] p : pts) {
            m += p[1];
        }
        m /= pts.size();
        double v = 0;
        for (double[] p : pts) {
            v += (p[1] - m) * (p[1] - m);
        }
        double sd = Math.sqrt(v / pts.size());
        return new double[] {m, Math.max(sd, 0.01), sd};
    }

    /** Per-feature mean and standard deviation of the static features (computed on the training split). */
    public double[][] staticMoments() {
        return staticMoments(java.util.stream.IntStream.range(0, size).toArray());
    }

    /** Per-feature mean and standard deviation of the static features of the stars {@code rows}. */
    public double[][] staticMoments(int[] rows) {
        double[][] out = new double[2][STATIC_FEATURES];
        for (int f = 0; f < STATIC_FEATURES; f++) {
            double m = 0;
            for (int r : rows) {
                m += statics[r][f];
            }
            m /= rows.length;
            double v = 0;
            for (int r : rows) {
                v += (statics[r][f] - m) * (statics[r][f] - m);
            }
            out[0][f] = m;
            out[1][f] = Math.max(1e-6, Math.sqrt(v / rows.length));
        }
        return out;
    }

    /** Counts per class. */
    public int[] classCounts() {
        int[] c = new int[CLASSES.length];
        for (int l : labels) {
            c[l]++;
        }
        return c;
    }
}
