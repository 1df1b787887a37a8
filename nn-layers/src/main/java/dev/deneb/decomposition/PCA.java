package dev.deneb.decomposition;

import dev.deneb.nn.io.SafeTensors;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Linalg;
import dev.deneb.tensor.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Principal component analysis of {@code [N, F]} data, as scikit-learn's {@code PCA} (full SVD solver): the data are
 * centred on the column means and decomposed in f64 as {@code X - mean = U·diag(S)·Vh}; the components are the
 * first rows of {@code Vh}, the explained variance {@code S²/(N-1)} and its ratio {@code S²/ΣS²} (over all
 * components, kept or not).
 *
 * <p>Signs follow scikit-learn 1.5+ ({@code svd_flip(u_based_decision=False)}): in each component the entry of
 * largest magnitude is positive, so results are comparable entry by entry and depend only on the components, not on
 * the samples' order.
 *
 * <p>With {@code whiten} the projections are divided by {@code sqrt(explained variance)}, so each has unit variance
 * (sample variance, N-1). With centring off the data are decomposed about the origin (as a truncated SVD): the
 * mean is zero and "variance" is the mean square {@code S²/(N-1)} about the origin.
 */
public final class PCA {
    /** The metadata value that marks a file written by {@link #save}. */
    public static final String KIND = "pca";

    /**
     * How many components to keep and how to transform. {@code components} &gt; 0 keeps that many; otherwise
     * {@code varianceFraction} in (0, 1) keeps the fewest whose explained-variance ratios sum past it (scikit-learn's
     * {@code n_components=0.95}); both unset ({@link #defaults()}) keeps {@code min(N, F)}.
     */
    public record Options(int components, double varianceFraction, boolean whiten, boolean center) {
        public Options {
            if (components < 0) {
                throw new IllegalArgumentException("PCA: components must be >= 1 (or 0 for all), got " + components);
            }
            if (varianceFraction != 0 && !(varianceFraction > 0 && varianceFraction < 1)) {
                throw new IllegalArgumentException("PCA: the explained-variance fraction must lie in (0, 1), got "
                        + varianceFraction);
            }
            if (components > 0 && varianceFraction > 0) {
                throw new IllegalArgumentException("PCA: give a number of components or a variance fraction, not "
                        + "both (" + components + " and " + varianceFraction + ")");
            }
        }

        /** All components, no whitening, centred. */
        public static Options defaults() {
            return new Options(0, 0, false, true);
        }

        public Options components(int n) { return new Options(n, 0, whiten, center); }
        public Options varianceFraction(double f) { return new Options(0, f, whiten, center); }
        public Options whiten(boolean w) { return new Options(components, varianceFraction, w, center); }
        public Options center(boolean c) { return new Options(components, varianceFraction, whiten, c); }
    }

    private final double[] mean;              // [F]
    private final double[][] components;      // [k][F], rows orthonormal
    private final double[] explainedVariance; // [k]
    private final double[] varianceRatio;     // [k]
    private final double[] singularValues;    // [k]
    private final long samples;
    private final boolean whiten;
    private final boolean center;

    private PCA(double[] mean, double[][] components, double[] explainedVariance, double[] varianceRatio,
            double[] singularValues, long samples, boolean whiten, boolean center) {
        this.mean = mean;
        this.components = components;
        this.explainedVariance = explainedVariance;
        this.varianceRatio = varianceRatio;
        this.singularValues = singularValues;
        this.samples = samples;
        this.whiten = whiten;
        this.center = center;
    }

