package dev.deneb.tensor.cpu;

/**
 * The fused f32 backward step of softmax ({@link dev.deneb.tensor.SoftmaxGrad}) on one contiguous row of length n:
 * one reduction pass, one writing pass, nothing allocated. The composed form allocates three tensors the size of the
 * input. The vector bodies are in {@link SoftmaxVectorRuns}; the loops here are their scalar twins and tails.
 */
final class SoftmaxKernels {
    private SoftmaxKernels() {}

    /** {@code dx = y·(g − Σ g·y)}, or for log-softmax {@code dx = g − e^y·Σ g}, for one row. */
    static void backwardRow(float[] g, int gOff, float[] y, int yOff, int n, boolean log, float[] dx, int dOff) {
        if (log) {
            float s = FloatRuns.sum(g, gOff, n);
            int j = FloatRuns.VECTOR ? SoftmaxVectorRuns.logRun(g, gOff, y, yOff, n, s, dx, dOff) : 0;
            for (; j < n; j++) {
                dx[dOff + j] = g[gOff + j] - (float) Math.exp(y[yOff + j]) * s;
            }
        } else {
            float s = dot(g, gOff, y, yOff, n);
            int j = FloatRuns.VECTOR ? SoftmaxVectorRuns.run(g, gOff, y, yOff, n, s, dx, dOff) : 0;
            for (; j < n; j++) {
                dx[dOff + j] = y[yOff + j] * (g[gOff + j] - s);
            }
        }
    }

    /** Σ g·y over the row, in double across vector blocks so a long row keeps its precision. */
    private static float dot(float[] g, int gOff, float[] y, int yOff, int n) {
        int j = 0;
        double total = 0;
        if (FloatRuns.VECTOR) {
            j = n / FloatRuns.LANES * FloatRuns.LANES;
            total = SoftmaxVectorRuns.dot(g, gOff, y, yOff, j);
        }
        for (; j < n; j++) {
            total += g[gOff + j] * y[yOff + j];
        }
        return (float) total;
    }
}
