package dev.deneb.nn.graph;

import dev.deneb.nn.Linear;
import dev.deneb.nn.Layer;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;

/**
 * GraphSAGE with mean aggregation (Hamilton et al. 2017), as PyG's {@code SAGEConv}:
 * {@code x'_i = W_l · mean_{j→i} x_j + b + W_r · x_i} (the root term only with {@code rootWeight}); optionally
 * L2-normalised. Parameters as PyG: {@code lin_l.weight}, {@code lin_l.bias}, {@code lin_r.weight}. Nodes without
 * incoming edges aggregate to 0.
 */
public final class SAGEConv extends Layer {
    public final int inChannels;
    public final int outChannels;
    public final boolean normalize;
    public final Linear linL;
    public final Linear linR;

    public SAGEConv(int inChannels, int outChannels) {
        this(inChannels, outChannels, true, true, false, Generator.global());
    }

    public SAGEConv(int inChannels, int outChannels, boolean rootWeight, boolean bias, boolean normalize,
                    Generator g) {
        if (inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException("SAGEConv: channel counts must be >= 1, got in=" + inChannels
                    + ", out=" + outChannels);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.normalize = normalize;
        this.linL = registerLayer("lin_l", new Linear(inChannels, outChannels, bias, g));
        this.linR = rootWeight ? registerLayer("lin_r", new Linear(inChannels, outChannels, false, g)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        throw new UnsupportedOperationException("SAGEConv: call forward(x, edgeIndex)");
    }

    public Tensor forward(Tensor x, Tensor edgeIndex) {
        GraphChecks.nodeFeatures("SAGEConv", x, inChannels);
        int n = x.size(0);
        Tensor ei = EdgeIndex.check("SAGEConv", edgeIndex, n);
        Tensor agg = Scatter.mean(x.indexSelect(0, EdgeIndex.sources(ei)), EdgeIndex.targets(ei), n);
        Tensor out = linL.call(agg);
        if (linR != null) {
            out = out.add(linR.call(x));
        }
        if (normalize) {
            out = out.div(out.norm(2, new int[] {1}, true).maximum(1e-12));
        }
        return out;
    }

    @Override
    protected String describe() {
        return "in=" + inChannels + ", out=" + outChannels + ", aggr=mean" + (linR == null ? ", rootWeight=false" : "")
                + (normalize ? ", normalize" : "");
    }
}
