package dev.deneb.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The tiny JSON reader/writer used for safetensors headers. */
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
        StringBuilder sb = new StringBuilder();
        Json.writeString(sb, s);
        assertEquals(s, Json.parse(sb.toString()));
        assertTrue(sb.indexOf("\\u0007") >= 0 && sb.indexOf("\\u0000") >= 0, sb.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\"}", "{\"a\":1,}", "[1 2]", "01", "1.", "-", "1e", "\"abc", "\"\\u12\"",
            "tru", "{\"a\":1}}", "\"a\nb\"", "{1:2}", "99999999999999999999"})
    void rejectsMalformedText(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(text));
        assertTrue(e.getMessage().startsWith("malformed JSON at character "), e.getMessage());
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nesting"), e.getMessage());
    }
}
