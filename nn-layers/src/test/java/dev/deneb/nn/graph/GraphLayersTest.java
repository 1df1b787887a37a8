package dev.deneb.nn.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.nn.Fixtures;
import dev.deneb.nn.attention.ModuleGradCheck;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GCNConv, GATConv, SAGEConv and pooling against dense reference formulas, gradient checks and bad input. */
class GraphLayersTest {
    private final Generator g = new Generator(5);
    /** A small directed graph on 5 nodes with a duplicate-free edge list, one existing self-loop (3→3). */
    static final long[] SRC = {0, 1, 1, 2, 3, 4, 0, 3, 2};
    static final long[] DST = {1, 0, 2, 1, 3, 3, 4, 4, 0};
    static final int N = 5;

    static Tensor edges() {
        long[] v = new long[2 * SRC.length];
        System.arraycopy(SRC, 0, v, 0, SRC.length);
        System.arraycopy(DST, 0, v, SRC.length, DST.length);
        return Tensor.of(v, 2, SRC.length);
    }

    private Tensor randn64(int... shape) {
        return g.normal(0, 1, shape).to(DType.F64);
    }

    private static double[][] mat(Tensor t) {
        int r = t.size(0);
        int c = t.numel() / r;
        double[] v = t.toDoubleArray();
        double[][] m = new double[r][c];
        for (int i = 0; i < r; i++) {
            System.arraycopy(v, i * c, m[i], 0, c);
        }
        return m;
    }

