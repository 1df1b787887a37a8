package dev.deneb.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Deneb's one JSON reader/writer (jackson-core, strictly configured). */
class JsonTest {
    @Test
    void parsesObjectsArraysStringsNumbersAndLiterals() {
        Object v = Json.parse(" {\"b\": [1, -2, 3.5, 1e3, -0.25E-1, 9223372036854775807], \"a\": {\"x\": \"y\"},"
                + " \"t\": true, \"f\": false, \"n\": null, \"e\": [], \"o\": {}} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of("b", "a", "t", "f", "n", "e", "o"), List.copyOf(m.keySet()), "file order kept");
        assertEquals(List.of(1L, -2L, 3.5, 1000.0, -0.025, Long.MAX_VALUE), m.get("b"));
        assertEquals(Map.of("x", "y"), m.get("a"));
        assertEquals(Boolean.TRUE, m.get("t"));
        assertEquals(Boolean.FALSE, m.get("f"));
        assertTrue(m.containsKey("n") && m.get("n") == null);
    }

    @Test
    void decodesEveryEscape() {
        assertEquals("q\" b\\ s/ \b\f\n\r\t \u00e9 \uD83D\uDE00",
                Json.parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9 \\ud83d\\ude00\""));
    }

    @Test
    void writerOutputParsesBack() {
        String s = "quote\" backslash\\ nl\n cr\r tab\t bell\u0007 nul\u0000 caf\u00e9 \uD83D\uDE00";
        String quoted = Json.quote(s);
        assertEquals(s, Json.parse(quoted));
        assertTrue(quoted.contains("\\u0007") && quoted.contains("\\u0000"), quoted);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\"}", "{\"a\":1,}", "[1 2]", "01", "1.", "-", "1e", "\"abc", "\"\\u12\"",
            "tru", "{\"a\":1}}", "\"a\nb\"", "{1:2}", "99999999999999999999", "{\"a\":1,\"a\":2}", "[01]",
            "{'a':1}", "[1,]", "// c\n1", "NaN", "[Infinity]", "\"\\u00\u0661\u0662\"",
            "\"\\u\uff11\uff12\uff13\uff14\"", "1 2", "{} x"})
    void rejectsMalformedText(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(text));
        assertTrue(e.getMessage().startsWith("malformed JSON"), e.getMessage());
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nesting"), e.getMessage());
    }

    /** Strict JSON: a \\u escape takes four ASCII hex digits; Character.digit also took Arabic-Indic and full-width. */
    @Test
    void unicodeEscapesTakeOnlyAsciiHexDigits() {
        assertEquals("\u00e9", Json.parse("\"\\u00E9\""));
        String arabicIndic = "\"\\u00\u0665\u0669\""; // \\u00 then ARABIC-INDIC DIGIT FIVE, NINE
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(arabicIndic));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void pythonFlavourAcceptsNonFiniteNumbersOnly() {
        assertEquals(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1L),
                Json.parsePython("[NaN, Infinity, -Infinity, 1]"));
        assertThrows(IllegalArgumentException.class, () -> Json.parsePython("[1,]"));
    }

    @Test
    void duplicateKeysAreAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.parse("{\"k\": 1, \"k\": 2}"));
        assertTrue(e.getMessage().contains("Duplicate field 'k'"), e.getMessage());
    }
}
