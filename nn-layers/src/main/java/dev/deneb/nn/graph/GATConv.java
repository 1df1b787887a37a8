package dev.deneb.nn.graph;

import dev.deneb.nn.Functional;
import dev.deneb.nn.Init;
import dev.deneb.nn.Layer;
import dev.deneb.nn.OptionChecks;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;

/**
 * The graph attention layer of Veličković et al. (2018), as PyG's {@code GATConv}. For each head h:
 * {@code α_ji = softmax_{j→i}(LeakyReLU(a_src·W x_j + a_dst·W x_i))} over the incoming edges of i (self-loop
 * included), then {@code x'_i = Σ_j α_ji W x_j}; heads are concatenated ({@code [N, H·C]}) or averaged
 * ({@code [N, C]}), then the bias is added. Dropout on the attention coefficients while training.
 * Parameters as PyG: {@code lin.weight [H·C, in]}, {@code att_src [1, H, C]}, {@code att_dst [1, H, C]} (all
 * Glorot), {@code bias} (zeros).
 */
public final class GATConv extends Layer {
    /**
     * PyG's keyword arguments of {@code GATConv}; setters return a new record.
     *
     * @param concat        concatenate the heads ({@code [N, H·C]}) instead of averaging them (default true)
     * @param negativeSlope of the LeakyReLU on the attention scores (default 0.2)
     * @param dropout       dropout on the attention coefficients while training (default 0)
     * @param addSelfLoops  add a self-loop to every node (default true)
     * @param bias          whether the layer learns an additive bias (default true)
     * @param generator     the source of the initial weights and of the dropout masks (default: the global
     *                      generator)
     */
    public record Options(boolean concat, double negativeSlope, double dropout, boolean addSelfLoops, boolean bias,
                          Generator generator) {
        public Options {
            if (!Double.isFinite(negativeSlope)) {
                throw new IllegalArgumentException("GATConv.Options: negativeSlope must be finite, got "
                        + negativeSlope);
            }
            OptionChecks.requireProbability("GATConv.Options", "dropout", dropout);
            OptionChecks.requireGenerator("GATConv.Options", generator);
        }

        /** Heads concatenated, slope 0.2, no dropout, self-loops, with bias, the global generator. */
        public static Options defaults() {
            return new Options(true, 0.2, 0, true, true, Generator.global());
        }

        public Options concat(boolean on) {
            return new Options(on, negativeSlope, dropout, addSelfLoops, bias, generator);
        }

        public Options negativeSlope(double s) {
            return new Options(concat, s, dropout, addSelfLoops, bias, generator);
        }

        public Options dropout(double p) {
            return new Options(concat, negativeSlope, p, addSelfLoops, bias, generator);
        }

        public Options addSelfLoops(boolean on) {
            return new Options(concat, negativeSlope, dropout, on, bias, generator);
        }

        public Options bias(boolean on) {
            return new Options(concat, negativeSlope, dropout, addSelfLoops, on, generator);
        }

        public Options generator(Generator g) {
            return new Options(concat, negativeSlope, dropout, addSelfLoops, bias, g);
        }
    }

    public final int inChannels;
    public final int outChannels;
    public final int heads;
    public final Options options;
    public final Tensor weight;
    private final LinearHolder lin;
    public final Tensor attSrc;
    public final Tensor attDst;
    public final Tensor bias;
    private final Generator generator;
    private Tensor lastAttention;

    /** One head. */
    public GATConv(int inChannels, int outChannels) {
        this(inChannels, outChannels, 1);
    }

    public GATConv(int inChannels, int outChannels, int heads) {
        this(inChannels, outChannels, heads, Options.defaults());
    }

    public GATConv(int inChannels, int outChannels, int heads, Options o) {
        OptionChecks.requireOptions("GATConv", o);
        if (inChannels < 1 || outChannels < 1 || heads < 1) {
            throw new IllegalArgumentException("GATConv: inChannels, outChannels and heads must be >= 1, got "
                    + inChannels + ", " + outChannels + ", " + heads);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.heads = heads;
        this.options = o;
        Generator g = o.generator();
        this.generator = g;
        int h = heads;
        int c = outChannels;
        this.lin = registerLayer("lin", new LinearHolder(Init.xavierUniform(g, 1.0, h * c, inChannels)));
        this.weight = lin.weight;
        // Glorot over (H, C) as PyG's glorot(): bound sqrt(6 / (H + C))
        double bound = Math.sqrt(6.0 / (h + c));
        this.attSrc = registerParameter("att_src", Init.uniform(g, -bound, bound, 1, h, c));
        this.attDst = registerParameter("att_dst", Init.uniform(g, -bound, bound, 1, h, c));
        this.bias = o.bias() ? registerParameter("bias", Tensor.zeros(o.concat() ? h * c : c)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        throw new UnsupportedOperationException("GATConv: call forward(x, edgeIndex)");
    }

    /** {@code x [N, in]}, {@code edgeIndex [2, E]}; returns {@code [N, H·C]} (concat) or {@code [N, C]}. */
    public Tensor forward(Tensor x, Tensor edgeIndex) {
        GraphChecks.nodeFeatures("GATConv", x, inChannels);
        int n = x.size(0);
        Tensor ei = EdgeIndex.check("GATConv", edgeIndex, n);
        if (options.addSelfLoops()) {
            ei = EdgeIndex.addSelfLoops(EdgeIndex.removeSelfLoops(ei), n);
        }
        Tensor src = EdgeIndex.sources(ei);
        Tensor dst = EdgeIndex.targets(ei);
        int h = heads;
        int c = outChannels;
        Tensor hx = lin.call(x).reshape(n, h, c);
        Tensor aSrc = hx.mul(attSrc).sum(new int[] {2}, false);   // [N, H]
        Tensor aDst = hx.mul(attDst).sum(new int[] {2}, false);   // [N, H]
        Tensor score = aSrc.indexSelect(0, src).add(aDst.indexSelect(0, dst));  // [E, H]
        score = Functional.leakyRelu(score, options.negativeSlope());
        Tensor alpha = Scatter.softmax(score, dst, n);
        lastAttention = alpha;
        alpha = Functional.dropout(alpha, options.dropout(), isTraining(), generator);
        Tensor messages = hx.indexSelect(0, src).mul(alpha.unsqueeze(2));  // [E, H, C]
        Tensor out = Scatter.sum(messages, dst, n);                       // [N, H, C]
        out = options.concat() ? out.reshape(n, h * c) : out.mean(new int[] {1}, false);
        return bias == null ? out : out.add(bias);
    }

    /** The attention coefficients {@code [E', H]} of the last forward pass (edges after self-loops were added). */
    public Tensor lastAttention() {
        return lastAttention;
    }

    @Override
    protected String describe() {
        return "in=" + inChannels + ", out=" + outChannels + ", heads=" + heads
                + (options.concat() ? "" : ", concat=false") + ", negativeSlope=" + options.negativeSlope()
                + (options.dropout() > 0 ? ", dropout=" + options.dropout() : "");
    }
}
