package dev.deneb.tensor.cpu;

/**
 * Stable argsort of one row on primitive arrays. Each value becomes a long key whose signed order is the wanted
 * order (NaN above +inf, -0.0 equal to 0.0; complemented for descending order). Keys of 32 bits are packed with
 * their position into one long and sorted with {@link java.util.Arrays#sort(long[])}: the position breaks ties, so
 * the result is stable. 64-bit keys are sorted with a merge sort over positions, which is stable by construction.
 */
final class SortKernels {
    private SortKernels() {}

    /** Scratch arrays for one thread, grown on demand. */
    static final class Scratch {
        long[] keys = new long[0];
        int[] order = new int[0];
        int[] tmp = new int[0];

        void ensure(int n) {
            if (keys.length < n) {
                keys = new long[n];
                order = new int[n];
                tmp = new int[n];
            }
        }
    }

    /** Writes the sorting permutation of {@code a[from .. from+len)} to {@code out[at .. at+len)}. */
    static void argsortRow(Object a, int from, int len, boolean descending, long[] out, int at, Scratch s) {
        s.ensure(len);
        long[] k = s.keys;
        switch (a) {
            case float[] f -> {
                for (int i = 0; i < len; i++) {
                    k[i] = pack(key(f[from + i]), descending, i);
                }
                sortPacked(k, len, out, at);
            }
            case int[] v -> {
                for (int i = 0; i < len; i++) {
                    k[i] = pack(v[from + i], descending, i);
                }
                sortPacked(k, len, out, at);
            }
            case boolean[] b -> {
                for (int i = 0; i < len; i++) {
                    k[i] = pack(b[from + i] ? 1 : 0, descending, i);
                }
                sortPacked(k, len, out, at);
            }
            case double[] d -> {
                for (int i = 0; i < len; i++) {
                    long key = key(d[from + i]);
                    k[i] = descending ? ~key : key;
                }
                mergeSort(k, len, out, at, s);
            }
            case long[] l -> {
                for (int i = 0; i < len; i++) {
                    k[i] = descending ? ~l[from + i] : l[from + i];
                }
                mergeSort(k, len, out, at, s);
            }
            default -> throw new IllegalStateException("argsort: unsupported array " + a.getClass());
        }
    }

    /** A signed int whose order is the float order, NaN largest, -0.0 = 0.0. */
    static int key(float v) {
        int bits = Float.floatToIntBits(v + 0.0f); // + 0.0f turns -0.0 into 0.0; NaNs become one canonical NaN
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    /** A signed long whose order is the double order, NaN largest, -0.0 = 0.0. */
    static long key(double v) {
        long bits = Double.doubleToLongBits(v + 0.0);
        return bits ^ ((bits >> 63) & 0x7fffffffffffffffL);
    }

    private static long pack(int key, boolean descending, int position) {
        return ((long) (descending ? ~key : key) << 32) | position;
    }

    private static void sortPacked(long[] k, int len, long[] out, int at) {
        java.util.Arrays.sort(k, 0, len);
        for (int i = 0; i < len; i++) {
            out[at + i] = k[i] & 0xffffffffL;
        }
    }

    /** Stable bottom-up merge sort of the positions 0..len-1 by {@code keys}. */
    private static void mergeSort(long[] keys, int len, long[] out, int at, Scratch s) {
        int[] a = s.order;
        int[] b = s.tmp;
        for (int i = 0; i < len; i++) {
            a[i] = i;
        }
        // Insertion sort of runs of 16, then merges of doubling width.
        int run = 16;
        for (int lo = 0; lo < len; lo += run) {
            int hi = Math.min(lo + run, len);
            for (int i = lo + 1; i < hi; i++) {
                int p = a[i];
                int j = i - 1;
                while (j >= lo && keys[a[j]] > keys[p]) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = p;
            }
        }
        for (long width = run; width < len; width *= 2) {
            for (long start = 0; start < len; start += 2 * width) {
                int lo = (int) start;
                int mid = (int) Math.min(start + width, len);
                int hi = (int) Math.min(start + 2 * width, len);
                int i = lo;
                int j = mid;
                int o = lo;
                while (i < mid && j < hi) {
                    b[o++] = keys[a[j]] < keys[a[i]] ? a[j++] : a[i++];
                }
                while (i < mid) {
                    b[o++] = a[i++];
                }
                while (j < hi) {
                    b[o++] = a[j++];
                }
            }
            int[] t = a;
            a = b;
            b = t;
        }
        for (int i = 0; i < len; i++) {
            out[at + i] = a[i];
        }
    }
}
