package dev.deneb.tensor.cpu;

/** Dtype conversions between contiguous runs, for the pairs training loops use (masks, labels, precision). */
final class Casts {
    private Casts() {}

    /** Converts {@code n} elements; returns false when this pair of array types has no fast path here. */
    static boolean copy(Object src, int so, Object dst, int d, int n) {
        switch (src) {
            case boolean[] s when dst instanceof float[] t -> { for (int i = 0; i < n; i++) t[d + i] = s[so + i] ? 1f : 0f; }
            case boolean[] s when dst instanceof long[] t -> { for (int i = 0; i < n; i++) t[d + i] = s[so + i] ? 1 : 0; }
            case boolean[] s when dst instanceof double[] t -> { for (int i = 0; i < n; i++) t[d + i] = s[so + i] ? 1 : 0; }
            case float[] s when dst instanceof boolean[] t -> { for (int i = 0; i < n; i++) t[d + i] = s[so + i] != 0; }
            case float[] s when dst instanceof double[] t -> { for (int i = 0; i < n; i++) t[d + i] = s[so + i]; }
            case float[] s when dst instanceof long[] t -> { for (int i = 0; i < n; i++) t[d + i] = (long) s[so + i]; }
            case double[] s when dst instanceof float[] t -> { for (int i = 0; i < n; i++) t[d + i] = (float) s[so + i]; }
            case long[] s when dst instanceof float[] t -> { for (int i = 0; i < n; i++) t[d + i] = s[so + i]; }
            case long[] s when dst instanceof int[] t -> { for (int i = 0; i < n; i++) t[d + i] = (int) s[so + i]; }
            case long[] s when dst instanceof long[] t -> System.arraycopy(s, so, t, d, n);
            case int[] s when dst instanceof long[] t -> { for (int i = 0; i < n; i++) t[d + i] = s[so + i]; }
            case int[] s when dst instanceof float[] t -> { for (int i = 0; i < n; i++) t[d + i] = s[so + i]; }
            case boolean[] s when dst instanceof boolean[] t -> System.arraycopy(s, so, t, d, n);
            default -> {
                return false;
            }
        }
        return true;
    }
}
