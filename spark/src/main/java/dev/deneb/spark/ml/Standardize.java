package dev.deneb.spark.ml;

import dev.deneb.nn.Layer;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;

/**
 * {@code (x - mean) / std} per feature of {@code [N, F]} inputs, with the statistics as buffers: they are saved and
 * loaded with the state dict, so a model standardises its own inputs wherever its weights go (astronomical
 * magnitudes around 20 would otherwise swamp an MLP's first layer).
 * <pre>{@code
 * Layer net = new Sequential(new Standardize(mean, std), new Linear(4, 16), Activation.relu(), new Linear(16, 3));
 * }</pre>
 */
public final class Standardize extends Layer {
    private final int features;

    /** Statistics of each feature; every std must be positive. */
    public Standardize(double[] mean, double[] std) {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("Standardize: expected as many means as standard deviations (at least"
                    + " one), got " + mean.length + " and " + std.length);
        }
        for (int j = 0; j < std.length; j++) {
            if (!(std[j] > 0) || !Double.isFinite(std[j]) || !Double.isFinite(mean[j])) {
                throw new IllegalArgumentException("Standardize: feature " + j + " has mean " + mean[j] + " and std "
                        + std[j] + "; expected a finite mean and a finite std > 0");
            }
        }
        this.features = mean.length;
        registerBuffer("mean", Tensor.of(toFloats(mean), features));
        registerBuffer("std", Tensor.of(toFloats(std), features));
    }

    /** Placeholder statistics (mean 0, std 1) for a layer whose buffers will be loaded from a state dict. */
    public static Standardize identity(int features) {
        double[] ones = new double[features];
        Arrays.fill(ones, 1);
        return new Standardize(new double[features], ones);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() != 2 || input.size(1) != features) {
            throw new IllegalArgumentException("Standardize: expected input [N, " + features + "], got "
                    + Arrays.toString(input.shape()));
        }
        return input.sub(buffer("mean")).div(buffer("std"));
    }

    @Override
    protected String describe() {
        return "features=" + features;
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
