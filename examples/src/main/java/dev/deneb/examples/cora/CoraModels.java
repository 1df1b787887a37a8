package dev.deneb.examples.cora;

import dev.deneb.nn.Functional;
import dev.deneb.nn.Layer;
import dev.deneb.nn.graph.GATConv;
import dev.deneb.nn.graph.GCNConv;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;

/** The two node classifiers of the papers, as modules taking the node features and the edge index. */
public final class CoraModels {
    private CoraModels() {}

    /** A graph network: logits for every node. */
    public abstract static class GraphNet extends Layer {
        public abstract Tensor forward(Tensor x, Tensor edgeIndex);

        @Override
        public Tensor forward(Tensor x) {
            throw new UnsupportedOperationException("call forward(x, edgeIndex)");
        }

        /** Parameters that get weight decay (the others get none). */
        public abstract java.util.List<Tensor> decayed();
    }

    /**
     * Dropout of the (constant, sparse) input features, drawn only for the non-zero entries: the same distribution as
     * dense dropout, since a dropped zero stays zero (Kipf's "sparse dropout"), at about 1/70 of the random draws.
     */
    static Tensor inputDropout(Tensor x, double p, boolean training, Generator g) {
        if (!training || p == 0) {
            return x;
        }
        float[] v = x.toFloatArray();
        int nnz = 0;
        for (float f : v) {
            nnz += f != 0 ? 1 : 0;
        }
        float[] keep = g.bernoulli(1 - p, Math.max(1, nnz)).toFloatArray();
        float scale = (float) (1 / (1 - p));
        for (int i = 0, j = 0; i < v.length; i++) {
            if (v[i] != 0) {
                v[i] = keep[j++] == 0 ? 0 : v[i] * scale;
            }
        }
        return (Tensor.of(v, x.shape()));
    }

    /** Kipf &amp; Welling: dropout → GCN(16) → ReLU → dropout → GCN(classes); no bias; L2 on the first layer. */
    public static final class Gcn extends GraphNet {
        final GCNConv conv1;
        final GCNConv conv2;
        final double dropout;
        final Generator g;

        public Gcn(int in, int hidden, int classes, double dropout, Generator g) {
            this.g = g;
            this.dropout = dropout;
            GCNConv.Options o = GCNConv.Options.defaults().bias(false).cached(true).generator(g);
            conv1 = registerLayer("conv1", new GCNConv(in, hidden, o));
            conv2 = registerLayer("conv2", new GCNConv(hidden, classes, o));
        }

        @Override
        public Tensor forward(Tensor x, Tensor edgeIndex) {
            Tensor h = inputDropout(x, dropout, isTraining(), g);
            h = conv1.forward(h, edgeIndex).relu();
            h = Functional.dropout(h, dropout, isTraining(), g);
            return conv2.forward(h, edgeIndex);
        }

        @Override
        public java.util.List<Tensor> decayed() {
            return conv1.parameters();
        }
    }

    /** Veličković et al.: dropout → GAT(8×8, concat) → ELU → dropout → GAT(classes, 1 head); dropout 0.6. */
    public static final class Gat extends GraphNet {
        final GATConv conv1;
        final GATConv conv2;
        final double dropout;
        final Generator g;

        public Gat(int in, int hidden, int heads, int classes, int outHeads, double dropout, Generator g) {
            this.g = g;
            this.dropout = dropout;
            GATConv.Options o = GATConv.Options.defaults().dropout(dropout).generator(g);
            conv1 = registerLayer("conv1", new GATConv(in, hidden, heads, o));
            conv2 = registerLayer("conv2", new GATConv(hidden * heads, classes, outHeads, o.concat(false)));
        }

        @Override
        public Tensor forward(Tensor x, Tensor edgeIndex) {
            Tensor h = inputDropout(x, dropout, isTraining(), g);
            h = Functional.elu(conv1.forward(h, edgeIndex), 1.0);
            h = Functional.dropout(h, dropout, isTraining(), g);
            return conv2.forward(h, edgeIndex);
        }

        @Override
        public java.util.List<Tensor> decayed() {
            return parameters();
        }
    }
}
