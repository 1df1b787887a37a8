package dev.deneb.nn.attention;

import dev.deneb.nn.Layer;
import dev.deneb.nn.OptionChecks;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;

/**
 * Adds the fixed encodings of "Attention is all you need": {@code PE[p, 2i] = sin(p / 10000^(2i/d))},
 * {@code PE[p, 2i+1] = cos(…)}, then dropout. No parameters and nothing in the state dict (the table is recomputed).
 * Input {@code [B, T, d]} ({@code batchFirst}), {@code [T, B, d]} or {@code [T, d]}.
 */
public final class SinusoidalPositionalEncoding extends Layer {
    public final int dModel;
    public final int maxLen;
    public final boolean batchFirst;
    public final double dropout;
    private final Tensor table;
    private final Generator generator;

    public SinusoidalPositionalEncoding(int dModel, int maxLen) {
        this(dModel, maxLen, PositionalEncodingOptions.defaults());
    }

    public SinusoidalPositionalEncoding(int dModel, int maxLen, PositionalEncodingOptions options) {
        OptionChecks.requireOptions("SinusoidalPositionalEncoding", options);
        if (dModel < 1 || maxLen < 1) {
            throw new IllegalArgumentException("SinusoidalPositionalEncoding: dModel and maxLen must be >= 1, got "
                    + dModel + ", " + maxLen);
        }
        this.dModel = dModel;
        this.maxLen = maxLen;
        this.dropout = options.dropout();
        this.batchFirst = options.batchFirst();
        this.generator = options.generator();
        this.table = table(maxLen, dModel);
    }

    /** The {@code [maxLen, dModel]} table. */
    public static Tensor table(int maxLen, int dModel) {
        float[] pe = new float[maxLen * dModel];
        for (int p = 0; p < maxLen; p++) {
            for (int i = 0; i < dModel; i += 2) {
                double angle = p * Math.exp(-Math.log(10000.0) * i / dModel);
                pe[p * dModel + i] = (float) Math.sin(angle);
                if (i + 1 < dModel) {
                    pe[p * dModel + i + 1] = (float) Math.cos(angle);
                }
            }
        }
        return Tensor.of(pe, maxLen, dModel);
    }

    @Override
    public Tensor forward(Tensor x) {
        return PositionTable.add("SinusoidalPositionalEncoding", x, (table.to(x.dtype()).to(x.backend())), batchFirst, dropout, isTraining(), generator);
    }

    @Override
    protected String describe() {
        return "dModel=" + dModel + ", maxLen=" + maxLen + ", dropout=" + dropout;
    }
}