    private static double[][] mul(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < b.length; k++) {
                for (int j = 0; j < b[0].length; j++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }

    private static double[][] t(double[][] a) {
        double[][] c = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                c[j][i] = a[i][j];
            }
        }
        return c;
    }

    private static Tensor tensor(double[][] m) {
        double[] v = new double[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, v, i * m[0].length, m[0].length);
        }
        return Tensor.of(v, m.length, m[0].length);
    }

    // ---- GCN ----

    @Test
    void gcnMatchesDenseFormula() {
        double[] w = {0.5, 1.0, 2.0, 1.5, 3.0, 0.7, 1.2, 0.9, 0.4};
        for (boolean weighted : new boolean[] {false, true}) {
            GCNConv conv = new GCNConv(3, 2, GCNConv.Options.defaults().generator(g));
            conv.to(DType.F64);
            conv.bias.detach().copyFrom(Tensor.of(new float[] {0.1f, -0.2f}, 2));
            Tensor x = randn64(N, 3);
            Tensor ew = weighted ? Tensor.of(w, w.length) : null;
            Tensor out = conv.forward(x, edges(), ew).detach();
            // Â[i][j] = weight of edge j→i, self-loops: existing kept (3→3), others weight 1
            double[][] a = new double[N][N];
            for (int e = 0; e < SRC.length; e++) {
                a[(int) DST[e]][(int) SRC[e]] += weighted ? w[e] : 1;
            }
            for (int i = 0; i < N; i++) {
                if (i != 3) {
                    a[i][i] += 1;
                }
            }
            double[] deg = new double[N];
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < N; j++) {
                    deg[i] += a[i][j];
                }
            }
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < N; j++) {
                    a[i][j] /= Math.sqrt(deg[i]) * Math.sqrt(deg[j]);
                }
            }
            double[][] expected = mul(mul(a, mat(x)), t(mat(conv.weight.detach())));
            for (double[] row : expected) {
                row[0] += 0.1f;
                row[1] += -0.2f;
            }
            Fixtures.assertClose(tensor(expected), out, 1e-6, 1e-6, "gcn weighted=" + weighted);
        }
    }

    @Test
    void gcnGradients() {
        GCNConv conv = new GCNConv(3, 2, GCNConv.Options.defaults().generator(g));
        conv.to(DType.F64);
        Tensor x = randn64(N, 3);
        ModuleGradCheck.inputs(in -> conv.forward(in.get(0), edges()), x);
        ModuleGradCheck.parameters(conv, () -> ModuleGradCheck.weightedSum(conv.forward(x, edges())), 10);
        assertEquals(List.of("bias", "lin.weight"), List.copyOf(conv.namedParameters().keySet()));
    }

    // ---- GAT ----

    /** Dense GAT for one head: softmax over j ∈ N_in(i) ∪ {i} of LeakyReLU(a_s·h_j + a_d·h_i). */
    private static double[][][] denseGat(double[][] h, double[] as, double[] ad, int heads, int c, double slope) {
        double[][][] out = new double[heads][N][c];
        boolean[][] adj = new boolean[N][N];
        for (int e = 0; e < SRC.length; e++) {
            adj[(int) DST[e]][(int) SRC[e]] = true;
        }
        for (int i = 0; i < N; i++) {
            adj[i][i] = true;
        }
        for (int hd = 0; hd < heads; hd++) {
            for (int i = 0; i < N; i++) {
                double[] score = new double[N];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < N; j++) {
                    if (adj[i][j]) {
                        double s = 0;
                        for (int k = 0; k < c; k++) {
                            s += as[hd * c + k] * h[j][hd * c + k] + ad[hd * c + k] * h[i][hd * c + k];
                        }
                        score[j] = s > 0 ? s : slope * s;
                        max = Math.max(max, score[j]);
                    }
                }
                double z = 0;
                for (int j = 0; j < N; j++) {
                    if (adj[i][j]) {
                        z += Math.exp(score[j] - max);
                    }
                }
                for (int j = 0; j < N; j++) {
                    if (adj[i][j]) {
                        double alpha = Math.exp(score[j] - max) / z;
                        for (int k = 0; k < c; k++) {
                            out[hd][i][k] += alpha * h[j][hd * c + k];
                        }
                    }
                }
            }
        }
        return out;
    }

    @Test
    void gatMatchesDenseFormula() {
        for (boolean concat : new boolean[] {true, false}) {
            int heads = 3;
            int c = 2;
            GATConv conv = new GATConv(4, c, heads, GATConv.Options.defaults().concat(concat).negativeSlope(0.1)
                    .generator(g));
            conv.to(DType.F64);
            conv.bias.detach().copyFrom(Tensor.full(0.25, conv.bias.shape()));
            Tensor x = randn64(N, 4);
            Tensor out = conv.forward(x, edges()).detach();
            double[][] h = mul(mat(x), t(mat(conv.weight.detach())));
            double[][][] d = denseGat(h, conv.attSrc.toDoubleArray(), conv.attDst.toDoubleArray(),
                    heads, c, 0.1);
            double[][] expected = new double[N][concat ? heads * c : c];
            for (int i = 0; i < N; i++) {
                for (int hd = 0; hd < heads; hd++) {
                    for (int k = 0; k < c; k++) {
                        if (concat) {
                            expected[i][hd * c + k] = d[hd][i][k] + 0.25;
                        } else {
                            expected[i][k] += d[hd][i][k] / heads + (hd == 0 ? 0.25 : 0);
                        }
                    }
                }
            }
            Fixtures.assertClose(tensor(expected), out, 1e-6, 1e-6, "gat concat=" + concat);
        }
    }

    @Test
    void gatGradientsAndAttentionDropout() {
        GATConv conv = new GATConv(3, 2, 2, GATConv.Options.defaults().generator(g));
        conv.to(DType.F64);
        Tensor x = randn64(N, 3);
        conv.eval();
        ModuleGradCheck.inputs(in -> conv.forward(in.get(0), edges()), x);
        ModuleGradCheck.parameters(conv, () -> ModuleGradCheck.weightedSum(conv.forward(x, edges())), 10);
        assertEquals(List.of("att_src", "att_dst", "bias", "lin.weight"), List.copyOf(conv.namedParameters().keySet()));
        // attention rows sum to one per target node and head
        conv.forward(x, edges());
        Tensor alpha = conv.lastAttention().detach();
        Tensor ei = EdgeIndex.addSelfLoops(EdgeIndex.removeSelfLoops(edges()), N);
        Tensor sums = Scatter.sum(alpha, EdgeIndex.targets(ei), N).detach();
        Fixtures.assertClose(Tensor.ones(DType.F64, N, 2), sums, 1e-9, 1e-9, "softmax per target");
        GATConv dropped = new GATConv(3, 2, 2, GATConv.Options.defaults().dropout(0.5).generator(g));
        dropped.to(DType.F64);
        dropped.train();
        Tensor y1 = dropped.forward(x, edges()).detach();
        dropped.eval();
        Tensor y2 = dropped.forward(x, edges()).detach();
        assertFalse(y1.allClose(y2), "dropout changes the output while training");
    }

    @Test
    void segmentSoftmaxIsStable() {
        Tensor idx = Tensor.of(new long[] {0, 0, 1, 1, 1}, 5);
        Tensor s = Tensor.of(new double[] {1000, 999, -1000, -1001, 5000}, 5, 1).requiresGrad(true);
        Tensor p = Scatter.softmax(s, idx, 2);
        double[] v = p.toDoubleArray();
        assertEquals(1 / (1 + Math.exp(-1)), v[0], 1e-12);
        assertEquals(1.0, v[4], 1e-12);
        for (double x : v) {
            assertTrue(Double.isFinite(x));
        }
        ModuleGradCheck.inputs(in -> Scatter.softmax(in.get(0), idx, 2), randn64(5, 3));
    }

    // ---- SAGE ----

    @Test
    void sageMatchesDenseFormula() {
        SAGEConv conv = new SAGEConv(3, 2, SAGEConv.Options.defaults().generator(g));
        conv.to(DType.F64);
        Tensor x = randn64(N, 3);
        Tensor out = conv.forward(x, edges()).detach();
        double[][] mean = new double[N][N];
        for (int e = 0; e < SRC.length; e++) {
            mean[(int) DST[e]][(int) SRC[e]] += 1;
        }
        for (double[] row : mean) {
            double s = 0;
            for (double v : row) {
                s += v;
            }
            for (int j = 0; j < N; j++) {
                row[j] = s == 0 ? 0 : row[j] / s;
            }
        }
        double[][] xm = mat(x);
        double[][] e1 = mul(mul(mean, xm), t(mat(conv.linL.weight.detach())));
        double[][] e2 = mul(xm, t(mat(conv.linR.weight.detach())));
        double[] b = conv.linL.bias.toDoubleArray();
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < 2; j++) {
                e1[i][j] += e2[i][j] + b[j];
            }
        }
        Fixtures.assertClose(tensor(e1), out, 1e-6, 1e-6, "sage");
        ModuleGradCheck.inputs(in -> conv.forward(in.get(0), edges()), x);
        ModuleGradCheck.parameters(conv, () -> ModuleGradCheck.weightedSum(conv.forward(x, edges())), 10);
        assertEquals(List.of("lin_l.weight", "lin_l.bias", "lin_r.weight"),
                List.copyOf(conv.namedParameters().keySet()));
    }

    // ---- batches of graphs and pooling ----

    @Test
    void batchOfGraphsEqualsSeparateGraphs() {
        // graph A = the test graph (5 nodes), graph B = a triangle 0→1→2→0 (3 nodes), stacked as nodes 5..7
        long[] s = new long[SRC.length + 3];
        long[] d = new long[DST.length + 3];
        System.arraycopy(SRC, 0, s, 0, SRC.length);
        System.arraycopy(DST, 0, d, 0, DST.length);
        long[][] tri = {{0, 1}, {1, 2}, {2, 0}};
        for (int i = 0; i < 3; i++) {
            s[SRC.length + i] = tri[i][0] + N;
            d[SRC.length + i] = tri[i][1] + N;
        }
        long[] both = new long[2 * s.length];
        System.arraycopy(s, 0, both, 0, s.length);
        System.arraycopy(d, 0, both, s.length, d.length);
        Tensor batchEdges = Tensor.of(both, 2, s.length);
        Tensor triEdges = Tensor.of(new long[] {0, 1, 2, 1, 2, 0}, 2, 3);
        Tensor xa = randn64(N, 3);
        Tensor xb = randn64(3, 3);
        Tensor x = Tensor.cat(0, xa, xb);
        Tensor batch = Tensor.of(new long[] {0, 0, 0, 0, 0, 1, 1, 1}, 8);
        GCNConv gcn = new GCNConv(3, 4, GCNConv.Options.defaults().generator(g));
        GATConv gat = new GATConv(3, 2, 2, GATConv.Options.defaults().generator(g));
        gcn.to(DType.F64);
        gat.to(DType.F64);
        SAGEConv sage = new SAGEConv(3, 4);
        sage.to(DType.F64);
        for (var layer : List.<java.util.function.BiFunction<Tensor, Tensor, Tensor>>of(gcn::forward,
                gat::forward, sage::forward)) {
            Tensor all = layer.apply(x, batchEdges).detach();
            Tensor a = layer.apply(xa, edges()).detach();
            Tensor b = layer.apply(xb, triEdges).detach();
            Fixtures.assertClose(Tensor.cat(0, a, b), all, 1e-9, 1e-9, "batched");
        }
        Tensor h = x;
        Fixtures.assertClose(Tensor.stack(0, xa.mean(0), xb.mean(0)), GlobalPool.mean(h, batch).detach(), 1e-12,
                1e-12, "mean pool");
        Fixtures.assertClose(Tensor.stack(0, xa.sum(0), xb.sum(0)), GlobalPool.add(h, batch).detach(), 1e-12, 1e-12,
                "add pool");
        Fixtures.assertClose(Tensor.stack(0, xa.amax(new int[] {0}, false), xb.amax(new int[] {0}, false)),
                GlobalPool.max(h, batch).detach(), 0, 0, "max pool");
        assertArrayEquals(new int[] {3, 3}, GlobalPool.mean(h, batch, 3).shape());  // graph 2 is empty → zeros
        assertEquals(0.0, GlobalPool.max(h, batch, 3).detach().select(0, 2).abs().sum().item(), 0);
    }

    @Test
    void poolingGradients() {
        Tensor batch = Tensor.of(new long[] {0, 1, 0, 1, 1}, 5);
        ModuleGradCheck.inputs(in -> GlobalPool.mean(in.get(0), batch), randn64(5, 3));
        ModuleGradCheck.inputs(in -> GlobalPool.add(in.get(0), batch), randn64(5, 3));
        ModuleGradCheck.inputs(in -> GlobalPool.max(in.get(0), batch), randn64(5, 3));
    }

    // ---- bad input ----

    @Test
    void badEdgeIndexIsAClearError() {
        GCNConv conv = new GCNConv(3, 2);
        Tensor x = Tensor.zeros(N, 3);
        var e = assertThrows(IllegalArgumentException.class,
                () -> conv.forward(x, Tensor.of(new long[] {0, 1, 1, 5}, 2, 2)));
        assertTrue(e.getMessage().contains("out of range"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> conv.forward(x, Tensor.of(new long[] {0, -1, 1, 2}, 2, 2)));
        assertTrue(e.getMessage().contains("out of range"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> conv.forward(x, Tensor.of(new long[] {0, 1, 1, 2, 3, 4}, 3, 2)));
        assertTrue(e.getMessage().contains("[2, E]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new GATConv(3, 2, 2).forward(x, Tensor.of(new float[] {0, 1, 1, 2}, 2, 2)));
        assertTrue(e.getMessage().contains("i64"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new SAGEConv(4, 2).forward(x, edges()));
        assertTrue(e.getMessage().contains("node features"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> conv.forward(x, edges(), Tensor.ones(3)));
        assertTrue(e.getMessage().contains("edge weights"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GlobalPool.mean(x, Tensor.of(new long[] {0, 1}, 2), 2));
        assertThrows(IllegalArgumentException.class,
                () -> GlobalPool.max(x, Tensor.of(new long[] {0, 0, 0, 0, 3}, 5), 2));
    }
}
