package dev.deneb.nn.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deneb's one JSON reader and writer, on jackson-core's streaming parser (strict RFC 8259: no comments, no single
 * quotes, no trailing commas, no leading zeros, {@code \}{@code u} escapes of four ASCII hex digits only).
 * Our configuration adds: duplicate keys are errors, nesting is limited to {@link #MAX_DEPTH} levels, and nothing
 * may follow the value. String lengths are bounded only by the input, whose size the caller bounds.
 *
 * <p>{@link #parse} builds plain Java values: objects as {@code Map<String, Object>} in file order, arrays as
 * {@code List<Object>}, integers as {@link Long} (beyond 64 bits is an error), other numbers as {@link Double},
 * strings, booleans and {@code null}. Formats that validate as they read (safetensors headers) use
 * {@link #parser} directly. Every syntax error is an {@link IllegalArgumentException} that starts with
 * "malformed JSON at line L, column C".
 */
public final class Json {
    /** The deepest nesting of arrays and objects accepted. */
    public static final int MAX_DEPTH = 64;

    private static final JsonFactory STRICT = factory(false);
    private static final JsonFactory PYTHON = factory(true);

    private Json() {}

    private static JsonFactory factory(boolean nonFinite) {
        // Names are not interned: a hostile file's names must not fill the JVM's string table. (Canonicalising stays
        // on: it bounds its own table, and without it Jackson reads bytes through its char parser; see parse.)
        var b = JsonFactory.builder().disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                        .maxStringLength(Integer.MAX_VALUE).maxNameLength(Integer.MAX_VALUE).build())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION);
        if (nonFinite) {
            b.enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS);
        }
        return b.build();
    }

    /** Parses a whole document strictly. */
    public static Object parse(String text) {
        return parse(STRICT, text);
    }

    /**
     * Parses a whole document that may also hold {@code NaN}, {@code Infinity} and {@code -Infinity}, as Python's
     * {@code json} module writes non-finite floats (for test fixtures made in Python); otherwise as strict.
     */
    public static Object parsePython(String text) {
        return parse(PYTHON, text);
    }

    private static Object parse(JsonFactory f, String text) {
        // Parsed as UTF-8 bytes: Jackson's char parser (2.21) masks a \\u escape's digits to their low byte, so it
        // takes U+0661 (0x600 + 'a') for the hex digit 'a'; its byte parser accepts only ASCII hex digits there.
        java.nio.ByteBuffer utf8;
        try {
            utf8 = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(text));
        } catch (CharacterCodingException e) {
            String problem = Names.textProblem(text);
            throw new IllegalArgumentException("malformed JSON: the text is not well-formed Unicode: " + problem, e);
        }
        try (JsonParser p = f.createParser(utf8.array(), 0, utf8.limit())) {
            p.nextToken();
            Object value = value(p);
            requireEnd(p);
            return value;
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String source has no I/O
        }
    }

    /** A strict streaming parser over UTF-8 bytes that the caller has already checked to be valid UTF-8. */
    static JsonParser parser(byte[] utf8) {
        try {
            return STRICT.createParser(utf8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value at the parser's current token, consuming it. */
    private static Object value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            throw new IllegalArgumentException(where(p.currentLocation()) + ": empty document, expected a value");
        }
        return switch (t) {
            case START_OBJECT -> {
                Map<String, Object> out = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    out.put(key, value(p));
                }
                yield out;
            }
            case START_ARRAY -> {
                List<Object> out = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    out.add(value(p));
                }
                yield out;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> longValue(p);
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IllegalArgumentException(where(p.currentLocation()) + ": unexpected " + t);
        };
    }

    /** The current integer token as a long; one beyond 64 bits is an error rather than a rounded value. */
    static long longValue(JsonParser p) throws IOException {
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new IllegalArgumentException(where(p.currentTokenLocation()) + ": integer " + p.getText()
                    + " does not fit in 64 bits");
        }
        return p.getLongValue();
    }

    /** Fails unless the document ends after the value just read. */
    static void requireEnd(JsonParser p) throws IOException {
        JsonToken next;
        try {
            next = p.nextToken();
        } catch (JsonProcessingException e) {
            next = JsonToken.NOT_AVAILABLE; // garbage that is not even a token
        }
        if (next != null) {
            throw new IllegalArgumentException(where(p.currentTokenLocation())
                    + ": unexpected content after the end of the JSON value");
        }
    }

    /** Jackson's error as ours: where it happened and Jackson's description, without its source excerpt. */
    static IllegalArgumentException malformed(JsonProcessingException e) {
        return new IllegalArgumentException(where(e.getLocation()) + ": " + e.getOriginalMessage(), e);
    }

    private static String where(JsonLocation at) {
        return at == null ? "malformed JSON" : "malformed JSON at line " + at.getLineNr() + ", column "
                + at.getColumnNr();
    }

    // ---- writing ----

    /** A writer of compact JSON into {@code out}; the caller closes it (which flushes). */
    static JsonGenerator generator(StringWriter out) {
        try {
            return STRICT.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code s} as a JSON string literal (quotes, backslashes and control characters escaped). */
    public static String quote(String s) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = generator(w)) {
            g.writeString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
