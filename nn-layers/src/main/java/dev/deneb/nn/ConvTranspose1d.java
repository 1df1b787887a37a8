package dev.deneb.nn;

import dev.deneb.tensor.ConvOptions;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;

/**
 * 1-D transposed convolution over {@code [N, C_in, L]} (PyTorch's {@code nn.ConvTranspose1d}): weight
 * {@code [C_in, C_out / groups, k]} with PyTorch's names and initialisation, so state dicts load from PyTorch. The
 * output is {@code (L - 1)·stride - 2·padding + dilation·(k - 1) + outputPadding + 1} long; the output padding must
 * be smaller than the stride or the dilation.
 *
 * <pre>{@code
 * new ConvTranspose1d(16, 8, 4, ConvTranspose1d.Options.defaults().stride(2).padding(1));
 * }</pre>
 */
public final class ConvTranspose1d extends Layer {
    /**
     * PyTorch's keyword arguments of {@code nn.ConvTranspose1d} (zero padding only); setters return a new record.
     * The output padding is checked against stride and dilation when the layer is built.
     *
     * @param stride        step between input positions in the output (default 1)
     * @param padding       positions removed from both ends of the output (default 0)
     * @param outputPadding positions added at the end of the output (default 0)
     * @param dilation      spacing between kernel taps (default 1)
     * @param groups        blocked connections from input to output channels (default 1)
     * @param bias          whether the layer learns an additive bias (default true)
     * @param generator     the source of the initial weights (default: the global generator)
     */
    public record Options(int stride, int padding, int outputPadding, int dilation, int groups, boolean bias,
                          Generator generator) {
        public Options {
            if (stride < 1 || dilation < 1 || groups < 1 || padding < 0 || outputPadding < 0) {
                throw new IllegalArgumentException("ConvTranspose1d.Options: stride, dilation and groups must be >= 1"
                        + " and padding and outputPadding >= 0, got stride=" + stride + ", padding=" + padding
                        + ", outputPadding=" + outputPadding + ", dilation=" + dilation + ", groups=" + groups);
            }
            OptionChecks.requireGenerator("ConvTranspose1d.Options", generator);
        }

        /** Stride 1, no padding, no output padding, no dilation, one group, bias on, the global generator. */
        public static Options defaults() {
            return new Options(1, 0, 0, 1, 1, true, Generator.global());
        }

        public Options stride(int s) {
            return new Options(s, padding, outputPadding, dilation, groups, bias, generator);
        }

        public Options padding(int p) {
            return new Options(stride, p, outputPadding, dilation, groups, bias, generator);
        }

        public Options outputPadding(int p) {
            return new Options(stride, padding, p, dilation, groups, bias, generator);
        }

        public Options dilation(int d) {
            return new Options(stride, padding, outputPadding, d, groups, bias, generator);
        }

        public Options groups(int g) {
            return new Options(stride, padding, outputPadding, dilation, g, bias, generator);
        }

        public Options bias(boolean on) {
            return new Options(stride, padding, outputPadding, dilation, groups, on, generator);
        }

        public Options generator(Generator g) {
            return new Options(stride, padding, outputPadding, dilation, groups, bias, g);
        }

        /** The geometry as the tensor op takes it (1-D convolutions read the width settings). */
        public ConvOptions geometry() {
            return ConvOptions.of(stride, padding, dilation, groups);
        }
    }

    public final int inChannels;
    public final int outChannels;
    public final int kernel;
    public final Options options;
    public final Tensor weight;
    public final Tensor bias;
    private final ConvOptions geometry;

    public ConvTranspose1d(int inChannels, int outChannels, int kernel) {
        this(inChannels, outChannels, kernel, Options.defaults());
    }

    public ConvTranspose1d(int inChannels, int outChannels, int kernel, Options options) {
        OptionChecks.requireOptions("ConvTranspose1d", options);
        int groups = options.groups();
        if (inChannels < 1 || outChannels < 1 || kernel < 1 || inChannels % groups != 0
                || outChannels % groups != 0) {
            throw new IllegalArgumentException("ConvTranspose1d: channels and kernel must be >= 1 and channels"
                    + " divisible by groups, got in=" + inChannels + ", out=" + outChannels + ", kernel=" + kernel
                    + ", groups=" + groups);
        }
        ConvTranspose2d.checkOutputPadding("ConvTranspose1d", options.outputPadding(), options.stride(),
                options.dilation(), "length");
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.options = options;
        this.geometry = options.geometry();
        Generator g = options.generator();
        int[] shape = {inChannels, outChannels / groups, kernel};
        this.weight = registerParameter("weight", Init.kaimingUniform(g, Math.sqrt(5), Init.FanMode.FAN_IN, shape));
        double bound = 1 / Math.sqrt(Init.fanIn(shape));
        this.bias = options.bias() ? registerParameter("bias", Init.uniform(g, -bound, bound, outChannels)) : null;
    }

    @Override
    public Tensor forward(Tensor input) {
        Functional.checkDType("ConvTranspose1d", input, weight);
        return Functional.convTranspose1d(input, weight, bias, geometry, options.outputPadding());
    }

    /**
     * The forward pass with the output length given instead of the output padding (PyTorch's
     * {@code forward(input, output_size)}); it must lie between the length without output padding and that length
     * plus {@code stride - 1}.
     */
    public Tensor forward(Tensor input, int outputLength) {
        Functional.checkDType("ConvTranspose1d", input, weight);
        if (input.dim() != 3) {
            throw new IllegalArgumentException("ConvTranspose1d: expected input of shape [N, C_in, L], got "
                    + java.util.Arrays.toString(input.shape()));
        }
        int pad = ConvTranspose2d.outputPaddingFor("ConvTranspose1d", input.size(2), outputLength, kernel,
                options.stride(), options.padding(), options.dilation(), "length");
        return Functional.convTranspose1d(input, weight, bias, geometry, pad);
    }

    @Override
    protected String describe() {
        return inChannels + ", " + outChannels + ", kernel=" + kernel + ", stride=" + options.stride() + ", padding="
                + options.padding() + (options.outputPadding() == 0 ? "" : ", outputPadding="
                + options.outputPadding());
    }
}
