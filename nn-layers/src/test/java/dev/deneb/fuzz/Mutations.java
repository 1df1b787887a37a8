package dev.deneb.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded mutations of a valid file: every case is reproducible from the seed and its name. Shared with other
 * modules' fuzz tests (the ONNX decoder's) through this module's test jar.
 */
public final class Mutations {
    /** One mutated file: a name that says how it was made, and its bytes. */
    public record Case(String name, byte[] bytes) {}

    /** Bytes that often mean something in a format: zero, all ones, the sign bit, JSON punctuation. */
    private static final byte[] EDGE_BYTES = {0, -1, 0x7f, (byte) 0x80, '"', '{', '\n', ',', (byte) 0xc0};

    private static final String[] NUMBERS = {"-1", "0", "1", "7", "255", "2147483647", "2147483648", "4294967296",
        "9223372036854775807", "9223372036854775808", "18446744073709551615", "99999999999999999999999", "1e3",
        "0.5", "-0", "1E400", "00"};
    private static final String[] STRINGS = {"", "__metadata__", "\\ud800", "\\u00\u0661\u0662", "F16", "BF16", "U8",
        "BOOL", "I64", "X99", "\\u0000", "model.", "optimizer.x", "a\\\"b"};
    private static final String JSON_CHARS = "{}[]\",:-+.eE0123456789 \\utfn\u00e9";

    private final Random random;

    public Mutations(long seed) {
        this.random = new Random(seed);
    }

    /** The file cut at every offset from 0 to its length - 1. */
    public static List<Case> truncations(String seedName, byte[] seed) {
        List<Case> out = new ArrayList<>();
        for (int n = 0; n < seed.length; n++) {
            out.add(new Case(seedName + " cut at " + n, Arrays.copyOf(seed, n)));
        }
        return out;
    }

    /** The file cut at every offset when it is at most {@code count} bytes long, else at {@code count} random ones. */
    public List<Case> truncations(String seedName, byte[] seed, int count) {
        if (seed.length <= count) {
            return truncations(seedName, seed);
        }
        List<Case> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = random.nextInt(seed.length);
            out.add(new Case(seedName + " cut at " + n, Arrays.copyOf(seed, n)));
        }
        return out;
    }

    /** {@code count} files with one to three random bits flipped. */
    public List<Case> bitFlips(String seedName, byte[] seed, int count) {
        List<Case> out = new ArrayList<>();
        for (int i = 0; i < count && seed.length > 0; i++) {
            byte[] b = seed.clone();
            StringBuilder how = new StringBuilder(seedName + " flip");
            for (int k = 0, flips = 1 + random.nextInt(3); k < flips; k++) {
                int at = random.nextInt(b.length);
                int bit = random.nextInt(8);
                b[at] ^= (byte) (1 << bit);
                how.append(' ').append(at).append('.').append(bit);
            }
            out.add(new Case(how.toString(), b));
        }
        return out;
    }

    /** {@code count} files with one byte set to an edge value, a byte inserted or a run of bytes deleted. */
    public List<Case> byteEdits(String seedName, byte[] seed, int count) {
        return byteEdits(seedName, seed, count, EDGE_BYTES);
    }

    /** As {@link #byteEdits(String, byte[], int)} with the format's own edge bytes. */
    public List<Case> byteEdits(String seedName, byte[] seed, int count, byte[] edges) {
        List<Case> out = new ArrayList<>();
        for (int i = 0; i < count && seed.length > 0; i++) {
            int at = random.nextInt(seed.length);
            byte v = edges[random.nextInt(edges.length)];
            byte[] b;
            String how;
            switch (random.nextInt(3)) {
                case 0 -> {
                    b = seed.clone();
                    b[at] = v;
                    how = "set " + at + "=" + v;
                }
                case 1 -> {
                    b = new byte[seed.length + 1];
                    System.arraycopy(seed, 0, b, 0, at);
                    b[at] = v;
                    System.arraycopy(seed, at, b, at + 1, seed.length - at);
                    how = "insert " + at + "=" + v;
                }
                default -> {
                    int len = 1 + random.nextInt(Math.min(16, seed.length - at));
                    b = new byte[seed.length - len];
                    System.arraycopy(seed, 0, b, 0, at);
                    System.arraycopy(seed, at + len, b, at, seed.length - at - len);
                    how = "delete " + at + "+" + len;
                }
            }
            out.add(new Case(seedName + " " + how, b));
        }
        return out;
    }

    /** The integer field at {@code offset} ({@code width} bytes) set to each edge value: huge, negative, zero. */
    static List<Case> fieldValues(String seedName, byte[] seed, int offset, int width, ByteOrder order) {
        long[] values = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0xFFFFFFFFL, 1L << 24, Long.MAX_VALUE,
            Long.MIN_VALUE, (1L << 31) - 9};
        List<Case> out = new ArrayList<>();
        for (long v : values) {
            if (offset + width > seed.length) {
                continue;
            }
            byte[] b = seed.clone();
            ByteBuffer buf = ByteBuffer.wrap(b).order(order);
            if (width == 4) {
                buf.putInt(offset, (int) v);
            } else {
                buf.putLong(offset, v);
            }
            out.add(new Case(seedName + " field@" + offset + "=" + v, b));
        }
        return out;
    }

    /** {@code count} mutations of JSON text: numbers, strings and characters replaced, inserted or deleted. */
    List<String> json(String text, int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String t = text;
            for (int k = 0, edits = 1 + random.nextInt(2); k < edits; k++) {
                t = jsonEdit(t);
            }
            out.add(t);
        }
        return out;
    }

    private String jsonEdit(String t) {
        if (t.isEmpty()) {
            return "{";
        }
        int at = random.nextInt(t.length());
        return switch (random.nextInt(7)) {
            case 0 -> replaceToken(t, at, true);
            case 1 -> replaceToken(t, at, false);
            case 2 -> t.substring(0, at) + JSON_CHARS.charAt(random.nextInt(JSON_CHARS.length())) + t.substring(at);
            case 3 -> t.substring(0, at) + t.substring(at + 1);
            case 4 -> t.substring(0, at);
            case 5 -> t.substring(0, at) + "[".repeat(100) + "]".repeat(100) + t.substring(at);
            default -> {
                int close = t.indexOf('}', at);
                int open = t.lastIndexOf('"', at);
                yield close > 0 && open > 0 && open < close
                        ? t.substring(0, close + 1) + "," + t.substring(open, close + 1) + t.substring(close + 1)
                        : t + t; // a duplicated entry or a doubled document
            }
        };
    }

    /** The number (or string) nearest after {@code at} replaced by an edge value. */
    private String replaceToken(String t, int at, boolean number) {
        if (number) {
            int s = at;
            while (s < t.length() && !Character.isDigit(t.charAt(s))) {
                s++;
            }
            int e = s;
            while (e < t.length() && Character.isDigit(t.charAt(e))) {
                e++;
            }
            return s >= t.length() ? t : t.substring(0, s) + NUMBERS[random.nextInt(NUMBERS.length)] + t.substring(e);
        }
        int s = t.indexOf('"', at);
        int e = s < 0 ? -1 : t.indexOf('"', s + 1);
        return e < 0 ? t : t.substring(0, s + 1) + STRINGS[random.nextInt(STRINGS.length)] + t.substring(e);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    Random random() {
        return random;
    }
}
