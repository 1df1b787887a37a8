package dev.deneb.nn;

import dev.deneb.tensor.Tensor;

/**
 * Batch normalisation over the channel axis 1, with learnable scale and shift and running statistics (buffers
 * {@code running_mean}, {@code running_var}, {@code num_batches_tracked}, as in PyTorch's state dict).
 * {@link BatchNorm1d} and {@link BatchNorm2d} fix the expected input rank; both take {@link Options}:
 * {@code new BatchNorm2d(64, BatchNorm2d.Options.defaults().momentum(0.01))}.
 */
public abstract class BatchNorm extends Layer {
    /**
     * PyTorch's keyword arguments of {@code nn.BatchNorm1d/2d}; setters return a new record.
     *
     * @param eps      added to the variance (default 1e-5)
     * @param momentum weight of the newest batch in the running statistics (default 0.1)
     * @param affine   whether the layer learns a scale {@code weight} and shift {@code bias} (default true)
     */
    public record Options(double eps, double momentum, boolean affine) {
        public Options {
            if (!(eps > 0) || Double.isInfinite(eps)) {
                throw new IllegalArgumentException("BatchNorm.Options: eps must be finite and > 0, got " + eps);
            }
            OptionChecks.requireProbability("BatchNorm.Options", "momentum", momentum);
        }

        /** eps 1e-5, momentum 0.1, learnable weight and bias. */
        public static Options defaults() {
            return new Options(1e-5, 0.1, true);
        }

        public Options eps(double e) {
            return new Options(e, momentum, affine);
        }

        public Options momentum(double m) {
            return new Options(eps, m, affine);
        }

        public Options affine(boolean on) {
            return new Options(eps, momentum, on);
        }
    }

    public final int numFeatures;
    public final double eps;
    public final double momentum;
    public final Tensor weight;
    public final Tensor bias;
    private final int[] ranks;

    protected BatchNorm(int numFeatures, Options options, int... ranks) {
        OptionChecks.requireOptions(getClass().getSimpleName(), options);
        if (numFeatures < 1) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": numFeatures must be >= 1, got "
                    + numFeatures);
        }
        this.numFeatures = numFeatures;
        this.eps = options.eps();
        this.momentum = options.momentum();
        this.ranks = ranks;
        this.weight = options.affine() ? registerParameter("weight", Tensor.ones(numFeatures)) : null;
        this.bias = options.affine() ? registerParameter("bias", Tensor.zeros(numFeatures)) : null;
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
