package dev.deneb.tensor.cpu;

/**
 * The fused f32 GRU step ({@link dev.deneb.tensor.GruPointwise}) on contiguous rows: one row of each gate block
 * {@code [3H]} and of each state {@code [H]} per batch item. The composed form makes about ten passes over memory and
 * allocates as many tensors per step (more backward); this makes two passes forward and one backward.
 *
 * <p>Each vector loop is its own small method in {@link GruVectorRuns}, with the scalar twin and tail here; see
 * {@link #gates} for why the forward step's two passes are separate calls.
 */
final class GruKernels {
    private GruKernels() {}

    /**
     * The forward step's first pass, rows {@code [r0, r1)}: {@code act[:, 0:2H] = σ(gi[:, 0:2H] + gh[:, 0:2H])}
     * (r and z). Inputs start at the given offsets; {@code act} ({@code [B, 3H]}) at 0.
     *
     * <p>The two passes must run as separate calls from a call site C2 cannot inline through (each its own
     * {@link Parallel#range}): compiled into one method, a sigmoid loop and a tanh loop exceed C2's inlining node
     * budget, the innermost vector helpers are left out of line, and every vector is boxed (measured 3× to 30×
     * slower).
     */
    static void gates(int r0, int r1, int hs, float[] gi, int giOff, float[] gh, int ghOff, float[] act) {
        for (int r = r0; r < r1; r++) {
            int i0 = giOff + r * 3 * hs;
            int h0 = ghOff + r * 3 * hs;
            int a = r * 3 * hs;
            int j = FloatRuns.VECTOR ? GruVectorRuns.gatesRun(2 * hs, gi, i0, gh, h0, act, a) : 0;
            for (; j < 2 * hs; j++) {
                act[a + j] = sigmoid(gi[i0 + j] + gh[h0 + j]);
            }
        }
    }

    /**
     * The second pass, rows {@code [r0, r1)}: {@code n = tanh(gi_n + r·gh_n)} into {@code act[:, 2H:3H]} and
     * {@code h' = n + z·(h − n)} into {@code hy} ({@code [B, H]}, at 0), from the r and z of {@link #gates}.
     */
    static void newState(int r0, int r1, int hs, float[] gi, int giOff, float[] gh, int ghOff, float[] hp,
                         int hpOff, float[] act, float[] hy) {
        for (int r = r0; r < r1; r++) {
            int i0 = giOff + r * 3 * hs;
            int h0 = ghOff + r * 3 * hs;
            int a = r * 3 * hs;
            int s = r * hs;
            int j = FloatRuns.VECTOR ? GruVectorRuns.newStateRun(hs, gi, i0, gh, h0, hp, hpOff + s, act, a, hy, s) : 0;
            for (; j < hs; j++) {
                float n = (float) Math.tanh(gi[i0 + 2 * hs + j] + act[a + j] * gh[h0 + 2 * hs + j]);
                float h = hp[hpOff + s + j];
                act[a + 2 * hs + j] = n;
                hy[s + j] = (h - n) * act[a + hs + j] + n;
            }
        }
    }

    /**
     * Row {@code r} of the backward step, with {@code g = dh'}:
     * {@code dn = (g − g·z)·(1 − n²)}, {@code dz = g·(h − n)·z·(1 − z)}, {@code dr = dn·gh_n·r·(1 − r)};
     * {@code dGi = [dr, dz, dn]}, {@code dGh = [dr, dz, dn·r]}, {@code dhPrev = g·z}. Inputs start at the given
     * offsets (for {@code gh}, of its whole {@code [B, 3H]}); the outputs at 0.
     */
    static void backward(int r0, int r1, int hs, float[] act, int aOff, float[] gh, int ghOff, float[] hp,
                         int hpOff, float[] dh, int dhOff, float[] dGi, float[] dGh, float[] dhPrev) {
        for (int r = r0; r < r1; r++) {
            backwardRow(r, hs, act, aOff, gh, ghOff, hp, hpOff, dh, dhOff, dGi, dGh, dhPrev);
        }
    }

    private static void backwardRow(int r, int hs, float[] act, int aOff, float[] gh, int ghOff, float[] hp, int hpOff,
                            float[] dh, int dhOff, float[] dGi, float[] dGh, float[] dhPrev) {
        int a = aOff + r * 3 * hs;
        int g = ghOff + r * 3 * hs + 2 * hs;
        int d = r * 3 * hs;
        int s = r * hs;
        int j = FloatRuns.VECTOR
                ? GruVectorRuns.backwardRun(hs, act, a, gh, g, hp, hpOff + s, dh, dhOff + s, dGi, dGh, d, dhPrev, s) : 0;
        for (; j < hs; j++) {
            float rg = act[a + j];
            float zg = act[a + hs + j];
            float n = act[a + 2 * hs + j];
            float gy = dh[dhOff + s + j];
            float dz = gy * (hp[hpOff + s + j] - n) * zg * (1 - zg);
            float dn = (gy - gy * zg) * (1 - n * n);
            float dr = dn * gh[g + j] * rg * (1 - rg);
            dGi[d + j] = dr;
            dGi[d + hs + j] = dz;
            dGi[d + 2 * hs + j] = dn;
            dGh[d + j] = dr;
            dGh[d + hs + j] = dz;
            dGh[d + 2 * hs + j] = dn * rg;
            dhPrev[s + j] = gy * zg;
        }
    }

    /** As {@code unary(SIGMOID)}'s scalar path. */
    private static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }
}
