package dev.deneb.data;

import java.util.Arrays;

/** The content of an IDX file of unsigned bytes: its dimensions and its data in row-major order. */
public record IdxArray(int[] dims, byte[] data) {
    /** Element {@code i} as an unsigned value 0..255. */
    public int unsigned(int i) {
        return data[i] & 0xFF;
    }

    @Override
    public String toString() {
        return "IdxArray(dims " + Arrays.toString(dims) + ")";
    }
}
