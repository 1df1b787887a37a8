package dev.deneb.nn;

import dev.deneb.tensor.Tensor;
import java.util.Arrays;

/**
 * Normalises over the trailing {@code normalizedShape} axes, with learnable scale and shift.
 *
 * <pre>{@code
 * new LayerNorm(512);
 * new LayerNorm(new int[] {8, 8}, LayerNorm.Options.defaults().eps(1e-6).elementwiseAffine(false));
 * }</pre>
 */
public final class LayerNorm extends Layer {
    /**
     * PyTorch's keyword arguments of {@code nn.LayerNorm}; setters return a new record.
     *
     * @param eps               added to the variance (default 1e-5)
     * @param elementwiseAffine whether the layer learns a scale {@code weight} (and a {@code bias}; default true)
     * @param bias              whether the affine part includes the shift {@code bias} (default true)
     */
    public record Options(double eps, boolean elementwiseAffine, boolean bias) {
        public Options {
            if (!(eps >= 0) || Double.isInfinite(eps)) {
                throw new IllegalArgumentException("LayerNorm.Options: eps must be finite and >= 0, got " + eps);
            }
        }

        /** eps 1e-5, learnable weight and bias. */
        public static Options defaults() {
            return new Options(1e-5, true, true);
        }

        public Options eps(double e) {
            return new Options(e, elementwiseAffine, bias);
        }

        public Options elementwiseAffine(boolean on) {
            return new Options(eps, on, bias);
        }

        public Options bias(boolean on) {
            return new Options(eps, elementwiseAffine, on);
        }
    }

    public final int[] normalizedShape;
    public final double eps;
    public final Tensor weight;
    public final Tensor bias;

    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, Options.defaults());
    }

    /** Normalises over the last axis, of size {@code normalizedShape}. */
    public LayerNorm(int normalizedShape, Options options) {
        this(new int[] {normalizedShape}, options);
    }

    public LayerNorm(int[] normalizedShape, Options options) {
        OptionChecks.requireOptions("LayerNorm", options);
        if (normalizedShape.length == 0 || Arrays.stream(normalizedShape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("LayerNorm: normalizedShape needs at least one axis, each >= 1, got "
                    + Arrays.toString(normalizedShape));
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = options.eps();
        boolean affine = options.elementwiseAffine();
        this.weight = affine ? registerParameter("weight", Tensor.ones(normalizedShape)) : null;
        this.bias = affine && options.bias() ? registerParameter("bias", Tensor.zeros(normalizedShape)) : null;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.layerNorm(input, normalizedShape, weight, bias, eps);
    }

    @Override
    protected String describe() {
        return Arrays.toString(normalizedShape) + ", eps=" + eps;
    }
}
