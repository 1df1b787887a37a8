package dev.deneb.tensor.cpu;

/**
 * The fused f32 LSTM step ({@link dev.deneb.tensor.LstmPointwise}) on contiguous rows: one row of gates
 * {@code [4H]} and of each state {@code [H]} per batch item. The composed form makes about ten passes over memory and
 * allocates as many tensors per step; this makes two passes forward and one backward. The vector bodies are in
 * {@link LstmVectorRuns}; the loops here are their scalar twins and tails.
 */
final class LstmKernels {
    private LstmKernels() {}

    /**
     * Row {@code r}: activations into {@code act}, then {@code c = f·cPrev + i·g}, {@code tc = tanh c},
     * {@code h = o·tc}. All arrays are contiguous {@code [B, 4H]} or {@code [B, H]} starting at the given offsets.
     */
    static void forwardRow(int r, int hs, float[] gates, int gOff, float[] cPrev, int cpOff,
                           float[] act, float[] c, float[] tc, float[] h) {
        int g = gOff + r * 4 * hs;
        int a = r * 4 * hs;
        FloatRuns.sigmoid(gates, g, act, a, 2 * hs);
        FloatRuns.tanh(gates, g + 2 * hs, act, a + 2 * hs, hs);
        FloatRuns.sigmoid(gates, g + 3 * hs, act, a + 3 * hs, hs);
        int s = r * hs;
        int j = FloatRuns.VECTOR ? LstmVectorRuns.combineRun(hs, act, a, cPrev, cpOff + s, c, tc, h, s) : 0;
        for (; j < hs; j++) {
            float cn = act[a + hs + j] * cPrev[cpOff + s + j] + act[a + j] * act[a + 2 * hs + j];
            float t = (float) Math.tanh(cn);
            c[s + j] = cn;
            tc[s + j] = t;
            h[s + j] = act[a + 3 * hs + j] * t;
        }
    }

    /**
     * Row {@code r} of the backward step: {@code dc = gradCell + gradHidden·o·(1 − tc²)}, then the four gate
     * gradients (through σ' = y(1 − y) and tanh' = 1 − y²) into {@code dGates} and {@code dc·f} into
     * {@code dcPrev}. Offsets as in {@link #forwardRow}; the outputs start at 0.
     */
    static void backwardRow(int r, int hs, float[] act, int aOff, float[] cPrev, int cpOff, float[] tc, int tcOff,
                            float[] dh, int dhOff, float[] dcIn, int dcOff, float[] dGates, float[] dcPrev) {
        int a = aOff + r * 4 * hs;
        int d = r * 4 * hs;
        int s = r * hs;
        int j = FloatRuns.VECTOR ? LstmVectorRuns.backwardRun(hs, act, a, cPrev, cpOff + s, tc, tcOff + s, dh, dhOff + s,
                dcIn, dcOff + s, dGates, d, dcPrev, s) : 0;
        for (; j < hs; j++) {
            float i = act[a + j];
            float f = act[a + hs + j];
            float g = act[a + 2 * hs + j];
            float o = act[a + 3 * hs + j];
            float t = tc[tcOff + s + j];
            float gh = dh[dhOff + s + j];
            float dc = dcIn[dcOff + s + j] + gh * o * (1 - t * t);
            dGates[d + j] = dc * g * (i * (1 - i));
            dGates[d + hs + j] = dc * cPrev[cpOff + s + j] * (f * (1 - f));
            dGates[d + 2 * hs + j] = dc * i * (1 - g * g);
            dGates[d + 3 * hs + j] = gh * t * (o * (1 - o));
            dcPrev[s + j] = dc * f;
        }
    }
}
