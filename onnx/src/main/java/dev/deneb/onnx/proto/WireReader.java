package dev.deneb.onnx.proto;

import dev.deneb.onnx.OnnxException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Reads the protobuf wire format from a byte array. Every declared length is checked against the bytes left in the
 * enclosing message before anything is allocated, varints longer than 10 bytes are refused, and messages may nest
 * at most {@link #MAX_DEPTH} deep (GRAPH attributes hold graphs that hold nodes with GRAPH attributes…), so a
 * corrupt or hostile file fails with an {@link OnnxException} instead of an exception from the array, a huge
 * allocation or a stack overflow. Errors name the path of fields from the root and the byte offset.
 *
 * <p>Nested messages are read in place: {@link #message} narrows the readable range to the message and restores it
 * afterwards, so reading a message allocates nothing.
 */
final class WireReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LEN = 2;
    static final int START_GROUP = 3;
    static final int END_GROUP = 4;
    static final int FIXED32 = 5;
    /** The deepest nesting of messages accepted; ONNX models need about 7 levels plus 3 per nested subgraph. */
    static final int MAX_DEPTH = 64;
    private static final long MAX_FIELD = (1L << 29) - 1;

    private final byte[] buf;
    private int pos;
    private int limit;
    private int depth;
    private final String[] path = new String[MAX_DEPTH + 1];

    /** A reader of all of {@code buf}, a message whose fields are named from {@code root} in errors. */
    WireReader(byte[] buf, String root) {
        this.buf = buf;
        this.limit = buf.length;
        path[0] = root;
    }

    static int field(int tag) {
        return tag >>> 3;
    }

    static int wireType(int tag) {
        return tag & 7;
    }

    /** Whether the current message has bytes left. */
    boolean more() {
        return pos < limit;
    }

    /** The next field's tag: a valid field number and one of the wire types ONNX can use (groups are refused). */
    int tag() {
        int at = pos;
        long t = varint(null);
        long field = t >>> 3;
        int wire = (int) (t & 7);
        if (field == 0 || field > MAX_FIELD) {
            throw error(at, "invalid field number " + field);
        }
        if (wire == START_GROUP || wire == END_GROUP) {
            throw error(at, "field " + field + " is a protobuf group (wire type " + wire + "), which ONNX never uses");
        }
        if (wire > FIXED32) {
            throw error(at, "field " + field + " has invalid wire type " + wire);
        }
        return (int) t;
    }

    /** A varint field (int64, uint64, enum). */
    long int64(int tag, String name) {
        expect(tag, VARINT, name);
        return varint(name);
    }

    /** A varint field of type int32: the low 32 bits, as protobuf defines. */
    int int32(int tag, String name) {
        return (int) int64(tag, name);
    }

    /** A fixed32 field of type float. */
    float float32(int tag, String name) {
        expect(tag, FIXED32, name);
        return Float.intBitsToFloat(fixed32(name));
    }

    /** A bytes field: a copy of its content. */
    byte[] bytes(int tag, String name) {
        expect(tag, LEN, name);
        int n = length(name);
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    /** A string field, decoded as UTF-8 (malformed sequences become U+FFFD). */
    String string(int tag, String name) {
        expect(tag, LEN, name);
        int n = length(name);
        if (n == 0) {
            return "";
        }
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    /** A message field, read by {@code body} within the message's bytes, one level deeper. */
    <T> T message(int tag, String name, Function<WireReader, T> body) {
        expect(tag, LEN, name);
        int n = length(name);
        if (depth == MAX_DEPTH) {
            throw error(pos, name + ": messages nest deeper than " + MAX_DEPTH
                    + " levels (GRAPH attributes nested too deep?)");
        }
        int saved = limit;
        limit = pos + n;
        path[++depth] = name;
        T value = body.apply(this);
        if (pos != limit) {
            throw new IllegalStateException("message " + name + " not read to its end");
        }
        path[depth--] = null;
        limit = saved;
        return value;
    }

    /** A repeated varint field, packed (one length-delimited run) or not (one value per tag): appends to out. */
    void varints(int tag, String name, LongList out) {
        if (wireType(tag) != LEN) {
            out.add(int64(tag, name));
            return;
        }
        int n = length(name);
        int end = pos + n;
        int count = 0;
        for (int i = pos; i < end; i++) {
            if (buf[i] >= 0) {
                count++; // one value ends at each byte without the continuation bit
            }
        }
        out.reserve(count);
        int saved = limit;
        limit = end; // a varint running past the run is truncated
        while (pos < end) {
            out.add(varint(name));
        }
        limit = saved;
    }

    /** A repeated fixed32 field (float), packed or not: appends the raw bits to out. */
    void fixed32s(int tag, String name, LongList out) {
        repeatedFixed(tag, name, out, 4);
    }

    /** A repeated fixed64 field (double), packed or not: appends the raw bits to out. */
    void fixed64s(int tag, String name, LongList out) {
        repeatedFixed(tag, name, out, 8);
    }

    private void repeatedFixed(int tag, String name, LongList out, int width) {
        int wire = width == 4 ? FIXED32 : FIXED64;
        if (wireType(tag) != LEN) {
            expect(tag, wire, name);
            out.add(width == 4 ? fixed32(name) : fixed64(name));
            return;
        }
        int n = length(name);
        if (n % width != 0) {
            throw error(pos, name + ": packed run of " + n + " bytes is not a whole number of " + width
                    + "-byte values");
        }
        out.reserve(n / width);
        for (int end = pos + n; pos < end; ) {
            out.add(width == 4 ? fixed32(name) : fixed64(name));
        }
    }

    /** Skips a field this decoder does not read, whatever its wire type. */
    void skip(int tag) {
        switch (wireType(tag)) {
            case VARINT -> varint(null);
            case FIXED64 -> advance(8, null);
            case FIXED32 -> advance(4, null);
            case LEN -> advance(length(null), null);
            default -> throw new IllegalStateException("tag() refuses wire type " + wireType(tag));
        }
    }

    /** An error at the current position, for checks of the decoded values. */
    OnnxException error(String message) {
        return error(pos, message);
    }

    private OnnxException error(int at, String message) {
        StringBuilder where = new StringBuilder(path[0]);
        for (int i = 1; i <= depth; i++) {
            where.append('.').append(path[i]);
        }
        return new OnnxException(where + " (byte " + at + "): " + message);
    }

    private void expect(int tag, int wire, String name) {
        if (wireType(tag) != wire) {
            throw error(pos, name + " (field " + field(tag) + ") has wire type " + wireType(tag) + ", expected "
                    + wire + " (" + wireName(wire) + ")");
        }
    }

    private static String wireName(int wire) {
        return switch (wire) {
            case VARINT -> "varint";
            case FIXED64 -> "fixed64";
            case LEN -> "length-delimited";
            case FIXED32 -> "fixed32";
            default -> "group";
        };
    }

    private long varint(String name) {
        int at = pos;
        long v = 0;
        for (int i = 0; i < 10; i++) {
            if (pos >= limit) {
                throw error(at, label(name) + "truncated varint (" + (limit - at) + " bytes left)");
            }
            byte b = buf[pos++];
            if (i == 9 && (b & 0xFF) > 1) {
                break;
            }
            v |= (long) (b & 0x7F) << (7 * i);
            if (b >= 0) {
                return v;
            }
        }
        throw error(at, label(name) + "malformed varint (longer than 10 bytes or over 64 bits)");
    }

    /** A length prefix, checked against the bytes left in the current message. */
    private int length(String name) {
        int at = pos;
        long n = varint(name);
        if (n < 0 || n > limit - pos) {
            throw error(at, label(name) + "declared length " + Long.toUnsignedString(n) + " exceeds the "
                    + (limit - pos) + " bytes left");
        }
        return (int) n;
    }

    private int fixed32(String name) {
        int at = pos;
        advance(4, name);
        return (buf[at] & 0xFF) | (buf[at + 1] & 0xFF) << 8 | (buf[at + 2] & 0xFF) << 16 | (buf[at + 3] & 0xFF) << 24;
    }

    private long fixed64(String name) {
        long lo = fixed32(name) & 0xFFFFFFFFL;
        long hi = fixed32(name) & 0xFFFFFFFFL;
        return lo | hi << 32;
    }

    private void advance(int n, String name) {
        if (n > limit - pos) {
            throw error(pos, label(name) + "needs " + n + " bytes, " + (limit - pos) + " left");
        }
        pos += n;
    }

    private static String label(String name) {
        return name == null ? "" : name + ": ";
    }
}
