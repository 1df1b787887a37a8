package dev.deneb.onnx.proto;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the length prefixes and varint values of an encoded message lie, found by parsing every length-delimited
 * payload that parses as a message: the places a fuzzer overwrites with edge values.
 */
final class WireLayout {
    /** A varint at {@code offset}, {@code width} bytes long; {@code isLength} for a length prefix. */
    record Varint(int offset, int width, boolean isLength) {}

    private WireLayout() {}

    static List<Varint> varints(byte[] b) {
        List<Varint> out = new ArrayList<>();
        walk(b, 0, b.length, 0, out);
        return out;
    }

    private static void walk(byte[] b, int start, int end, int depth, List<Varint> out) {
        List<Varint> found = new ArrayList<>();
        List<int[]> payloads = new ArrayList<>();
        int pos = start;
        while (pos < end) {
            long[] tag = read(b, pos, end);
            if (tag == null) {
                return;
            }
            pos = (int) tag[1];
            switch ((int) (tag[0] & 7)) {
                case 0 -> {
                    long[] v = read(b, pos, end);
                    if (v == null) {
                        return;
                    }
                    found.add(new Varint(pos, (int) v[1] - pos, false));
                    pos = (int) v[1];
                }
                case 1 -> pos += 8;
                case 5 -> pos += 4;
                case 2 -> {
                    long[] v = read(b, pos, end);
                    if (v == null || v[0] < 0 || v[0] > end - v[1]) {
                        return;
                    }
                    found.add(new Varint(pos, (int) v[1] - pos, true));
                    payloads.add(new int[] {(int) v[1], (int) (v[1] + v[0])});
                    pos = (int) (v[1] + v[0]);
                }
                default -> {
                    return;
                }
            }
        }
        if (pos != end) {
            return;
        }
        out.addAll(found);
        if (depth < 100) {
            for (int[] p : payloads) {
                walk(b, p[0], p[1], depth + 1, out);
            }
        }
    }

    /** {value, position after} of the varint at pos, or null. */
    private static long[] read(byte[] b, int pos, int end) {
        long v = 0;
        for (int i = 0; i < 10 && pos < end; i++) {
            byte x = b[pos++];
            v |= (long) (x & 0x7F) << (7 * i);
            if (x >= 0) {
                return new long[] {v, pos};
            }
        }
        return null;
    }

    /** {@code b} with the varint at {@code at} replaced by {@code replacement}'s bytes. */
    static byte[] splice(byte[] b, Varint at, byte[] replacement) {
        byte[] out = new byte[b.length - at.width() + replacement.length];
        System.arraycopy(b, 0, out, 0, at.offset());
        System.arraycopy(replacement, 0, out, at.offset(), replacement.length);
        System.arraycopy(b, at.offset() + at.width(), out, at.offset() + replacement.length,
                b.length - at.offset() - at.width());
        return out;
    }
}
