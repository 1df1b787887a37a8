package dev.deneb.nn.attention;

import dev.deneb.nn.Functional;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;

/** What both positional encodings do with their table: check the input, add the first T rows, apply dropout. */
final class PositionTable {
    private PositionTable() {}

    /**
     * {@code x + table[:T]} then dropout, for x {@code [B, T, d]} (batchFirst), {@code [T, B, d]} or {@code [T, d]};
     * {@code table} is {@code [maxLen, d]}.
     */
    static Tensor add(String layer, Tensor x, Tensor table, boolean batchFirst, double dropout, boolean training,
                        Generator generator) {
        int maxLen = table.size(0);
        int dModel = table.size(1);
        if (x.dim() < 2 || x.dim() > 3 || x.size(-1) != dModel) {
            throw new IllegalArgumentException(layer + ": expected input [.., T, " + dModel + "] of rank 2 or 3, got "
                    + Arrays.toString(x.shape()));
        }
        Functional.checkDType(layer, x, table);
        int t = x.size(x.dim() == 3 && batchFirst ? 1 : 0);
        if (t > maxLen) {
            throw new IllegalArgumentException(layer + ": sequence length " + t + " exceeds maxLen " + maxLen);
        }
        Tensor pe = table.narrow(0, 0, t);
        if (x.dim() == 3 && !batchFirst) {
            pe = pe.unsqueeze(1);
        }
        return Functional.dropout(x.add(pe), dropout, training, generator);
    }
}
