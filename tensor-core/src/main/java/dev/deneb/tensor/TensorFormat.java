package dev.deneb.tensor;

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
        double[] values = t.toDoubleArray();
        int[] shape = t.shape();
        boolean floating = t.dtype().isFloating();
        boolean sci = floating && needsScientific(values);
        int width = 0;
        for (double v : values) {
            width = Math.max(width, cell(v, t.dtype(), sci).length());
        }
        StringBuilder sb = new StringBuilder("tensor(");
        append(sb, values, shape, Shapes.contiguousStrides(shape), 0, 0, t.dtype(), sci, width, summarize, 7);
        return sb.append(", ").append(suffix).append(')').toString();
    }

    private static void append(StringBuilder sb, double[] v, int[] shape, int[] strides, int axis, int base,
                               DType dtype, boolean sci, int width, boolean summarize, int indent) {
        if (axis == shape.length) {
            String c = cell(v[base], dtype, sci);
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
            append(sb, v, shape, strides, axis + 1, base + i * strides[axis], dtype, sci, width, summarize,
                    indent + 1);
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
        return max >= 1e8 || (min < 1e-4 && min > 0) || (max / min > 1e3 && max > 1e3);
    }

    private static String cell(double v, DType dtype, boolean sci) {
        if (dtype == DType.BOOL) {
            return v != 0 ? "true" : "false";
        }
        if (!dtype.isFloating()) {
            return Long.toString((long) v);
        }
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return sci ? String.format("%.4e", v) : String.format("%.4f", v);
    }
}
