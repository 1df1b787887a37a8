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
