package dev.deneb.tensor.cpu;

import dev.deneb.tensor.BinaryOp;

/** f32 comparisons into bool runs: {@code z[i] = a[ao + i*as] OP b[bo + i*bs]} (IEEE rules: NaN compares false,
 *  except NE). */
final class Comparisons {
    private Comparisons() {}

    static void run(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, boolean[] z, int zo, int n) {
        switch (op) {
            case EQ -> { for (int i = 0; i < n; i++) z[zo + i] = a[ao + i * as] == b[bo + i * bs]; }
            case NE -> { for (int i = 0; i < n; i++) z[zo + i] = a[ao + i * as] != b[bo + i * bs]; }
            case LT -> { for (int i = 0; i < n; i++) z[zo + i] = a[ao + i * as] < b[bo + i * bs]; }
            case LE -> { for (int i = 0; i < n; i++) z[zo + i] = a[ao + i * as] <= b[bo + i * bs]; }
            case GT -> { for (int i = 0; i < n; i++) z[zo + i] = a[ao + i * as] > b[bo + i * bs]; }
            case GE -> { for (int i = 0; i < n; i++) z[zo + i] = a[ao + i * as] >= b[bo + i * bs]; }
            default -> throw new IllegalStateException(op + " is not a comparison");
        }
    }
}
