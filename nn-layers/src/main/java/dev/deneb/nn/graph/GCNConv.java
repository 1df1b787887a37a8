package dev.deneb.nn.graph;

import dev.deneb.nn.Init;
import dev.deneb.nn.Layer;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;

/**
 * The graph convolution of Kipf &amp; Welling (2017), as PyG's {@code GCNConv}:
 * {@code X' = D̂^-1/2 Â D̂^-1/2 X W + b} with {@code Â = A + I} (self-loops of weight 1, or 2 when {@code improved})
 * and {@code D̂} its (weighted) in-degrees. Written as messages: {@code x'_i = Σ_{j→i} w_ji / sqrt(d_j d_i) · (xW)_j}.
 * Parameters as PyG: {@code lin.weight [out, in]} (Glorot) and {@code bias [out]} (zeros).
 */
public final class GCNConv extends Layer {
    /** Hyper-parameters (PyG's constructor arguments). */
    public record Options(int inChannels, int outChannels, boolean improved, boolean addSelfLoops, boolean normalize,
                          boolean bias, boolean cached) {
        public static Options of(int in, int out) {
            return new Options(in, out, false, true, true, true, false);
        }

        public Options withCached(boolean c) {
            return new Options(inChannels, outChannels, improved, addSelfLoops, normalize, bias, c);
        }

        public Options withBias(boolean b) {
            return new Options(inChannels, outChannels, improved, addSelfLoops, normalize, b, cached);
        }
    }

    public final Options options;
    /** {@code lin.weight [out, in]}; the module "lin" holds it so the name matches PyG. */
    public final Tensor weight;
    private final LinearHolder lin;
    public final Tensor bias;
    private Tensor cachedFor;
    private Propagation cache;

    /** The normalised edges: sources, targets, and one coefficient per edge. */
    public record Propagation(Tensor sources, Tensor targets, Tensor coefficients) {}

    public GCNConv(int inChannels, int outChannels) {
        this(Options.of(inChannels, outChannels), Generator.global());
    }

    public GCNConv(Options o, Generator g) {
        if (o.inChannels() < 1 || o.outChannels() < 1) {
            throw new IllegalArgumentException("GCNConv: channel counts must be >= 1, got in=" + o.inChannels()
                    + ", out=" + o.outChannels());
        }
        this.options = o;
        this.lin = registerLayer("lin", new LinearHolder(Init.xavierUniform(g, 1.0, o.outChannels(),
                o.inChannels())));
        this.weight = lin.weight;
        this.bias = o.bias() ? registerParameter("bias", Tensor.zeros(o.outChannels())) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        throw new UnsupportedOperationException("GCNConv: call forward(x, edgeIndex)");
    }

    public Tensor forward(Tensor x, Tensor edgeIndex) {
        return forward(x, edgeIndex, null);
    }

    /** {@code x [N, in]}, {@code edgeIndex [2, E]}, {@code edgeWeight [E]} or null (all ones). */
    public Tensor forward(Tensor x, Tensor edgeIndex, Tensor edgeWeight) {
        GraphChecks.nodeFeatures("GCNConv", x, options.inChannels());
        Propagation p;
        if (options.cached() && cache != null && cachedFor == edgeIndex) {
            p = cache;
        } else {
            p = propagation(edgeIndex, edgeWeight, x.size(0), options.improved() ? 2 : 1, options.addSelfLoops(),
                    options.normalize());
            if (options.cached()) {
                cache = p;
                cachedFor = edgeIndex;
            }
        }
        Tensor h = lin.call(x);
        Tensor messages = h.indexSelect(0, p.sources()).mul((p.coefficients().to(h.dtype()).to(h.backend()).reshape(-1, 1)));
        Tensor out = Scatter.sum(messages, p.targets(), x.size(0));
        return bias == null ? out : out.add(bias);
    }

    /**
     * PyG's {@code gcn_norm}: adds the remaining self-loops (weight {@code fill}), then scales edge j→i by
     * {@code d_j^-1/2 · w · d_i^-1/2} where d is the weighted in-degree (0 where d = 0).
     */
    public static Propagation propagation(Tensor edgeIndex, Tensor edgeWeight, int numNodes, double fill,
                                          boolean addSelfLoops, boolean normalize) {
        Tensor ei = EdgeIndex.check("GCNConv", edgeIndex, numNodes);
        if (edgeWeight != null && (edgeWeight.dim() != 1 || edgeWeight.numel() != ei.size(1))) {
            throw new IllegalArgumentException("GCNConv: edge weights must be 1-D with one entry per edge ("
                    + ei.size(1) + "), got " + Arrays.toString(edgeWeight.shape()));
        }
        Tensor w = edgeWeight;
        if (addSelfLoops) {
            EdgeIndex.Weighted wl = EdgeIndex.addRemainingSelfLoops(ei, edgeWeight, fill, numNodes);
            ei = wl.edgeIndex();
            w = wl.weights();
        }
        int e = ei.size(1);
        double[] ww = w == null ? null : w.toDoubleArray();
        double[] coef = new double[e];
        long[] v = ei.toLongArray();
        if (normalize) {
            double[] deg = EdgeIndex.inDegree(ei, w, numNodes);
            double[] dinv = new double[numNodes];
            for (int i = 0; i < numNodes; i++) {
                dinv[i] = deg[i] > 0 ? 1 / Math.sqrt(deg[i]) : 0;
            }
            for (int i = 0; i < e; i++) {
                coef[i] = dinv[(int) v[i]] * (ww == null ? 1 : ww[i]) * dinv[(int) v[e + i]];
            }
        } else {
            for (int i = 0; i < e; i++) {
                coef[i] = ww == null ? 1 : ww[i];
            }
        }
        return new Propagation(EdgeIndex.sources(ei), EdgeIndex.targets(ei), Tensor.of(coef, e));
    }

    @Override
    protected String describe() {
        return "in=" + options.inChannels() + ", out=" + options.outChannels()
                + (options.improved() ? ", improved" : "") + (options.bias() ? "" : ", bias=false");
    }
}
