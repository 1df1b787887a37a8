package dev.deneb.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CsvTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "line end {0}, trailing {1}")
    @ValueSource(strings = {"\n|yes", "\n|no", "\r\n|yes", "\r\n|no"})
    void readsLfAndCrlfWithOrWithoutFinalLineEnd(String variant) throws IOException {
        String eol = variant.substring(0, variant.indexOf('|'));
        boolean trailing = variant.endsWith("yes");
        String text = String.join(eol, "id,u,class", "1,19.5,STAR", "2,-3e-2,QSO", "3,17,GALAXY")
                + (trailing ? eol : "");
        CsvTable t = Csv.read(write("t.csv", text));
        assertEquals(List.of("id", "u", "class"), t.columns());
        assertEquals(3, t.rows());
        assertArrayEquals(new long[] {1, 2, 3}, t.longs("id"));
        assertArrayEquals(new double[] {19.5, -0.03, 17}, t.doubles("u"));
        // No stray '\r' may survive in the last column.
        assertArrayEquals(new String[] {"STAR", "QSO", "GALAXY"}, t.strings("class"));
    }

    @Test
    void quotedFieldsMayHoldCommasQuotesAndLineBreaks() {
        CsvTable t = Csv.parse("name,note,x\r\n\"Smith, J\",\"said \"\"hi\"\"\",1\r\nplain,\"two\r\nlines\",\"2\"\r\n"
                + "\"\",,3\r\n", "test");
        assertArrayEquals(new String[] {"Smith, J", "plain", ""}, t.strings("name"));
        assertArrayEquals(new String[] {"said \"hi\"", "two\r\nlines", ""}, t.strings("note"));
        assertArrayEquals(new double[] {1, 2, 3}, t.doubles("x"));
    }

    @Test
    void quotedHeaderAndBomAndBlankLines() {
        CsvTable t = Csv.parse("\uFEFF\"a\",b\n\n1,2\n\n3,4\n\n", "test");
        assertEquals(List.of("a", "b"), t.columns());
        assertArrayEquals(new double[] {1, 3}, t.doubles("a"));
    }

    @Test
    void headerOnlyGivesAnEmptyTable() {
        CsvTable t = Csv.parse("a,b\r\n", "test");
        assertEquals(0, t.rows());
        assertArrayEquals(new int[] {0, 2}, t.tensor(List.of("a", "b")).shape());
    }

    @ParameterizedTest(name = "case {index}")
    @ValueSource(strings = {"", "\n", "\r\n\r\n"})
    void emptyFileIsAClearError(String text) throws IOException {
        Path f = write("empty.csv", text);
        var e = assertThrows(IllegalArgumentException.class, () -> Csv.read(f));
        assertEquals("CSV file " + f + " is empty: expected a header row naming the columns", e.getMessage());
    }

    @Test
    void missingColumnListsTheColumns() throws IOException {
        Path f = write("t.csv", "id,g,r\n1,2,3\n");
        CsvTable t = Csv.read(f);
        var e = assertThrows(IllegalArgumentException.class, () -> t.doubles("u"));
        assertEquals("CSV file " + f + ": column 'u' not found; columns are: id, g, r", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.tensor(List.of("g", "u")));
    }

    @Test
    void nonNumericValueNamesRowAndColumn() {
        StringBuilder s = new StringBuilder("id,g\r\n");
        for (int r = 1; r <= 20; r++) {
            s.append(r).append(',').append(r == 17 ? "abc" : "1.5").append("\r\n");
        }
        CsvTable t = Csv.parse(s.toString(), "sdss.csv");
        var e = assertThrows(IllegalArgumentException.class, () -> t.doubles("g"));
        assertEquals("sdss.csv: row 17 (line 18), column 2 'g': 'abc' is not a number", e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> t.tensor(List.of("id", "g")));
        assertEquals(e.getMessage(), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> t.longs("g"));
        assertEquals("sdss.csv: row 1 (line 2), column 2 'g': '1.5' is not an integer", e3.getMessage());
        CsvTable blank = Csv.parse("a\n1\n \n", "x");
        var e4 = assertThrows(IllegalArgumentException.class, () -> blank.doubles("a"));
        assertTrue(e4.getMessage().contains("row 2 (line 3), column 1 'a': ' ' is not a number"), e4.getMessage());
    }

    @Test
    void raggedRowsAreReported() {
        var e = assertThrows(IllegalArgumentException.class, () -> Csv.parse("a,b,c\n1,2,3\n4,5\n", "t.csv"));
        assertEquals("t.csv: row 2 (line 3) has 2 fields, but the header has 3 columns", e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> Csv.parse("a,b\r\n1,2,3\r\n", "t.csv"));
        assertEquals("t.csv: row 1 (line 2) has 3 fields, but the header has 2 columns", e2.getMessage());
    }

    @Test
    void malformedQuotingAndHeadersAreReported() {
        var e = assertThrows(IllegalArgumentException.class, () -> Csv.parse("a,b\n\"x,1\n2,3\n", "t"));
        assertTrue(e.getMessage().contains("quoted field opened on line 2 is never closed"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> Csv.parse("a,b\n\"x\"y,1\n", "t"));
        assertTrue(e2.getMessage().contains("after a closing quote"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> Csv.parse("a,b\nx\"y,1\n", "t"));
        assertTrue(e3.getMessage().contains("quote inside an unquoted field"), e3.getMessage());
        var e4 = assertThrows(IllegalArgumentException.class, () -> Csv.parse("a,a\n1,2\n", "t"));
        assertTrue(e4.getMessage().contains("column 'a' twice"), e4.getMessage());
        var e5 = assertThrows(IllegalArgumentException.class, () -> Csv.parse("a,,c\n1,2,3\n", "t"));
        assertTrue(e5.getMessage().contains("header column 2 has no name"), e5.getMessage());
    }

    @Test
    void missingFileIsAnUncheckedIoException() {
        var e = assertThrows(UncheckedIOException.class, () -> Csv.read(dir.resolve("none.csv")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void tensorCodesAndFilter() {
        CsvTable t = Csv.parse("u,g,class\n1,2,STAR\n3,4,GALAXY\n5,6,QSO\n", "t");
        Tensor x = t.tensor(List.of("g", "u"));
        assertEquals(DType.F32, x.dtype());
        assertArrayEquals(new int[] {3, 2}, x.shape());
        assertArrayEquals(new float[] {2, 1, 4, 3, 6, 5}, x.toFloatArray());
        CsvTable kept = t.filter("class", c -> !c.equals("GALAXY"));
        assertEquals(2, kept.rows());
        assertArrayEquals(new long[] {0, 1}, kept.codes("class", List.of("STAR", "QSO")));
        var e = assertThrows(IllegalArgumentException.class, () -> t.codes("class", List.of("STAR", "QSO")));
        assertTrue(e.getMessage().contains("row 2 (line 3), column 3 'class': 'GALAXY' is not one of the classes [STAR, QSO]"),
                e.getMessage());
    }

    @Test
    void realSdssFile() {
        Optional<Path> sdss = DataPaths.find("sdss");
        Assumptions.assumeTrue(sdss.isPresent(), "SDSS data not found at " + DataPaths.describeSearch()
                + " (expected a folder sdss/); skipping");
        CsvTable t = Csv.read(sdss.get().resolve("sdss_dr14_skyserver_10k.csv"));
        assertEquals(10000, t.rows());
        assertEquals(18, t.columns().size());
        assertEquals("fiberid", t.columns().get(17));
        long stars = 0;
        long quasars = 0;
        for (String c : t.strings("class")) {
            stars += c.equals("STAR") ? 1 : 0;
            quasars += c.equals("QSO") ? 1 : 0;
        }
        assertEquals(4152, stars);
        assertEquals(850, quasars);
        Tensor mags = t.tensor(List.of("u", "g", "r", "i", "z"));
        assertArrayEquals(new int[] {10000, 5}, mags.shape());
        assertTrue(mags.min().item() > 11 && mags.max().item() < 29);
        assertEquals(301, t.longs("rerun")[0]);
        assertEquals(491, t.longs("fiberid")[0]);
    }

    /** Files.readString reported only "Input length = 1". */
    @Test
    void invalidUtf8NamesTheLineAndColumn() throws IOException {
        Path f = dir.resolve("latin1.csv");
        byte[] text = "name,x\nok,1\ncaf\u00e9 \u00e9,2\n".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(f, text);
        var e = assertThrows(IllegalArgumentException.class, () -> Csv.read(f));
        assertEquals("CSV file " + f + ", line 3, column 4: invalid UTF-8 (byte 0xE9 at byte offset 15); save the file"
                + " as UTF-8", e.getMessage());
        Files.write(f, new byte[] {'a', '\n', 'x', (byte) 0xC0, (byte) 0x80}); // an overlong NUL
        var e2 = assertThrows(IllegalArgumentException.class, () -> Csv.read(f));
        assertTrue(e2.getMessage().contains("line 2, column 2: invalid UTF-8"), e2.getMessage());
    }

    /** 1e39 became Infinity in f32 without a word. */
    @Test
    void overflowIsAnErrorUnlessTheTextSaysInfinity() {
        CsvTable t = Csv.parse("a,b\n1e39,inf\n-1e39,-Infinity\n3.4e38,NaN\n1e308,+INF\n", "o.csv");
        var e = assertThrows(IllegalArgumentException.class, () -> t.tensor(List.of("a")));
        assertEquals("o.csv: row 1 (line 2), column 1 'a': '1e39' overflows f32 (largest 3.4028235E38); write inf or"
                + " -inf for an infinity", e.getMessage());
        assertArrayEquals(new double[] {1e39, -1e39, 3.4e38, 1e308}, t.doubles("a"));
        Tensor b = t.tensor(List.of("b"));
        float[] v = b.toFloatArray();
        assertEquals(Float.POSITIVE_INFINITY, v[0]);
        assertEquals(Float.NEGATIVE_INFINITY, v[1]);
        assertTrue(Float.isNaN(v[2]));
        assertEquals(Float.POSITIVE_INFINITY, v[3]);
        CsvTable big = Csv.parse("a\n1\n1e309\n", "d.csv");
        var e2 = assertThrows(IllegalArgumentException.class, () -> big.doubles("a"));
        assertTrue(e2.getMessage().contains("row 2 (line 3), column 1 'a': '1e309' overflows f64"), e2.getMessage());
    }
}
