package dev.deneb.nn;

import dev.deneb.tensor.ConvOptions;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;

/**
 * 2-D convolution over {@code [N, C_in, H, W]}; weights initialised like PyTorch (fan-in = C_in/groups·kH·kW).
 *
 * <pre>{@code
 * new Conv2d(3, 16, 3);
 * new Conv2d(3, 16, 3, Conv2d.Options.defaults().stride(2).padding(1).bias(false));
 * new Conv2d(3, 16, 3, 5, Conv2d.Options.defaults().padding(1, 2));   // a 3×5 kernel
 * }</pre>
 */
public final class Conv2d extends Layer {
    /**
     * PyTorch's keyword arguments of {@code nn.Conv2d} (zero padding only): the geometry of tensor-core's
     * {@link ConvOptions} plus bias and the initialising generator. Setters return a new record.
     *
     * @param geometry  stride, padding, dilation (per axis) and groups; default {@link ConvOptions#defaults()}
     * @param bias      whether the layer learns an additive bias (default true)
     * @param generator the source of the initial weights (default: the global generator)
     */
    public record Options(ConvOptions geometry, boolean bias, Generator generator) {
        public Options {
            OptionChecks.requireNonNull("Conv2d.Options", "geometry", geometry, "a ConvOptions");
            OptionChecks.requireGenerator("Conv2d.Options", generator);
        }

        /** Stride 1, no padding, no dilation, one group, bias on, the global generator. */
        public static Options defaults() {
            return new Options(ConvOptions.defaults(), true, Generator.global());
        }

        /** Replaces the whole geometry. */
        public Options geometry(ConvOptions c) {
            return new Options(c, bias, generator);
        }

        /** The same stride on both axes. */
        public Options stride(int s) {
            return geometry(geometry.stride(s));
        }

        public Options stride(int h, int w) {
            return geometry(geometry.stride(h, w));
        }

        /** The same zero padding on both axes. */
        public Options padding(int p) {
            return geometry(geometry.padding(p));
        }

        public Options padding(int h, int w) {
            return geometry(geometry.padding(h, w));
        }

        public Options dilation(int d) {
            return geometry(geometry.dilation(d));
        }

        public Options dilation(int h, int w) {
            return geometry(geometry.dilation(h, w));
        }

        public Options groups(int g) {
            return geometry(geometry.groups(g));
        }

        public Options bias(boolean on) {
            return new Options(geometry, on, generator);
        }

        public Options generator(Generator g) {
            return new Options(geometry, bias, g);
        }
    }

    public final int inChannels;
    public final int outChannels;
    public final int kernelH;
    public final int kernelW;
    public final Options options;
    public final Tensor weight;
    public final Tensor bias;

    public Conv2d(int inChannels, int outChannels, int kernel) {
        this(inChannels, outChannels, kernel, kernel, Options.defaults());
    }

    /** A square {@code kernel × kernel} window. */
    public Conv2d(int inChannels, int outChannels, int kernel, Options options) {
        this(inChannels, outChannels, kernel, kernel, options);
    }

    /** A {@code kernelH × kernelW} window. */
    public Conv2d(int inChannels, int outChannels, int kernelH, int kernelW, Options options) {
        OptionChecks.requireOptions("Conv2d", options);
        int groups = options.geometry().groups();
        if (inChannels < 1 || outChannels < 1 || kernelH < 1 || kernelW < 1
                || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("Conv2d: channels and kernel must be >= 1 and channels divisible by"
                    + " groups, got in=" + inChannels + ", out=" + outChannels + ", kernel=" + kernelH + "x" + kernelW
                    + ", groups=" + groups);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.options = options;
        Generator g = options.generator();
        int[] shape = {outChannels, inChannels / groups, kernelH, kernelW};
        this.weight = registerParameter("weight", Init.kaimingUniform(g, Math.sqrt(5), Init.FanMode.FAN_IN, shape));
        double bound = 1 / Math.sqrt(Init.fanIn(shape));
        this.bias = options.bias() ? registerParameter("bias", Init.uniform(g, -bound, bound, outChannels)) : null;
    }

    @Override
    public Tensor forward(Tensor input) {
        Functional.checkDType("Conv2d", input, weight);
        return Tensor.conv2d(input, weight, bias, options.geometry());
    }

    @Override
    protected String describe() {
        return inChannels + ", " + outChannels + ", kernel=" + kernelH + "x" + kernelW + ", " + options.geometry();
    }
}
