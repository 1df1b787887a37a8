package dev.deneb.data;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 checks for the loaders: where the first malformed sequence is (overlong forms, surrogates and
 * truncated sequences included), so that an error can name the line and column instead of the JDK's bare
 * "Input length = 1".
 */
public final class Utf8 {
    private Utf8() {}

    /** The offset of the first byte of {@code bytes} that does not start valid UTF-8, or -1 when all is valid. */
    public static long firstMalformed(byte[] bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(Math.max(16, Math.min(8192, bytes.length))); // reused: checks only
        while (true) {
            CoderResult r = d.decode(in, out, true);
            if (r.isError()) {
                return in.position();
            }
            if (r.isUnderflow()) {
                r = d.flush(out.clear());
                return r.isError() ? in.position() : -1;
            }
            out.clear(); // overflow: discard the decoded chars, go on
        }
    }

    /**
     * {@code bytes} decoded, or an {@link IllegalArgumentException} naming {@code source}, the line, the column
     * (in characters, both from 1) and the byte offset of the first malformed sequence.
     */
    public static String decode(byte[] bytes, String source) {
        long bad = firstMalformed(bytes);
        if (bad >= 0) {
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < bad; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            // Column in characters: the bytes before it on its line are valid UTF-8.
            int column = new String(bytes, lineStart, (int) bad - lineStart, StandardCharsets.UTF_8).length() + 1;
            throw new IllegalArgumentException(source + ", line " + line + ", column " + column + ": invalid UTF-8"
                    + String.format(" (byte 0x%02X at byte offset %d); save the file as UTF-8", bytes[(int) bad] & 0xFF,
                    bad));
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
