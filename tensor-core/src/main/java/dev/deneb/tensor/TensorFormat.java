package dev.deneb.tensor;

import java.util.Locale;

/**
 * Prints tensors the way NumPy does: nested brackets, one aligned column width, and "..." past
 * {@link #THRESHOLD} elements, keeping {@link #EDGE} items at each end of every axis.
 */
final class TensorFormat {
    static final int THRESHOLD = 1000;
    static final int EDGE = 3;

    private TensorFormat() {}

    static String format(Tensor t) {
        String suffix = "shape=" + Shapes.str(t.shape()) + ", dtype=" + t.dtype();
        if (t.numel() == 0) {
            return "tensor([], " + suffix + ")";
        }
        boolean summarize = t.numel() > THRESHOLD;
        boolean floating = t.dtype().isFloating();
        // Integers are read as longs so that i64 values beyond 2^53 print exactly.
        double[] values = floating ? t.toDoubleArray() : null;
        long[] longs = floating ? null : t.toLongArray();
        int[] shape = t.shape();
        boolean sci = floating && needsScientific(values);
        int n = t.numel();
        String[] cells = new String[n];
        int width = 0;
        for (int i = 0; i < n; i++) {
            cells[i] = floating ? cell(values[i], sci) : t.dtype() == DType.BOOL ? (longs[i] != 0 ? "true" : "false")
                    : Long.toString(longs[i]);
            width = Math.max(width, cells[i].length());
        }
        StringBuilder sb = new StringBuilder("tensor(");
        append(sb, cells, shape, Shapes.contiguousStrides(shape), 0, 0, width, summarize, 7);
        return sb.append(", ").append(suffix).append(')').toString();
    }

    private static void append(StringBuilder sb, String[] cells, int[] shape, int[] strides, int axis, int base,
                               int width, boolean summarize, int indent) {
        if (axis == shape.length) {
            String c = cells[base];
            sb.append(" ".repeat(width - c.length())).append(c);
            return;
        }
        sb.append('[');
        int n = shape[axis];
        boolean cut = summarize && n > 2 * EDGE;
        for (int i = 0; i < n; i++) {
            if (cut && i == EDGE) {
                sb.append(axis == shape.length - 1 ? "..., " : "...,\n" + " ".repeat(indent + 1));
                i = n - EDGE;
            }
            append(sb, cells, shape, strides, axis + 1, base + i * strides[axis], width, summarize, indent + 1);
            if (i < n - 1) {
                if (axis == shape.length - 1) {
                    sb.append(", ");
                } else {
                    sb.append(",").append("\n".repeat(shape.length - axis - 1)).append(" ".repeat(indent + 1));
                }
            }
        }
        sb.append(']');
    }

    private static boolean needsScientific(double[] values) {
        double max = 0;
        double min = Double.POSITIVE_INFINITY;
        for (double v : values) {
            if (Double.isFinite(v) && v != 0) {
                max = Math.max(max, Math.abs(v));
                min = Math.min(min, Math.abs(v));
            }
        }
        // NumPy's rule.
        return max >= 1e8 || (min < 1e-4 && min > 0) || max / min > 1e3;
    }

    private static String cell(double v, boolean sci) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return String.format(Locale.ROOT, sci ? "%.4e" : "%.4f", v);
    }
}
