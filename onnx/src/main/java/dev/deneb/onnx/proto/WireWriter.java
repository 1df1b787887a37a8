package dev.deneb.onnx.proto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * Writes the protobuf wire format into a growable buffer, or only counts the bytes it would write (a
 * {@link #counter()}): a nested message's length prefix comes from running its writer on a counter first, so the
 * encoder can size the whole output once and never copies a message's bytes into its parent.
 */
final class WireWriter {
    private byte[] buf;
    private long size;

    /** A writer into a buffer of {@code capacity} bytes, grown as needed. */
    WireWriter(int capacity) {
        buf = new byte[capacity];
    }

    private WireWriter() {
        buf = null;
    }

    /** A writer that stores nothing and only counts bytes. */
    static WireWriter counter() {
        return new WireWriter();
    }

    /** The bytes written (or counted) so far. */
    long size() {
        return size;
    }

    /** A copy of the bytes written. */
    byte[] toByteArray() {
        return Arrays.copyOf(buf, (int) size);
    }

    void tag(int field, int wireType) {
        varint((long) field << 3 | wireType);
    }

    /** An unsigned varint: 7 bits a byte, low bits first (a negative long takes 10 bytes). */
    void varint(long v) {
        if (buf == null) {
            size += varintSize(v);
            return;
        }
        reserve(10);
        int p = (int) size;
        while ((v & ~0x7FL) != 0) {
            buf[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[p++] = (byte) v;
        size = p;
    }

    void fixed32(int v) {
        if (buf == null) {
            size += 4;
            return;
        }
        reserve(4);
        int p = (int) size;
        buf[p] = (byte) v;
        buf[p + 1] = (byte) (v >>> 8);
        buf[p + 2] = (byte) (v >>> 16);
        buf[p + 3] = (byte) (v >>> 24);
        size += 4;
    }

    void fixed64(long v) {
        fixed32((int) v);
        fixed32((int) (v >>> 32));
    }

    /** Raw bytes, no prefix. */
    void raw(byte[] b) {
        if (buf != null) {
            reserve(b.length);
            System.arraycopy(b, 0, buf, (int) size, b.length);
        }
        size += b.length;
    }

    /** An int64 (or enum) field. */
    void int64Field(int field, long v) {
        tag(field, WireReader.VARINT);
        varint(v);
    }

    /** An int32 field: negative values are sign-extended to 64 bits, as protobuf requires. */
    void int32Field(int field, int v) {
        int64Field(field, v);
    }

    void floatField(int field, float v) {
        tag(field, WireReader.FIXED32);
        fixed32(Float.floatToRawIntBits(v));
    }

    void bytesField(int field, byte[] b) {
        tag(field, WireReader.LEN);
        varint(b.length);
        raw(b);
    }

    void stringField(int field, String s) {
        tag(field, WireReader.LEN);
        if (buf == null) {
            long n = utf8Length(s);
            size += varintSize(n) + n;
        } else {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varint(b.length);
            raw(b);
        }
    }

    /** A packed repeated varint field; nothing when empty. */
    void packedVarints(int field, long[] v) {
        if (v.length == 0) {
            return;
        }
        long n = 0;
        for (long x : v) {
            n += varintSize(x);
        }
        tag(field, WireReader.LEN);
        varint(n);
        for (long x : v) {
            varint(x);
        }
    }

    /** A packed repeated float field; nothing when empty. */
    void packedFloats(int field, float[] v) {
        if (v.length == 0) {
            return;
        }
        tag(field, WireReader.LEN);
        varint(4L * v.length);
        for (float x : v) {
            fixed32(Float.floatToRawIntBits(x));
        }
    }

    /** A message field: its length (counted by running {@code body} on a counter), then {@code body}'s bytes. */
    <T> void message(int field, T value, BiConsumer<WireWriter, T> body) {
        WireWriter counter = counter();
        body.accept(counter, value);
        tag(field, WireReader.LEN);
        varint(counter.size);
        if (buf == null) {
            size += counter.size;
        } else {
            long start = size;
            body.accept(this, value);
            if (size - start != counter.size) {
                throw new IllegalStateException("message field " + field + " wrote " + (size - start)
                        + " bytes, counted " + counter.size);
            }
        }
    }

    static int varintSize(long v) {
        return v == 0 ? 1 : (64 - Long.numberOfLeadingZeros(v) + 6) / 7;
    }

    /** The length of {@code s} in UTF-8 as {@link String#getBytes} writes it (an unpaired surrogate as '?'). */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n += 1;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private void reserve(int more) {
        long need = size + more;
        if (need > buf.length) {
            if (need > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("protobuf output over 2 GB");
            }
            buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(need, 2L * buf.length)));
        }
    }
}
