package dev.deneb.nn;

import dev.deneb.tensor.Tensor;

/**
 * Batch normalisation over the channel axis 1, with learnable scale and shift and running statistics (buffers
 * {@code running_mean}, {@code running_var}, {@code num_batches_tracked}, as in PyTorch's state dict).
 * {@link BatchNorm1d} and {@link BatchNorm2d} fix the expected input rank.
 */
public abstract class BatchNorm extends Layer {
    public final int numFeatures;
    public final double eps;
    public final double momentum;
    public final Tensor weight;
    public final Tensor bias;
    private final int[] ranks;

    protected BatchNorm(int numFeatures, double eps, double momentum, boolean affine, int... ranks) {
        if (numFeatures < 1 || eps <= 0 || momentum < 0 || momentum > 1) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected numFeatures >= 1, eps > 0 and"
                    + " momentum in [0, 1], got " + numFeatures + ", " + eps + ", " + momentum);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.ranks = ranks;
        this.weight = affine ? registerParameter("weight", Tensor.ones(numFeatures)) : null;
        this.bias = affine ? registerParameter("bias", Tensor.zeros(numFeatures)) : null;
        registerBuffer("running_mean", Tensor.zeros(numFeatures));
        registerBuffer("running_var", Tensor.ones(numFeatures));
        registerBuffer("num_batches_tracked", Tensor.zeros(dev.deneb.tensor.DType.I64));
    }

    @Override
    public Tensor forward(Tensor input) {
        boolean rankOk = false;
        for (int r : ranks) {
            rankOk |= input.dim() == r;
        }
        if (!rankOk || input.size(1) != numFeatures) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected input of rank "
                    + java.util.Arrays.toString(ranks) + " with " + numFeatures + " channels on axis 1, got "
                    + java.util.Arrays.toString(input.shape()));
        }
        Functional.checkDType(getClass().getSimpleName(), input, buffer("running_mean"));
        if (isTraining()) {
            Tensor n = buffer("num_batches_tracked");
            n.copyFrom(n.add(1));
        }
        return Functional.batchNorm(input, buffer("running_mean"), buffer("running_var"), weight, bias, isTraining(),
                momentum, eps);
    }

    @Override
    protected String describe() {
        return numFeatures + ", eps=" + eps + ", momentum=" + momentum;
    }
}
