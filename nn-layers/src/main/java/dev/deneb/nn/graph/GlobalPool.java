package dev.deneb.nn.graph;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;

/**
 * Graph-level readouts over a batch vector, as PyG's {@code global_mean_pool} / {@code global_max_pool} /
 * {@code global_add_pool}: several graphs are stacked into one node set {@code x [N, F]}, and {@code batch [N]} says
 * which graph (0..G-1) each node belongs to. The result is {@code [G, F]}; an empty graph gives 0.
 */
public final class GlobalPool {
    private GlobalPool() {}

    public static Tensor add(Tensor x, Tensor batch, int numGraphs) {
        check("globalAddPool", x, batch, numGraphs);
        return Scatter.sum(x, batch, numGraphs);
    }

    public static Tensor mean(Tensor x, Tensor batch, int numGraphs) {
        check("globalMeanPool", x, batch, numGraphs);
        return Scatter.mean(x, batch, numGraphs);
    }

    public static Tensor max(Tensor x, Tensor batch, int numGraphs) {
        check("globalMaxPool", x, batch, numGraphs);
        return Scatter.max(x, batch, numGraphs);
    }

    /** With the number of graphs taken as {@code max(batch) + 1} (a null batch means one graph). */
    public static Tensor add(Tensor x, Tensor batch) { return add(x, orOne(x, batch), numGraphs(batch)); }

    public static Tensor mean(Tensor x, Tensor batch) { return mean(x, orOne(x, batch), numGraphs(batch)); }

    public static Tensor max(Tensor x, Tensor batch) { return max(x, orOne(x, batch), numGraphs(batch)); }

    /** {@code max(batch) + 1}, or 1 for a null batch. */
    public static int numGraphs(Tensor batch) {
        if (batch == null) {
            return 1;
        }
        long m = -1;
        for (long b : batch.toLongArray()) {
            m = Math.max(m, b);
        }
        return (int) m + 1;
    }

    private static Tensor orOne(Tensor x, Tensor batch) {
        return batch != null ? batch : Tensor.zeros(DType.I64, x.size(0));
    }

    private static void check(String who, Tensor x, Tensor batch, int numGraphs) {
        if (x.dim() != 2) {
            throw new IllegalArgumentException(who + ": expected node features [N, F], got "
                    + Arrays.toString(x.shape()));
        }
        if (batch.dtype() != DType.I64 && batch.dtype() != DType.I32) {
            throw new IllegalArgumentException(who + ": the batch vector must be i64 or i32, got " + batch.dtype());
        }
        if (batch.dim() != 1 || batch.numel() != x.size(0)) {
            throw new IllegalArgumentException(who + ": the batch vector must be 1-D with one entry per node ("
                    + x.size(0) + "), got shape " + Arrays.toString(batch.shape()));
        }
        for (long b : batch.toLongArray()) {
            if (b < 0 || b >= numGraphs) {
                throw new IllegalArgumentException(who + ": batch entry " + b + " out of range for " + numGraphs
                        + " graphs");
            }
        }
    }
}
