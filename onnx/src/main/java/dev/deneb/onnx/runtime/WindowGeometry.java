package dev.deneb.onnx.runtime;

import java.util.Arrays;

/**
 * The per-axis window settings of a convolution or pooling node: kernel, strides, dilations and the padding at
 * the start and end of each spatial axis, with {@code auto_pad} resolved against the input size.
 */
record WindowGeometry(int[] kernel, int[] strides, int[] dilations, int[] padBegin, int[] padEnd) {

    /**
     * Reads the attributes of {@code c} for an input with spatial sizes {@code in}.
     *
     * @param kernel the kernel size (from the weight, or the pooling node's kernel_shape)
     */
    static WindowGeometry of(OpCall c, int[] in, int[] kernel) {
        int n = in.length;
        int[] strides = spatial(c, "strides", n, 1);
        int[] dilations = spatial(c, "dilations", n, 1);
        int[] begin = new int[n];
        int[] end = new int[n];
        String autoPad = c.stringAttr("auto_pad", "NOTSET");
        switch (autoPad) {
            case "NOTSET" -> {
                int[] pads = c.intsAttrAsInts("pads", new int[2 * n]);
                if (pads.length != 2 * n || Arrays.stream(pads).anyMatch(p -> p < 0)) {
                    throw c.error("pads " + Arrays.toString(pads) + " should be " + 2 * n + " non-negative values"
                            + " (begin and end of each spatial axis)");
                }
                begin = Arrays.copyOfRange(pads, 0, n);
                end = Arrays.copyOfRange(pads, n, 2 * n);
                for (int a = 0; a < n; a++) {
                    // Padding past the kernel's reach only adds outputs that read no input; a file asking for more
                    // would size the output by an attribute alone (ONNX Runtime refuses it for pooling too).
                    int reach = (kernel[a] - 1) * Math.max(1, dilations[a]) + 1;
                    if (begin[a] >= reach || end[a] >= reach) {
                        throw c.error("pads " + Arrays.toString(pads) + " reach past the kernel's extent " + reach
                                + " on spatial axis " + a + "; pads must be smaller than it");
                    }
                }
            }
            case "VALID" -> { }
            case "SAME_UPPER", "SAME_LOWER" -> {
                for (int a = 0; a < n; a++) {
                    int out = Math.ceilDiv(in[a], strides[a]);
                    int total = Math.max(0, (out - 1) * strides[a] + (kernel[a] - 1) * dilations[a] + 1 - in[a]);
                    // The odd element goes at the end for SAME_UPPER, at the start for SAME_LOWER.
                    int small = total / 2;
                    begin[a] = autoPad.equals("SAME_UPPER") ? small : total - small;
                    end[a] = total - begin[a];
                }
            }
            default -> throw c.error("auto_pad '" + autoPad + "' is not one of NOTSET, VALID, SAME_UPPER,"
                    + " SAME_LOWER");
        }
        return new WindowGeometry(kernel, strides, dilations, begin, end);
    }

    /** An INTS attribute with one value per spatial axis, or {@code def} on every axis when absent. */
    static int[] spatial(OpCall c, String name, int n, int def) {
        int[] v = c.intsAttrAsInts(name, null);
        if (v == null) {
            v = new int[n];
            Arrays.fill(v, def);
        }
        if (v.length != n) {
            throw c.error(name + " " + Arrays.toString(v) + " should have " + n + " value" + (n == 1 ? "" : "s")
                    + " (one per spatial axis)");
        }
        return v;
    }

    /** Whether every axis is padded alike at both ends. */
    boolean symmetric() {
        return Arrays.equals(padBegin, padEnd);
    }

    /** Padding amounts for every axis of an {@code [N, C, spatial...]} tensor (none on N and C). */
    int[] fullBegin() {
        return withBatchAndChannel(padBegin);
    }

    int[] fullEnd() {
        return withBatchAndChannel(padEnd);
    }

    private static int[] withBatchAndChannel(int[] p) {
        int[] out = new int[p.length + 2];
        System.arraycopy(p, 0, out, 2, p.length);
        return out;
    }
}
