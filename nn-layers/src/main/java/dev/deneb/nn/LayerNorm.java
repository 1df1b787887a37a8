package dev.deneb.nn;

import dev.deneb.tensor.Tensor;
import java.util.Arrays;

/** Normalises over the trailing {@code normalizedShape} axes, with learnable scale and shift. */
public final class LayerNorm extends Layer {
    public final int[] normalizedShape;
    public final double eps;
    public final Tensor weight;
    public final Tensor bias;

    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true);
    }

    public LayerNorm(int[] normalizedShape, double eps, boolean affine) {
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.weight = affine ? registerParameter("weight", Tensor.ones(normalizedShape)) : null;
        this.bias = affine ? registerParameter("bias", Tensor.zeros(normalizedShape)) : null;
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
