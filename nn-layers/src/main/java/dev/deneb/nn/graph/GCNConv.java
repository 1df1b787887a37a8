package dev.deneb.nn.graph;

import dev.deneb.nn.Init;
import dev.deneb.nn.Layer;
import dev.deneb.nn.OptionChecks;
import dev.deneb.tensor.CsrMatrix;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;

/**
 * The graph convolution of Kipf &amp; Welling (2017), as PyG's {@code GCNConv}:
 * {@code X' = D̂^-1/2 Â D̂^-1/2 X W + b} with {@code Â = A + I} (self-loops of weight 1, or 2 when {@code improved})
 * and {@code D̂} its (weighted) in-degrees: {@code x'_i = Σ_{j→i} w_ji / sqrt(d_j d_i) · (xW)_j}, computed as one sparse
 * product with the normalised adjacency ({@link CsrMatrix}).
 * Parameters as PyG: {@code lin.weight [out, in]} (Glorot) and {@code bias [out]} (zeros).
 */
public final class GCNConv extends Layer {
    /**
     * PyG's keyword arguments of {@code GCNConv}; setters return a new record.
     *
     * @param improved     self-loops of weight 2 instead of 1 (default false)
     * @param cached       compute the normalised edges once and reuse them while the edge index is the same object
     *                     (transductive learning; default false)
     * @param addSelfLoops add the missing self-loops before normalising (default true)
     * @param normalize    apply the symmetric normalisation {@code D^-1/2 Â D^-1/2} (default true)
     * @param bias         whether the layer learns an additive bias (default true)
     * @param generator    the source of the initial weights (default: the global generator)
     */
    public record Options(boolean improved, boolean cached, boolean addSelfLoops, boolean normalize, boolean bias,
                          Generator generator) {
        public Options {
            OptionChecks.requireGenerator("GCNConv.Options", generator);
        }

        /** Self-loops of weight 1, not cached, normalised, with bias, the global generator. */
        public static Options defaults() {
            return new Options(false, false, true, true, true, Generator.global());
        }

        public Options improved(boolean on) {
            return new Options(on, cached, addSelfLoops, normalize, bias, generator);
        }

        public Options cached(boolean on) {
            return new Options(improved, on, addSelfLoops, normalize, bias, generator);
        }

        public Options addSelfLoops(boolean on) {
            return new Options(improved, cached, on, normalize, bias, generator);
        }

        public Options normalize(boolean on) {
            return new Options(improved, cached, addSelfLoops, on, bias, generator);
        }

        public Options bias(boolean on) {
            return new Options(improved, cached, addSelfLoops, normalize, on, generator);
        }

        public Options generator(Generator g) {
            return new Options(improved, cached, addSelfLoops, normalize, bias, g);
        }
    }

    public final int inChannels;
    public final int outChannels;
    public final Options options;
    /** {@code lin.weight [out, in]}; the module "lin" holds it so the name matches PyG. */
    public final Tensor weight;
    private final LinearHolder lin;
    public final Tensor bias;
    private Tensor cachedFor;
    private Propagation cache;
    private CsrMatrix cachedMatrix;
    private Propagation cachedMatrixFor;

    /** The normalised edges: sources, targets, and one coefficient per edge. */
    public record Propagation(Tensor sources, Tensor targets, Tensor coefficients) {}

    public GCNConv(int inChannels, int outChannels) {
        this(inChannels, outChannels, Options.defaults());
    }

    public GCNConv(int inChannels, int outChannels, Options options) {
        OptionChecks.requireOptions("GCNConv", options);
        if (inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException("GCNConv: channel counts must be >= 1, got in=" + inChannels
                    + ", out=" + outChannels);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.options = options;
        this.lin = registerLayer("lin", new LinearHolder(Init.xavierUniform(options.generator(), 1.0,
                outChannels, inChannels)));
        this.weight = lin.weight;
        this.bias = options.bias() ? registerParameter("bias", Tensor.zeros(outChannels)) : null;
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
        GraphChecks.nodeFeatures("GCNConv", x, inChannels);
        Propagation p;
        if (options.cached() && cache != null && cachedFor == edgeIndex) {
            p = cache;
        } else {
            p = propagation(edgeIndex, edgeWeight, x.size(0), options);
            if (options.cached()) {
                cache = p;
                cachedFor = edgeIndex;
            }
        }
        Tensor h = lin.call(x);
        Tensor out = adjacency(p, x.size(0), h).matmul(h);
        return bias == null ? out : out.add(bias);
    }

    /**
     * The normalised adjacency as a sparse matrix (row i: the edges into node i, in edge order) in h's dtype and
     * backend, so propagation is one sparse product (as PyG's SparseTensor path and torch.sparse.mm) instead of
     * [E, C] message tensors gathered, scaled and scattered; cached with the propagation.
     */
    private CsrMatrix adjacency(Propagation p, int numNodes, Tensor h) {
        CsrMatrix a = cachedMatrix;
        if (a != null && cachedMatrixFor == p && a.values().dtype() == h.dtype()
                && a.values().backend() == h.backend()) {
            return a;
        }
        a = CsrMatrix.fromCoo(p.targets(), p.sources(), p.coefficients().to(h.dtype()).to(h.backend()),
                numNodes, numNodes);
        if (options.cached()) {
            cachedMatrix = a;
            cachedMatrixFor = p;
        }
        return a;
    }

    /**
     * PyG's {@code gcn_norm}: with {@link Options#addSelfLoops} adds the remaining self-loops (weight 2 when
     * {@link Options#improved}, else 1), then with {@link Options#normalize} scales edge j→i by
     * {@code d_j^-1/2 · w · d_i^-1/2} where d is the weighted in-degree (0 where d = 0).
     */
    public static Propagation propagation(Tensor edgeIndex, Tensor edgeWeight, int numNodes, Options options) {
        OptionChecks.requireOptions("GCNConv", options);
        double fill = options.improved() ? 2 : 1;
        boolean addSelfLoops = options.addSelfLoops();
        boolean normalize = options.normalize();
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
        return "in=" + inChannels + ", out=" + outChannels
                + (options.improved() ? ", improved" : "") + (options.bias() ? "" : ", bias=false");
    }
}
