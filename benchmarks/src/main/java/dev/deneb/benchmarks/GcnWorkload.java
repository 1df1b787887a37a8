package dev.deneb.benchmarks;

import dev.deneb.nn.Layer;
import dev.deneb.nn.graph.EdgeIndex;
import dev.deneb.nn.graph.GCNConv;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.Threads;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code gcn}: one full-batch training step of Kipf &amp; Welling's two-layer GCN on Cora's shapes: 2708 nodes,
 * 1433 dense binary features (1.27 % ones, as Cora), GCNConv 1433→16 (no bias), ReLU, GCNConv 16→7 (no bias),
 * dropout 0, cross-entropy on the 140 training nodes (0..139, as Planetoid's split), Adam (lr 0.01), in ms, as
 * {@code torch_peer.py}. The graph is random with Cora's size: {@link #randomGraph} draws the same 5278 undirected
 * edges (10556 directed) on both sides; self-loops are added and the adjacency normalised symmetrically
 * ({@code D^-1/2 (A + I) D^-1/2}) once, outside the timing ({@link GCNConv.Options#cached}). Deneb's
 * {@link GCNConv} propagates as a CSR sparse product (a {@code CsrMatrix}); the peer multiplies by the same
 * matrix as a sparse COO tensor ({@code torch.sparse.mm}). 20 warm-up steps, blocks of 20 steps, median per-step
 * time of 5 clean blocks.
 */
public final class GcnWorkload implements Workload {
    static final int NODES = 2708;
    static final int FEATURES = 1433;
    static final int HIDDEN = 16;
    static final int CLASSES = 7;
    static final int UNDIRECTED_EDGES = 5278;
    static final int TRAIN = 140;
    static final double FEATURE_DENSITY = 0.0127;

    /** GCN → ReLU → GCN on the fixed graph; logits of the training nodes only. */
    static final class Net extends Layer {
        final GCNConv conv1;
        final GCNConv conv2;
        final Tensor edgeIndex;
        final Tensor trainNodes;

        Net(Tensor edgeIndex, Tensor trainNodes, Generator g) {
            this.edgeIndex = edgeIndex;
            this.trainNodes = trainNodes;
            GCNConv.Options o = GCNConv.Options.defaults().bias(false).cached(true).generator(g);
            conv1 = registerLayer("conv1", new GCNConv(FEATURES, HIDDEN, o));
            conv2 = registerLayer("conv2", new GCNConv(HIDDEN, CLASSES, o));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = conv1.forward(x, edgeIndex).relu();
            return conv2.forward(h, edgeIndex).indexSelect(0, trainNodes);
        }
    }

    /**
     * {@code edges} distinct undirected pairs without self-loops on {@code nodes} nodes, both directions of each:
     * {@code [2, 2·edges]}. Drawn with splitmix64 from {@code seed}, exactly as {@code random_graph} in torch_peer.py.
     */
    static Tensor randomGraph(int nodes, int edges, long seed) {
        long[] a = new long[edges];
        long[] b = new long[edges];
        Set<Long> seen = new HashSet<>();
        long state = seed;
        int n = 0;
        while (n < edges) {
            state += 0x9E3779B97F4A7C15L;
            long u = Long.remainderUnsigned(mix(state), nodes);
            state += 0x9E3779B97F4A7C15L;
            long v = Long.remainderUnsigned(mix(state), nodes);
            if (u != v && seen.add(Math.min(u, v) * nodes + Math.max(u, v))) {
                a[n] = u;
                b[n] = v;
                n++;
            }
        }
        return EdgeIndex.undirected(a, b);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public String name() {
        return "gcn";
    }

    @Override
    public List<Result> run(int threads) {
        int saved = Threads.count();
        Threads.set(threads);
        try {
            Generator g = new Generator(0);
            Tensor trainNodes = Tensor.arange(TRAIN);
            Net net = new Net(randomGraph(NODES, UNDIRECTED_EDGES, 0), trainNodes, g);
            Tensor x = g.bernoulli(FEATURE_DENSITY, NODES, FEATURES).to(DType.F32);
            Tensor y = g.randint(0, CLASSES, NODES).indexSelect(0, trainNodes);
            Sampler.waitIdle(180);
            double ms = new TrainingSteps(net, new Tensor[] {x}, new Tensor[] {y}, 0.01).millisPerStep(20, 5, 20);
            Sampler.log(String.format("  gcn step_cora threads=%d: %.2f ms", threads, ms));
            return List.of(new Result("gcn", "step_cora", threads, "ms_per_step", ms, false,
                    Map.of("java", Runtime.version().toString(), "dropout", 0.0)));
        } finally {
            Threads.set(saved);
        }
    }
}
