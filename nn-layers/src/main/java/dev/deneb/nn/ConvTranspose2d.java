package dev.deneb.nn;

import dev.deneb.tensor.ConvOptions;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;

/**
 * 2-D transposed convolution over {@code [N, C_in, H, W]} (PyTorch's {@code nn.ConvTranspose2d}): the weight has
 * PyTorch's layout {@code [C_in, C_out / groups, kH, kW]} and names ({@code weight}, {@code bias}), so state dicts
 * load from PyTorch as they are; initialised like PyTorch (fan-in = C_out/groups·kH·kW). The output is
 * {@code (H - 1)·stride - 2·padding + dilation·(kH - 1) + outputPadding + 1} high (likewise wide); the output
 * padding must be smaller than the stride or the dilation of its axis.
 *
 * <pre>{@code
 * new ConvTranspose2d(16, 8, 3);
 * new ConvTranspose2d(16, 8, 3, ConvTranspose2d.Options.defaults().stride(2).padding(1).outputPadding(1));
 * }</pre>
 */
public final class ConvTranspose2d extends Layer {
    /**
     * PyTorch's keyword arguments of {@code nn.ConvTranspose2d} (zero padding only): the geometry of tensor-core's
     * {@link ConvOptions}, the output padding, bias and the initialising generator. Setters return a new record;
     * the output padding is checked against stride and dilation when the layer is built.
     *
     * @param geometry       stride, padding, dilation (per axis) and groups; default {@link ConvOptions#defaults()}
     * @param outputPaddingH rows added at the bottom of the output (default 0)
     * @param outputPaddingW columns added at the right of the output (default 0)
     * @param bias           whether the layer learns an additive bias (default true)
     * @param generator      the source of the initial weights (default: the global generator)
     */
    public record Options(ConvOptions geometry, int outputPaddingH, int outputPaddingW, boolean bias,
                          Generator generator) {
        public Options {
            OptionChecks.requireNonNull("ConvTranspose2d.Options", "geometry", geometry, "a ConvOptions");
            if (outputPaddingH < 0 || outputPaddingW < 0) {
                throw new IllegalArgumentException("ConvTranspose2d.Options: output padding must be >= 0, got "
                        + outputPaddingH + "x" + outputPaddingW);
            }
            OptionChecks.requireGenerator("ConvTranspose2d.Options", generator);
        }

        /** Stride 1, no padding, no output padding, no dilation, one group, bias on, the global generator. */
        public static Options defaults() {
            return new Options(ConvOptions.defaults(), 0, 0, true, Generator.global());
        }

        /** Replaces the whole geometry. */
        public Options geometry(ConvOptions c) {
            return new Options(c, outputPaddingH, outputPaddingW, bias, generator);
        }

        /** The same stride on both axes. */
        public Options stride(int s) {
            return geometry(geometry.stride(s));
        }

        public Options stride(int h, int w) {
            return geometry(geometry.stride(h, w));
        }

        /** The same padding on both axes (it removes rows and columns from the output's borders). */
        public Options padding(int p) {
            return geometry(geometry.padding(p));
        }

        public Options padding(int h, int w) {
            return geometry(geometry.padding(h, w));
        }

        /** The same output padding on both axes. */
        public Options outputPadding(int p) {
            return outputPadding(p, p);
        }

        public Options outputPadding(int h, int w) {
            return new Options(geometry, h, w, bias, generator);
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
            return new Options(geometry, outputPaddingH, outputPaddingW, on, generator);
        }

        public Options generator(Generator g) {
            return new Options(geometry, outputPaddingH, outputPaddingW, bias, g);
        }
    }

    public final int inChannels;
    public final int outChannels;
    public final int kernelH;
    public final int kernelW;
    public final Options options;
    public final Tensor weight;
    public final Tensor bias;

    public ConvTranspose2d(int inChannels, int outChannels, int kernel) {
        this(inChannels, outChannels, kernel, kernel, Options.defaults());
    }

