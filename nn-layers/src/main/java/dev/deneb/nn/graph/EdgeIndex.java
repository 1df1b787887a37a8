package dev.deneb.nn.graph;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;

/**
 * Helpers for graphs given as an edge index: an integer tensor {@code [2, E]} in COO form, row 0 the source and row
 * 1 the target of each edge (PyTorch Geometric's convention: messages flow source → target, and a node aggregates
 * over its incoming edges). An undirected graph lists both directions.
 */
public final class EdgeIndex {
    private EdgeIndex() {}

    /**
     * Checks that {@code edgeIndex} is an i32/i64 tensor of shape {@code [2, E]} whose entries lie in
     * {@code [0, numNodes)}, and returns it as a contiguous i64 tensor.
     */
    public static Tensor check(String who, Tensor edgeIndex, int numNodes) {
        if (edgeIndex == null) {
            throw new IllegalArgumentException(who + ": the edge index is null");
        }
        if (edgeIndex.dtype() != DType.I64 && edgeIndex.dtype() != DType.I32) {
            throw new IllegalArgumentException(who + ": the edge index must be an i64 (or i32) tensor [2, E], got "
                    + edgeIndex.dtype());
        }
        if (edgeIndex.dim() != 2 || edgeIndex.size(0) != 2) {
            throw new IllegalArgumentException(who + ": the edge index must have shape [2, E] (row 0 sources, row 1 "
                    + "targets), got " + Arrays.toString(edgeIndex.shape()));
        }
        long[] v = edgeIndex.toLongArray();
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0 || v[i] >= numNodes) {
                throw new IllegalArgumentException(who + ": edge " + (i % edgeIndex.size(1)) + " has "
                        + (i < edgeIndex.size(1) ? "source " : "target ") + v[i] + ", out of range for "
                        + numNodes + " nodes (valid: 0.." + (numNodes - 1) + ")");
            }
        }
        return edgeIndex.dtype() == DType.I64 && edgeIndex.isContiguous() ? edgeIndex : Tensor.of(v, edgeIndex.shape());
    }

    /** Sources (row 0) as a 1-D i64 tensor. */
    public static Tensor sources(Tensor edgeIndex) {
        return edgeIndex.select(0, 0).contiguous();
    }

    /** Targets (row 1) as a 1-D i64 tensor. */
    public static Tensor targets(Tensor edgeIndex) {
        return edgeIndex.select(0, 1).contiguous();
    }

    /** The edge index with every self-loop {@code (i, i)} removed. */
    public static Tensor removeSelfLoops(Tensor edgeIndex) {
        long[] v = edgeIndex.toLongArray();
        int e = edgeIndex.size(1);
        int kept = 0;
        for (int i = 0; i < e; i++) {
            if (v[i] != v[e + i]) {
                kept++;
            }
        }
        long[] out = new long[2 * kept];
        for (int i = 0, j = 0; i < e; i++) {
            if (v[i] != v[e + i]) {
                out[j] = v[i];
                out[kept + j] = v[e + i];
                j++;
            }
        }
        return Tensor.of(out, 2, kept);
    }

    /** The edge index followed by one self-loop per node {@code (0,0) … (N-1,N-1)}. */
    public static Tensor addSelfLoops(Tensor edgeIndex, int numNodes) {
        long[] v = edgeIndex.toLongArray();
        int e = edgeIndex.size(1);
        long[] out = new long[2 * (e + numNodes)];
        System.arraycopy(v, 0, out, 0, e);
        System.arraycopy(v, e, out, e + numNodes, e);
        for (int i = 0; i < numNodes; i++) {
            out[e + i] = i;
            out[2 * e + numNodes + i] = i;
        }
        return Tensor.of(out, 2, e + numNodes);
    }

    /** Edge index and weights with self-loops added as by {@link #addRemainingSelfLoops}. */
    public record Weighted(Tensor edgeIndex, Tensor weights) {}

    /**
     * PyG's {@code add_remaining_self_loops}: keeps the non-loop edges, keeps an existing self-loop's weight, and adds
     * a loop of weight {@code fill} for every node without one. {@code weights} may be null (all ones).
     */
    public static Weighted addRemainingSelfLoops(Tensor edgeIndex, Tensor weights, double fill, int numNodes) {
        long[] v = edgeIndex.toLongArray();
        int e = edgeIndex.size(1);
        double[] w = weights == null ? null : weights.toDoubleArray();
        double[] loop = new double[numNodes];
        Arrays.fill(loop, fill);
        int kept = 0;
        for (int i = 0; i < e; i++) {
            if (v[i] != v[e + i]) {
                kept++;
            } else if (w != null) {
                loop[(int) v[i]] = w[i];
            }
        }
        int total = kept + numNodes;
        long[] out = new long[2 * total];
        double[] ow = new double[total];
        for (int i = 0, j = 0; i < e; i++) {
            if (v[i] != v[e + i]) {
                out[j] = v[i];
                out[total + j] = v[e + i];
                ow[j] = w == null ? 1 : w[i];
                j++;
            }
        }
        for (int i = 0; i < numNodes; i++) {
            out[kept + i] = i;
            out[total + kept + i] = i;
            ow[kept + i] = loop[i];
        }
        DType dt = weights == null ? DType.F32 : weights.dtype();
        return new Weighted(Tensor.of(out, 2, total), Tensor.of(ow, total).to(dt));
    }

    /** The (weighted) number of edges into each node: {@code deg[i] = Σ_{e: target(e) = i} w_e}. */
    public static double[] inDegree(Tensor edgeIndex, Tensor weights, int numNodes) {
        long[] v = edgeIndex.toLongArray();
        int e = edgeIndex.size(1);
        double[] w = weights == null ? null : weights.toDoubleArray();
        double[] deg = new double[numNodes];
        for (int i = 0; i < e; i++) {
            deg[(int) v[e + i]] += w == null ? 1 : w[i];
        }
        return deg;
    }

    /** An undirected edge index from a list of pairs: both directions of every pair. */
    public static Tensor undirected(long[] a, long[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("undirected: " + a.length + " sources but " + b.length + " targets");
        }
        int n = a.length;
        long[] out = new long[4 * n];
        for (int i = 0; i < n; i++) {
            out[i] = a[i];
            out[n + i] = b[i];
            out[2 * n + i] = b[i];
            out[3 * n + i] = a[i];
        }
        return Tensor.of(out, 2, 2 * n);
    }
}