    /** Fits on {@code x} {@code [N, F]} (any floating or integer dtype; computed in f64), N &gt;= 2. */
    public static PCA fit(Tensor x, Options options) {
        if (x.dim() != 2 || x.size(0) < 2 || x.size(1) < 1) {
            throw new IllegalArgumentException("PCA.fit: expected [N, F] data with N >= 2 samples and F >= 1 "
                    + "features, got shape " + Arrays.toString(x.shape()));
        }
        int n = x.size(0);
        int f = x.size(1);
        double[] v = x.to(DType.F64).contiguous().toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException("PCA.fit: row " + i / f + ", column " + i % f + " is " + v[i]
                        + "; remove or impute non-finite values first");
            }
        }
        double[] mean = new double[f];
        if (options.center()) {
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < f; j++) {
                    mean[j] += v[r * f + j];
                }
            }
            for (int j = 0; j < f; j++) {
                mean[j] /= n;
            }
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < f; j++) {
                    v[r * f + j] -= mean[j];
                }
            }
        }
        Linalg.Svd svd = Tensor.of(v, n, f).svd();
        double[] s = svd.s().toDoubleArray();
        double[] vh = svd.vh().contiguous().toDoubleArray();
        int rank = s.length;
        flipSigns(vh, rank, f);
        double total = 0;
        for (double si : s) {
            total += si * si;
        }
        double[] ratioAll = new double[rank];
        for (int c = 0; c < rank; c++) {
            ratioAll[c] = total > 0 ? s[c] * s[c] / total : 0;
        }
        int k = keep(options, ratioAll, rank);
        double[][] comps = new double[k][f];
        double[] ev = new double[k];
        for (int c = 0; c < k; c++) {
            System.arraycopy(vh, c * f, comps[c], 0, f);
            ev[c] = s[c] * s[c] / (n - 1);
        }
        return new PCA(mean, comps, ev, Arrays.copyOf(ratioAll, k), Arrays.copyOf(s, k), n, options.whiten(),
                options.center());
    }

    /** Makes the entry of largest magnitude in each row of {@code vh} positive (the first such entry on ties). */
    private static void flipSigns(double[] vh, int rows, int f) {
        for (int c = 0; c < rows; c++) {
            int best = 0;
            for (int j = 1; j < f; j++) {
                if (Math.abs(vh[c * f + j]) > Math.abs(vh[c * f + best])) {
                    best = j;
                }
            }
            if (vh[c * f + best] < 0) {
                for (int j = 0; j < f; j++) {
                    vh[c * f + j] = -vh[c * f + j];
                }
            }
        }
    }

    /** The number of components to keep; a fraction keeps as scikit-learn does (searchsorted side="right" + 1). */
    private static int keep(Options o, double[] ratio, int rank) {
        if (o.components() > 0) {
            if (o.components() > rank) {
                throw new IllegalArgumentException("PCA.fit: asked for " + o.components() + " components, but the "
                        + "data have at most min(N, F) = " + rank);
            }
            return o.components();
        }
        if (o.varianceFraction() > 0) {
            double cumulative = 0;
            int k = 0;
            while (k < rank && cumulative + ratio[k] <= o.varianceFraction()) {
                cumulative += ratio[k];
                k++;
            }
            return Math.min(k + 1, rank);
        }
        return rank;
    }

    /** Projects {@code x} {@code [M, F]} onto the components: {@code [M, k]}, in x's floating type. */
    public Tensor transform(Tensor x) {
        check(x, features(), "transform");
        int m = x.size(0);
        int f = features();
        int k = components.length;
        double[] v = x.to(DType.F64).contiguous().toDoubleArray();
        double[] out = new double[m * k];
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < k; c++) {
                double dot = 0;
                for (int j = 0; j < f; j++) {
                    dot += (v[r * f + j] - mean[j]) * components[c][j];
                }
                out[r * k + c] = whiten ? dot / Math.sqrt(explainedVariance[c]) : dot;
            }
        }
        return Tensor.of(out, m, k).to(x.dtype().toFloating());
    }

    /** Maps projections {@code z} {@code [M, k]} back to the data space {@code [M, F]}; exact at full rank. */
    public Tensor inverseTransform(Tensor z) {
        int k = components.length;
        check(z, k, "inverseTransform");
        int m = z.size(0);
        int f = features();
        double[] v = z.to(DType.F64).contiguous().toDoubleArray();
        double[] out = new double[m * f];
        for (int r = 0; r < m; r++) {
            for (int j = 0; j < f; j++) {
                double sum = mean[j];
                for (int c = 0; c < k; c++) {
                    double zc = whiten ? v[r * k + c] * Math.sqrt(explainedVariance[c]) : v[r * k + c];
                    sum += zc * components[c][j];
                }
                out[r * f + j] = sum;
            }
        }
        return Tensor.of(out, m, f).to(z.dtype().toFloating());
    }

    private static void check(Tensor x, int columns, String op) {
        if (x.dim() != 2 || x.size(1) != columns) {
            throw new IllegalArgumentException("PCA." + op + ": expected [M, " + columns + "], got shape "
                    + Arrays.toString(x.shape()));
        }
    }

    /** Number of input features F. */
    public int features() {
        return mean.length;
    }

    /** Number of kept components k. */
    public int nComponents() {
        return components.length;
    }

    /** The components as f64 {@code [k, F]}, one unit vector per row, by decreasing explained variance. */
    public Tensor components() {
        double[] flat = new double[components.length * features()];
        for (int c = 0; c < components.length; c++) {
            System.arraycopy(components[c], 0, flat, c * features(), features());
        }
        return Tensor.of(flat, components.length, features());
    }

    /** The per-feature mean subtracted before projecting (zeros when centring is off). */
    public double[] mean() {
        return mean.clone();
    }

    /** Variance along each kept component, {@code S²/(N-1)}. */
    public double[] explainedVariance() {
        return explainedVariance.clone();
    }

    /** Share of the total variance along each kept component (sums to 1 over all min(N, F) components). */
    public double[] explainedVarianceRatio() {
        return varianceRatio.clone();
    }

    public double[] singularValues() {
        return singularValues.clone();
    }

    public boolean whiten() {
        return whiten;
    }

    public boolean center() {
        return center;
    }

    /** The number of samples it was fitted on. */
    public long samples() {
        return samples;
    }

    /** The fitted state as f64 tensors under {@code prefix} (e.g. {@code "pca."}), to store beside a model. */
    public Map<String, Tensor> tensors(String prefix) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        int k = components.length;
        t.put(prefix + "components", components());
        t.put(prefix + "mean", Tensor.of(mean, features()));
        t.put(prefix + "explained_variance", Tensor.of(explainedVariance, k));
        t.put(prefix + "explained_variance_ratio", Tensor.of(varianceRatio, k));
        t.put(prefix + "singular_values", Tensor.of(singularValues, k));
        return t;
    }

    /** Writes the fitted PCA as one safetensors file (f64 tensors; whiten, center and N in the metadata). */
    public void save(Path file) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("deneb.kind", KIND);
        meta.put("whiten", Boolean.toString(whiten));
        meta.put("center", Boolean.toString(center));
        meta.put("samples", Long.toString(samples));
        SafeTensors.save(tensors(""), meta, file);
    }

    /** Reads a file written by {@link #save}. */
    public static PCA load(Path file) {
        SafeTensors.Contents c = SafeTensors.load(file);
        Map<String, String> meta = c.metadata();
        if (!KIND.equals(meta.get("deneb.kind"))) {
            throw new IllegalArgumentException(file + " is not a PCA file (metadata deneb.kind is "
                    + meta.get("deneb.kind") + ", expected " + KIND + ")");
        }
        return fromTensors(c.tensors(), "", meta, file.toString());
    }

    /** The PCA stored by {@link #tensors} under {@code prefix}; {@code meta} holds whiten, center and samples. */
    public static PCA fromTensors(Map<String, Tensor> t, String prefix, Map<String, String> meta, String source) {
        Tensor comps = require(t, prefix + "components", source);
        if (comps.dim() != 2) {
            throw new IllegalArgumentException(source + ": " + prefix + "components has shape "
                    + Arrays.toString(comps.shape()) + ", expected [k, F]");
        }
        int k = comps.size(0);
        int f = comps.size(1);
        double[] flat = comps.to(DType.F64).contiguous().toDoubleArray();
        double[][] rows = new double[k][];
        for (int c = 0; c < k; c++) {
            rows[c] = Arrays.copyOfRange(flat, c * f, (c + 1) * f);
        }
        double[] mean = vector(t, prefix + "mean", f, source);
        double[] ev = vector(t, prefix + "explained_variance", k, source);
        double[] ratio = vector(t, prefix + "explained_variance_ratio", k, source);
        double[] sv = vector(t, prefix + "singular_values", k, source);
        return new PCA(mean, rows, ev, ratio, sv, Long.parseLong(meta.getOrDefault("samples", "0")),
                Boolean.parseBoolean(meta.getOrDefault("whiten", "false")),
                Boolean.parseBoolean(meta.getOrDefault("center", "true")));
    }

    private static Tensor require(Map<String, Tensor> t, String name, String source) {
        Tensor v = t.get(name);
        if (v == null) {
            throw new IllegalArgumentException(source + " lacks the tensor '" + name + "'; it holds " + t.keySet());
        }
        return v;
    }

    private static double[] vector(Map<String, Tensor> t, String name, int length, String source) {
        Tensor v = require(t, name, source);
        if (v.dim() != 1 || v.size(0) != length) {
            throw new IllegalArgumentException(source + ": " + name + " has shape " + Arrays.toString(v.shape())
                    + ", expected [" + length + "]");
        }
        return v.to(DType.F64).toDoubleArray();
    }

    @Override
    public String toString() {
        return "PCA(" + components.length + " of " + features() + " features, explained variance ratio "
                + Arrays.toString(varianceRatio) + (whiten ? ", whitened" : "") + (center ? "" : ", uncentred") + ")";
    }
}
