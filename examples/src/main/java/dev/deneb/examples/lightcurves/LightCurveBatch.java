package dev.deneb.examples.lightcurves;

import dev.deneb.tensor.Tensor;

/**
 * A mini-batch of stars.
 *
 * @param sequences  {@code [B, T, STEP_FEATURES]}, zero past each star's length (T = the longest in the batch)
 * @param lengths    steps per star
 * @param padding    BOOL {@code [B, T]}, true past each star's length (a key-padding mask)
 * @param valid      f32 {@code [B, T, 1]}, 1 within each star's length
 * @param folded     {@code [B, 2, 32]} phase-folded curves
 * @param statics    {@code [B, STATIC_FEATURES]} standardised static features
 * @param labels     i64 {@code [B]}
 */
public record LightCurveBatch(Tensor sequences, int[] lengths, Tensor padding, Tensor valid, Tensor folded,
                              Tensor statics, Tensor labels) {

    /** The stars {@code index[from..to)} of {@code data}; static features standardised with {@code moments}. */
    public static LightCurveBatch of(LightCurves data, int[] index, int from, int to, double[][] moments) {
        int b = to - from;
        int t = 1;
        for (int i = from; i < to; i++) {
            t = Math.max(t, data.lengths[index[i]]);
        }
        int f = LightCurves.STEP_FEATURES;
        float[] seq = new float[b * t * f];
        boolean[] pad = new boolean[b * t];
        float[] valid = new float[b * t];
        float[] fold = new float[b * 2 * LightCurves.FOLD_BINS];
        float[] stat = new float[b * LightCurves.STATIC_FEATURES];
        long[] labels = new long[b];
        int[] lengths = new int[b];
        for (int j = 0; j < b; j++) {
            int s = index[from + j];
            int len = data.lengths[s];
            lengths[j] = len;
            System.arraycopy(data.sequences[s], 0, seq, j * t * f, len * f);
            for (int k = 0; k < t; k++) {
                pad[j * t + k] = k >= len;
                valid[j * t + k] = k < len ? 1f : 0f;
            }
            System.arraycopy(data.folded[s], 0, fold, j * 2 * LightCurves.FOLD_BINS, 2 * LightCurves.FOLD_BINS);
            for (int q = 0; q < LightCurves.STATIC_FEATURES; q++) {
                stat[j * LightCurves.STATIC_FEATURES + q] = (float) ((data.statics[s][q] - moments[0][q]) / moments[1][q]);
            }
            labels[j] = data.labels[s];
        }
        return new LightCurveBatch(Tensor.of(seq, b, t, f), lengths, Tensor.of(pad, b, t), Tensor.of(valid, b, t, 1),
                Tensor.of(fold, b, 2, LightCurves.FOLD_BINS), Tensor.of(stat, b, LightCurves.STATIC_FEATURES),
                Tensor.of(labels, b));
    }

    public int size() {
        return lengths.length;
    }
}
