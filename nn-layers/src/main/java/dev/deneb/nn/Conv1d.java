package dev.deneb.nn;

import dev.deneb.tensor.ConvOptions;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;

/** 1-D convolution over {@code [N, C_in, L]}; weights initialised like PyTorch. */
public final class Conv1d extends Layer {
    public final int inChannels;
    public final int outChannels;
    public final int kernel;
    public final int stride;
    public final int padding;
    public final int dilation;
    public final int groups;
    public final Tensor weight;
    public final Tensor bias;

    public Conv1d(int inChannels, int outChannels, int kernel) {
        this(inChannels, outChannels, kernel, 1, 0, 1, 1, true, Generator.global());
    }

    public Conv1d(int inChannels, int outChannels, int kernel, int stride, int padding, int dilation, int groups,
                  boolean bias, Generator g) {
        if (inChannels < 1 || outChannels < 1 || kernel < 1 || groups < 1 || inChannels % groups != 0
                || outChannels % groups != 0) {
            throw new IllegalArgumentException("Conv1d: channels and kernel must be >= 1 and channels divisible by"
                    + " groups, got in=" + inChannels + ", out=" + outChannels + ", kernel=" + kernel + ", groups="
                    + groups);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
        int[] shape = {outChannels, inChannels / groups, kernel};
        this.weight = registerParameter("weight", Init.kaimingUniform(g, Math.sqrt(5), Init.FanMode.FAN_IN, shape));
        double bound = 1 / Math.sqrt(Init.fanIn(shape));
        this.bias = bias ? registerParameter("bias", Init.uniform(g, -bound, bound, outChannels)) : null;
    }

    @Override
    public Tensor forward(Tensor input) {
        Functional.checkDType("Conv1d", input, weight);
        return Tensor.conv1d(input, weight, bias, ConvOptions.of(stride, padding, dilation, groups));
    }

    @Override
    protected String describe() {
        return inChannels + ", " + outChannels + ", kernel=" + kernel + ", stride=" + stride + ", padding=" + padding;
    }
}
