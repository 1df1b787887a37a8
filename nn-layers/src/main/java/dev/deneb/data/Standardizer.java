package dev.deneb.data;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * Per-feature standardisation of {@code [N, F]} data: {@code (x - mean) / std}, as scikit-learn's
 * {@code StandardScaler}. Fit it on the training split only, then apply it to every split; the statistics are
 * exposed so they can be saved with a model and restored with {@link #of}.
 *
 * <p>The standard deviation is the population one (divide by N). A constant feature gets std 1, so it maps to
 * 0 instead of NaN.
 */
public final class Standardizer implements UnaryOperator<Tensor> {
    private final double[] mean;
    private final double[] std;

    private Standardizer(double[] mean, double[] std) {
        this.mean = mean;
        this.std = std;
    }

    /** Statistics of each column of {@code x} {@code [N, F]}, computed in f64. */
    public static Standardizer fit(Tensor x) {
        if (x.dim() != 2 || x.size(0) == 0) {
            throw new IllegalArgumentException("Standardizer.fit: expected a non-empty [N, F] tensor, got shape "
                    + Arrays.toString(x.shape()));
        }
        int n = x.size(0);
        int f = x.size(1);
        double[] v = x.toDoubleArray();
        double[] mean = new double[f];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < f; j++) {
                mean[j] += v[r * f + j];
            }
        }
        for (int j = 0; j < f; j++) {
            mean[j] /= n;
        }
        // Two passes (mean first, then squared deviations) avoid the cancellation of sum(x^2) - n*mean^2.
        double[] std = new double[f];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < f; j++) {
                double d = v[r * f + j] - mean[j];
                std[j] += d * d;
            }
        }
        for (int j = 0; j < f; j++) {
            double s = Math.sqrt(std[j] / n);
            std[j] = s > 0 ? s : 1;
        }
        return new Standardizer(mean, std);
    }

    /** A standardizer with known statistics (e.g. loaded with a model). */
    public static Standardizer of(double[] mean, double[] std) {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("Standardizer.of: " + mean.length + " means but " + std.length
                    + " standard deviations");
        }
        for (int j = 0; j < std.length; j++) {
            if (!(std[j] > 0) || !Double.isFinite(mean[j])) {
                throw new IllegalArgumentException("Standardizer.of: feature " + j + " has mean " + mean[j]
                        + " and std " + std[j] + "; std must be > 0 and both finite");
            }
        }
        return new Standardizer(mean.clone(), std.clone());
    }

    public int features() {
        return mean.length;
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[] std() {
        return std.clone();
    }

    /** {@code (x - mean) / std} for {@code x} {@code [N, F]}, in x's floating type (f32 for integer input). */
    public Tensor transform(Tensor x) {
        check(x, "transform");
        DType t = x.dtype().toFloating();
        return x.to(t).sub(Tensor.of(mean, features()).to(t)).div(Tensor.of(std, features()).to(t));
    }

    /** Undoes {@link #transform}. */
    public Tensor inverse(Tensor z) {
        check(z, "inverse");
        DType t = z.dtype().toFloating();
        return z.to(t).mul(Tensor.of(std, features()).to(t)).add(Tensor.of(mean, features()).to(t));
    }

    @Override
    public Tensor apply(Tensor x) {
        return transform(x);
    }

    private void check(Tensor x, String op) {
        if (x.dim() != 2 || x.size(1) != features()) {
            throw new IllegalArgumentException("Standardizer." + op + ": expected [N, " + features()
                    + "], got shape " + Arrays.toString(x.shape()));
        }
    }

    @Override
    public String toString() {
        return "Standardizer(mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std) + ")";
    }
}
