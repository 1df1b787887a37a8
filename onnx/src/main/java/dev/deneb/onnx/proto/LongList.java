package dev.deneb.onnx.proto;

import java.util.Arrays;

/** A growable list of primitive longs, for repeated numeric fields whose count is known only at the end. */
final class LongList {
    private long[] values = new long[0];
    private int size;

    int size() {
        return size;
    }

    long get(int i) {
        return values[i];
    }

    void add(long v) {
        reserve(1);
        values[size++] = v;
    }

    /** Makes room for {@code more} values; the caller has checked that the input holds that many. */
    void reserve(int more) {
        long need = (long) size + more;
        if (need > values.length) {
            long grown = Math.max(need, 2L * values.length);
            values = Arrays.copyOf(values, (int) Math.min(grown, Integer.MAX_VALUE - 8));
        }
    }

    long[] toArray() {
        return Arrays.copyOf(values, size);
    }

    float[] toFloatArray() {
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            out[i] = Float.intBitsToFloat((int) values[i]);
        }
        return out;
    }
}
