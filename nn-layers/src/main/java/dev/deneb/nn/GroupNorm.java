package dev.deneb.nn;

import dev.deneb.tensor.Tensor;
import java.util.Arrays;

/**
 * Group normalisation of {@code [N, C, ...]} (PyTorch's {@code nn.GroupNorm}): the C channels form
 * {@code numGroups} groups of consecutive channels; each sample's group is normalised by its own mean and (biased)
 * variance, then each channel is scaled and shifted by the learnable {@code weight} and {@code bias} (ones and
 * zeros at first). It does not depend on the batch, so it behaves the same in train and eval mode.
 *
 * <pre>{@code
 * new GroupNorm(4, 32);
 * new GroupNorm(4, 32, GroupNorm.Options.defaults().eps(1e-6).affine(false));
 * }</pre>
 */
public final class GroupNorm extends Layer {
    /**
     * PyTorch's keyword arguments of {@code nn.GroupNorm}; setters return a new record.
     *
     * @param eps    added to the variance (default 1e-5)
     * @param affine whether the layer learns a per-channel {@code weight} and {@code bias} (default true)
     */
    public record Options(double eps, boolean affine) {
        public Options {
            if (!(eps >= 0) || Double.isInfinite(eps)) {
                throw new IllegalArgumentException("GroupNorm.Options: eps must be finite and >= 0, got " + eps);
            }
        }

        /** eps 1e-5, learnable weight and bias. */
        public static Options defaults() {
            return new Options(1e-5, true);
        }

        public Options eps(double e) {
            return new Options(e, affine);
        }

        public Options affine(boolean on) {
            return new Options(eps, on);
        }
    }

    public final int numGroups;
    public final int numChannels;
    public final double eps;
    public final Tensor weight;
    public final Tensor bias;

    public GroupNorm(int numGroups, int numChannels) {
        this(numGroups, numChannels, Options.defaults());
    }

    public GroupNorm(int numGroups, int numChannels, Options options) {
        OptionChecks.requireOptions("GroupNorm", options);
        if (numGroups < 1 || numChannels < 1 || numChannels % numGroups != 0) {
            throw new IllegalArgumentException("GroupNorm: numGroups and numChannels must be >= 1 and numChannels"
                    + " divisible by numGroups, got numGroups=" + numGroups + ", numChannels=" + numChannels);
        }
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = options.eps();
        this.weight = options.affine() ? registerParameter("weight", Tensor.ones(numChannels)) : null;
        this.bias = options.affine() ? registerParameter("bias", Tensor.zeros(numChannels)) : null;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() < 2 || input.size(1) != numChannels) {
            throw new IllegalArgumentException("GroupNorm: expected input [N, " + numChannels + ", ...], got "
                    + Arrays.toString(input.shape()));
        }
        return Functional.groupNorm(input, numGroups, weight, bias, eps);
    }

    @Override
    protected String describe() {
        return numGroups + ", " + numChannels + ", eps=" + eps + ", affine=" + (weight != null);
    }
}
