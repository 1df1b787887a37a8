package dev.deneb.nn;

import dev.deneb.tensor.ConvOptions;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;

/** 2-D convolution over {@code [N, C_in, H, W]}; weights initialised like PyTorch (fan-in = C_in/groups·kH·kW). */
public final class Conv2d extends Layer {
    public final int inChannels;
    public final int outChannels;
    public final int kernelH;
    public final int kernelW;
    public final ConvOptions options;
    public final Tensor weight;
    public final Tensor bias;

    public Conv2d(int inChannels, int outChannels, int kernel) {
        this(inChannels, outChannels, kernel, kernel, ConvOptions.defaults(), true, Generator.global());
    }

    public Conv2d(int inChannels, int outChannels, int kernel, ConvOptions options) {
        this(inChannels, outChannels, kernel, kernel, options, true, Generator.global());
    }

    public Conv2d(int inChannels, int outChannels, int kernelH, int kernelW, ConvOptions options, boolean bias,
                  Generator g) {
        if (inChannels < 1 || outChannels < 1 || kernelH < 1 || kernelW < 1
                || inChannels % options.groups() != 0 || outChannels % options.groups() != 0) {
            throw new IllegalArgumentException("Conv2d: channels and kernel must be >= 1 and channels divisible by"
                    + " groups, got in=" + inChannels + ", out=" + outChannels + ", kernel=" + kernelH + "x" + kernelW
                    + ", groups=" + options.groups());
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.options = options;
        int[] shape = {outChannels, inChannels / options.groups(), kernelH, kernelW};
        this.weight = registerParameter("weight", Init.kaimingUniform(g, Math.sqrt(5), Init.FanMode.FAN_IN, shape));
        double bound = 1 / Math.sqrt(Init.fanIn(shape));
        this.bias = bias ? registerParameter("bias", Init.uniform(g, -bound, bound, outChannels)) : null;
    }

    @Override
    public Tensor forward(Tensor input) {
        Functional.checkDType("Conv2d", input, weight);
        return Tensor.conv2d(input, weight, bias, options);
    }

    @Override
    protected String describe() {
        return inChannels + ", " + outChannels + ", kernel=" + kernelH + "x" + kernelW + ", " + options;
    }
}
