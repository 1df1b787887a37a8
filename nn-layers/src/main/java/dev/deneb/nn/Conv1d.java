package dev.deneb.nn;

import dev.deneb.tensor.ConvOptions;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;

/**
 * 1-D convolution over {@code [N, C_in, L]}; weights initialised like PyTorch.
 *
 * <pre>{@code
 * new Conv1d(16, 32, 3);
 * new Conv1d(16, 32, 3, Conv1d.Options.defaults().stride(2).padding(1));
 * }</pre>
 */
public final class Conv1d extends Layer {
    /**
     * PyTorch's keyword arguments of {@code nn.Conv1d} (zero padding only); setters return a new record.
     *
     * @param stride    step between windows (default 1)
     * @param padding   zeros added on both sides (default 0)
     * @param dilation  spacing between kernel taps (default 1)
     * @param groups    blocked connections from input to output channels (default 1)
     * @param bias      whether the layer learns an additive bias (default true)
     * @param generator the source of the initial weights (default: the global generator)
     */
    public record Options(int stride, int padding, int dilation, int groups, boolean bias, Generator generator) {
        public Options {
            if (stride < 1 || dilation < 1 || groups < 1 || padding < 0) {
                throw new IllegalArgumentException("Conv1d.Options: stride, dilation and groups must be >= 1 and"
                        + " padding >= 0, got stride=" + stride + ", padding=" + padding + ", dilation=" + dilation
                        + ", groups=" + groups);
            }
            OptionChecks.requireGenerator("Conv1d.Options", generator);
        }

        /** Stride 1, no padding, no dilation, one group, bias on, the global generator. */
        public static Options defaults() {
            return new Options(1, 0, 1, 1, true, Generator.global());
        }

        public Options stride(int s) {
            return new Options(s, padding, dilation, groups, bias, generator);
        }

        public Options padding(int p) {
            return new Options(stride, p, dilation, groups, bias, generator);
        }

        public Options dilation(int d) {
            return new Options(stride, padding, d, groups, bias, generator);
        }

        public Options groups(int g) {
            return new Options(stride, padding, dilation, g, bias, generator);
        }

        public Options bias(boolean on) {
            return new Options(stride, padding, dilation, groups, on, generator);
        }

        public Options generator(Generator g) {
            return new Options(stride, padding, dilation, groups, bias, g);
        }

        /** The geometry as the tensor op takes it (1-D convolutions read the width settings). */
        public ConvOptions geometry() {
            return ConvOptions.of(stride, padding, dilation, groups);
        }
    }

    public final int inChannels;
    public final int outChannels;
    public final int kernel;
    public final int stride;
    public final int padding;
    public final int dilation;
    public final int groups;
    public final Options options;
    public final Tensor weight;
    public final Tensor bias;
    private final ConvOptions geometry;

    public Conv1d(int inChannels, int outChannels, int kernel) {
        this(inChannels, outChannels, kernel, Options.defaults());
    }

    public Conv1d(int inChannels, int outChannels, int kernel, Options options) {
        OptionChecks.requireOptions("Conv1d", options);
        int groups = options.groups();
        if (inChannels < 1 || outChannels < 1 || kernel < 1 || inChannels % groups != 0
                || outChannels % groups != 0) {
            throw new IllegalArgumentException("Conv1d: channels and kernel must be >= 1 and channels divisible by"
                    + " groups, got in=" + inChannels + ", out=" + outChannels + ", kernel=" + kernel + ", groups="
                    + groups);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = options.stride();
        this.padding = options.padding();
        this.dilation = options.dilation();
        this.groups = groups;
        this.options = options;
        this.geometry = options.geometry();
        Generator g = options.generator();
        int[] shape = {outChannels, inChannels / groups, kernel};
        this.weight = registerParameter("weight", Init.kaimingUniform(g, Math.sqrt(5), Init.FanMode.FAN_IN, shape));
        double bound = 1 / Math.sqrt(Init.fanIn(shape));
        this.bias = options.bias() ? registerParameter("bias", Init.uniform(g, -bound, bound, outChannels)) : null;
    }

    @Override
    public Tensor forward(Tensor input) {
        Functional.checkDType("Conv1d", input, weight);
        return Tensor.conv1d(input, weight, bias, geometry);
    }

    @Override
    protected String describe() {
        return inChannels + ", " + outChannels + ", kernel=" + kernel + ", stride=" + stride + ", padding=" + padding;
    }
}
