package dev.deneb.nn;

import dev.deneb.tensor.Tensor;


/** Average pooling of {@code [N, C, H, W]} to a fixed {@code [N, C, outH, outW]}, whatever H and W are. */
public final class AdaptiveAvgPool2d extends Layer {
    public final int outH;
    public final int outW;

    public AdaptiveAvgPool2d(int outH, int outW) {
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.adaptiveAvgPool2d(input, outH, outW);
    }

    @Override
    protected String describe() {
        return outH + "x" + outW;
    }
}
