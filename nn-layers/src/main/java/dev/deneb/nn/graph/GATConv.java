package dev.deneb.nn.graph;

import dev.deneb.nn.Functional;
import dev.deneb.nn.Init;
import dev.deneb.nn.Layer;
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
    public record Options(int inChannels, int outChannels, int heads, boolean concat, double negativeSlope,
                          double dropout, boolean addSelfLoops, boolean bias) {
        public static Options of(int in, int out, int heads) {
            return new Options(in, out, heads, true, 0.2, 0, true, true);
        }

        public Options withConcat(boolean c) {
            return new Options(inChannels, outChannels, heads, c, negativeSlope, dropout, addSelfLoops, bias);
        }

        public Options withDropout(double p) {
            return new Options(inChannels, outChannels, heads, concat, negativeSlope, p, addSelfLoops, bias);
        }

        public Options withNegativeSlope(double s) {
            return new Options(inChannels, outChannels, heads, concat, s, dropout, addSelfLoops, bias);
        }
    }

    public final Options options;
    public final Tensor weight;
    private final LinearHolder lin;
    public final Tensor attSrc;
    public final Tensor attDst;
    public final Tensor bias;
    private final Generator generator;
    private Tensor lastAttention;

    public GATConv(int inChannels, int outChannels, int heads) {
        this(Options.of(inChannels, outChannels, heads), Generator.global());
    }

    public GATConv(Options o, Generator g) {
        if (o.inChannels() < 1 || o.outChannels() < 1 || o.heads() < 1) {
            throw new IllegalArgumentException("GATConv: inChannels, outChannels and heads must be >= 1, got "
                    + o.inChannels() + ", " + o.outChannels() + ", " + o.heads());
        }
        if (o.dropout() < 0 || o.dropout() > 1) {
            throw new IllegalArgumentException("GATConv: dropout must be in [0, 1], got " + o.dropout());
        }
        this.options = o;
        this.generator = g;
        int h = o.heads();
        int c = o.outChannels();
        this.lin = registerLayer("lin", new LinearHolder(Init.xavierUniform(g, 1.0, h * c, o.inChannels())));
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
        GraphChecks.nodeFeatures("GATConv", x, options.inChannels());
        int n = x.size(0);
        Tensor ei = EdgeIndex.check("GATConv", edgeIndex, n);
        if (options.addSelfLoops()) {
            ei = EdgeIndex.addSelfLoops(EdgeIndex.removeSelfLoops(ei), n);
        }
        Tensor src = EdgeIndex.sources(ei);
        Tensor dst = EdgeIndex.targets(ei);
        int h = options.heads();
        int c = options.outChannels();
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
        return "in=" + options.inChannels() + ", out=" + options.outChannels() + ", heads=" + options.heads()
                + (options.concat() ? "" : ", concat=false") + ", negativeSlope=" + options.negativeSlope()
                + (options.dropout() > 0 ? ", dropout=" + options.dropout() : "");
    }
}
