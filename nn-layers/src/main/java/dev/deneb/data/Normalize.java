package dev.deneb.data;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * Per-channel image normalisation {@code (x - mean[c]) / std[c]}, as torchvision's {@code Normalize}, for images
 * {@code [C, H, W]} or batches {@code [N, C, H, W]} (channel axis third from the end).
 */
public final class Normalize implements UnaryOperator<Tensor> {
    /** The usual MNIST statistics (mean and std of the training pixels scaled to [0, 1]). */
    public static final Normalize MNIST = new Normalize(0.1307, 0.3081);

    private final double[] mean;
    private final double[] std;

    /** One mean and std for every channel. */
    public Normalize(double mean, double std) {
        this(new double[] {mean}, new double[] {std});
    }

    public Normalize(double[] mean, double[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalize: need as many means as stds (at least one), got "
                    + mean.length + " and " + std.length);
        }
        for (double s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("Normalize: std must be > 0, got " + Arrays.toString(std));
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /**
     * Per-channel mean and standard deviation (population, in f64) of images {@code [N, C, H, W]}, e.g. a training
     * set's pixels: for MNIST scaled to [0, 1] this gives 0.1307 and 0.3081. A constant channel gets std 1.
     */
    public static Normalize fit(Tensor images) {
        if (images.dim() != 4 || images.size(0) == 0) {
            throw new IllegalArgumentException("Normalize.fit: expected images [N, C, H, W] with N >= 1, got shape "
                    + Arrays.toString(images.shape()));
        }
        int n = images.size(0);
        int c = images.size(1);
        int plane = images.size(2) * images.size(3);
        double[] sum = new double[c];
        double[] sumSq = new double[c];
        int block = Math.max(1, (1 << 20) / Math.max(1, c * plane)); // about a million pixels at a time
        for (int start = 0; start < n; start += block) {
            int count = Math.min(block, n - start);
            double[] v = images.slice(0, start, start + count).to(DType.F64).contiguous().toDoubleArray();
            for (int i = 0; i < count; i++) {
                for (int ch = 0; ch < c; ch++) {
                    int at = (i * c + ch) * plane;
                    for (int p = 0; p < plane; p++) {
                        double x = v[at + p];
                        sum[ch] += x;
                        sumSq[ch] += x * x;
                    }
                }
            }
        }
        double[] mean = new double[c];
        double[] std = new double[c];
        double count = (double) n * plane;
        for (int ch = 0; ch < c; ch++) {
            mean[ch] = sum[ch] / count;
            // Pixels in [0, 1] (or [0, 255]) keep sum-of-squares cancellation harmless at f64.
            double var = Math.max(0, sumSq[ch] / count - mean[ch] * mean[ch]);
            std[ch] = var > 0 ? Math.sqrt(var) : 1;
        }
        return new Normalize(mean, std);
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[] std() {
        return std.clone();
    }

    @Override
    public Tensor apply(Tensor x) {
        int c = mean.length;
        if (x.dim() < 3 || (c > 1 && x.size(x.dim() - 3) != c)) {
            throw new IllegalArgumentException("Normalize: expected images [C, H, W] or [N, C, H, W] with C = " + c
                    + ", got shape " + Arrays.toString(x.shape()));
        }
        DType t = x.dtype().toFloating();
        Tensor m = Tensor.of(mean, c, 1, 1).to(t);
        Tensor s = Tensor.of(std, c, 1, 1).to(t);
        Tensor centred = x.to(t).sub(m);
        // centred is a new tensor: divide it in place unless it is part of a recorded graph.
        return centred.requiresGrad() ? centred.div(s) : centred.divInPlace(s);
    }

    /** This normalisation applied to a batch's inputs (for {@link DataLoader.Builder#transform}). */
    public Batch apply(Batch b) {
        return b.with(Sample.INPUT, apply(b.inputs()));
    }

    @Override
    public String toString() {
        return "Normalize(mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std) + ")";
    }
}
