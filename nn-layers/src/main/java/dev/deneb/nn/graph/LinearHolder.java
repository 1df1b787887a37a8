package dev.deneb.nn.graph;

import dev.deneb.nn.Functional;
import dev.deneb.nn.Layer;
import dev.deneb.tensor.Tensor;

/** A bias-free linear map holding {@code weight [out, in]}, so that PyG's names ({@code lin.weight}) come out. */
final class LinearHolder extends Layer {
    final Tensor weight;

    LinearHolder(Tensor w) {
        this.weight = registerParameter("weight", w);
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.linear(x, weight, null);
    }

    @Override
    protected String describe() {
        return "in=" + weight.size(1) + ", out=" + weight.size(0) + ", bias=false";
    }
}
