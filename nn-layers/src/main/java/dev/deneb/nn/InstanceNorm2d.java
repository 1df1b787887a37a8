package dev.deneb.nn;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;

/**
 * Instance normalisation of {@code [N, C, H, W]} or unbatched {@code [C, H, W]} (PyTorch's
 * {@code nn.InstanceNorm2d}): each sample's channel is normalised over its H·W positions. PyTorch's defaults: no
 * learnable parameters ({@code affine} false) and no running statistics ({@code trackRunningStats} false), so train
 * and eval mode normalise alike. With {@code trackRunningStats} the buffers {@code running_mean},
 * {@code running_var} and {@code num_batches_tracked} exist (PyTorch's state-dict names; the count stays 0, as in
 * PyTorch), training updates the running statistics and eval mode normalises by them.
 *
 * <pre>{@code
 * new InstanceNorm2d(64);
 * new InstanceNorm2d(64, InstanceNorm2d.Options.defaults().affine(true).trackRunningStats(true));
 * }</pre>
 */
public final class InstanceNorm2d extends Layer {
    /**
     * PyTorch's keyword arguments of {@code nn.InstanceNorm2d}; setters return a new record.
     *
     * @param eps               added to the variance (default 1e-5)
     * @param momentum          weight of the newest batch in the running statistics (default 0.1)
     * @param affine            whether the layer learns a per-channel {@code weight} and {@code bias} (default false)
     * @param trackRunningStats whether the layer keeps running statistics and uses them in eval mode (default false)
     */
    public record Options(double eps, double momentum, boolean affine, boolean trackRunningStats) {
        public Options {
            if (!(eps > 0) || Double.isInfinite(eps)) {
                throw new IllegalArgumentException("InstanceNorm2d.Options: eps must be finite and > 0, got " + eps);
            }
            OptionChecks.requireProbability("InstanceNorm2d.Options", "momentum", momentum);
        }

        /** eps 1e-5, momentum 0.1, no affine parameters, no running statistics. */
        public static Options defaults() {
            return new Options(1e-5, 0.1, false, false);
        }

        public Options eps(double e) {
            return new Options(e, momentum, affine, trackRunningStats);
        }

        public Options momentum(double m) {
            return new Options(eps, m, affine, trackRunningStats);
        }

        public Options affine(boolean on) {
            return new Options(eps, momentum, on, trackRunningStats);
        }

        public Options trackRunningStats(boolean on) {
            return new Options(eps, momentum, affine, on);
        }
    }

    public final int numFeatures;
    public final Options options;
    public final Tensor weight;
    public final Tensor bias;

    public InstanceNorm2d(int numFeatures) {
        this(numFeatures, Options.defaults());
    }

    public InstanceNorm2d(int numFeatures, Options options) {
        OptionChecks.requireOptions("InstanceNorm2d", options);
        if (numFeatures < 1) {
            throw new IllegalArgumentException("InstanceNorm2d: numFeatures must be >= 1, got " + numFeatures);
        }
        this.numFeatures = numFeatures;
        this.options = options;
        this.weight = options.affine() ? registerParameter("weight", Tensor.ones(numFeatures)) : null;
        this.bias = options.affine() ? registerParameter("bias", Tensor.zeros(numFeatures)) : null;
        if (options.trackRunningStats()) {
            registerBuffer("running_mean", Tensor.zeros(numFeatures));
            registerBuffer("running_var", Tensor.ones(numFeatures));
            registerBuffer("num_batches_tracked", Tensor.zeros(DType.I64));
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        boolean unbatched = input.dim() == 3;
        if ((input.dim() != 4 && !unbatched) || input.size(unbatched ? 0 : 1) != numFeatures) {
            throw new IllegalArgumentException("InstanceNorm2d: expected input [N, " + numFeatures + ", H, W] or ["
                    + numFeatures + ", H, W], got " + Arrays.toString(input.shape()));
        }
        Tensor x = unbatched ? input.unsqueeze(0) : input;
        boolean track = options.trackRunningStats();
        Tensor y = Functional.instanceNorm(x, track ? buffer("running_mean") : null,
                track ? buffer("running_var") : null, weight, bias, isTraining() || !track, options.momentum(),
                options.eps());
        return unbatched ? y.squeeze(0) : y;
    }

    @Override
    protected String describe() {
        return numFeatures + ", eps=" + options.eps() + ", momentum=" + options.momentum() + ", affine="
                + options.affine() + ", trackRunningStats=" + options.trackRunningStats();
    }
}