    /** A square {@code kernel × kernel} window. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernel, Options options) {
        this(inChannels, outChannels, kernel, kernel, options);
    }

    /** A {@code kernelH × kernelW} window. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelH, int kernelW, Options options) {
        OptionChecks.requireOptions("ConvTranspose2d", options);
        ConvOptions geo = options.geometry();
        int groups = geo.groups();
        if (inChannels < 1 || outChannels < 1 || kernelH < 1 || kernelW < 1
                || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("ConvTranspose2d: channels and kernel must be >= 1 and channels"
                    + " divisible by groups, got in=" + inChannels + ", out=" + outChannels + ", kernel=" + kernelH
                    + "x" + kernelW + ", groups=" + groups);
        }
        checkOutputPadding("ConvTranspose2d", options.outputPaddingH(), geo.strideH(), geo.dilationH(), "height");
        checkOutputPadding("ConvTranspose2d", options.outputPaddingW(), geo.strideW(), geo.dilationW(), "width");
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.options = options;
        Generator g = options.generator();
        int[] shape = {inChannels, outChannels / groups, kernelH, kernelW};
        this.weight = registerParameter("weight", Init.kaimingUniform(g, Math.sqrt(5), Init.FanMode.FAN_IN, shape));
        double bound = 1 / Math.sqrt(Init.fanIn(shape));
        this.bias = options.bias() ? registerParameter("bias", Init.uniform(g, -bound, bound, outChannels)) : null;
    }

    /** PyTorch's rule: an output padding must be smaller than the stride or the dilation of its axis. */
    static void checkOutputPadding(String layer, int outputPadding, int stride, int dilation, String axis) {
        if (outputPadding >= stride && outputPadding >= dilation) {
            throw new IllegalArgumentException(layer + ": output padding must be smaller than either the stride or"
                    + " the dilation, got output padding " + outputPadding + " with stride " + stride
                    + " and dilation " + dilation + " (" + axis + ")");
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        Functional.checkDType("ConvTranspose2d", input, weight);
        return Functional.convTranspose2d(input, weight, bias, options.geometry(), options.outputPaddingH(),
                options.outputPaddingW());
    }

    /**
     * The forward pass with the output's height and width given instead of the output padding (PyTorch's
     * {@code forward(input, output_size)}): each must lie between the size without output padding and that size
     * plus {@code stride - 1}, and picks the output padding for this call.
     */
    public Tensor forward(Tensor input, int outputH, int outputW) {
        Functional.checkDType("ConvTranspose2d", input, weight);
        ConvOptions o = options.geometry();
        if (input.dim() != 4) {
            throw new IllegalArgumentException("ConvTranspose2d: expected input of shape [N, C_in, H, W], got "
                    + java.util.Arrays.toString(input.shape()));
        }
        int padH = outputPaddingFor("ConvTranspose2d", input.size(2), outputH, kernelH, o.strideH(), o.padH(),
                o.dilationH(), "height");
        int padW = outputPaddingFor("ConvTranspose2d", input.size(3), outputW, kernelW, o.strideW(), o.padW(),
                o.dilationW(), "width");
        return Functional.convTranspose2d(input, weight, bias, o, padH, padW);
    }

    /** The output padding that gives {@code wanted} (PyTorch's {@code _output_padding}). */
    static int outputPaddingFor(String layer, int in, int wanted, int kernel, int stride, int pad, int dilation,
                                String axis) {
        long least = (long) (in - 1) * stride - 2L * pad + (long) dilation * (kernel - 1) + 1;
        long most = least + stride - 1;
        if (wanted < least || wanted > most) {
            throw new IllegalArgumentException(layer + ": requested output " + axis + " " + wanted + " is not"
                    + " reachable from input " + axis + " " + in + "; expected a size in [" + least + ", " + most
                    + "] (stride " + stride + ", padding " + pad + ", dilation " + dilation + ", kernel " + kernel
                    + ")");
        }
        return (int) (wanted - least);
    }

    @Override
    protected String describe() {
        return inChannels + ", " + outChannels + ", kernel=" + kernelH + "x" + kernelW + ", " + options.geometry()
                + (options.outputPaddingH() == 0 && options.outputPaddingW() == 0 ? ""
                        : ", outputPadding=" + options.outputPaddingH() + "x" + options.outputPaddingW());
    }
}
