package dev.deneb.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads comma-separated values with a header row into a {@link CsvTable}. Lines may end in LF or CRLF, with or
 * without a final line end; fields may be quoted as in RFC 4180 (commas, line breaks and doubled quotes
 * {@code ""} inside quotes). Empty lines are skipped. Errors are {@link IllegalArgumentException}s naming the
 * source, the line and what was wrong.
 */
public final class Csv {
    private Csv() {}

    /** Reads a UTF-8 file; invalid UTF-8 is an error naming the line and column. */
    public static CsvTable read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("CSV file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("CSV file " + file + " cannot be read: " + e.getMessage(), e);
        }
        // Decoded here rather than by Files.readString, whose error for a bad byte is only "Input length = 1".
        return parse(Utf8.decode(bytes, "CSV file " + file), "CSV file " + file);
    }

    /** Parses CSV text; {@code source} names it in error messages (e.g. "CSV file data.csv"). */
    public static CsvTable parse(String text, String source) {
        Parser p = new Parser(text, source);
        List<String> header = p.nextRecord();
        if (header == null) {
            throw new IllegalArgumentException(source + " is empty: expected a header row naming the columns");
        }
        checkHeader(header, source);
        int m = header.size();
        List<String[]> rows = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<String> record;
        while ((record = p.nextRecord()) != null) {
            if (record.size() != m) {
                throw new IllegalArgumentException(source + ": row " + (rows.size() + 1) + " (line "
                        + p.recordLine + ") has " + record.size() + " fields, but the header has " + m
                        + " columns");
            }
            rows.add(record.toArray(String[]::new));
            lines.add(p.recordLine);
        }
        String[][] columns = new String[m][rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            for (int c = 0; c < m; c++) {
                columns[c][r] = row[c];
            }
        }
        return new CsvTable(source, List.copyOf(header), columns, lines.stream().mapToInt(Integer::intValue).toArray());
    }

    private static void checkHeader(List<String> header, String source) {
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < header.size(); c++) {
            String name = header.get(c);
            if (name.isEmpty()) {
                throw new IllegalArgumentException(source + ": header column " + (c + 1) + " has no name");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException(source + ": header names column '" + name + "' twice");
            }
        }
    }

    /** A cursor over the text that yields one record (list of fields) at a time. */
    private static final class Parser {
        private final String text;
        private final String source;
        private int pos;
        private int line = 1;
        int recordLine;

        Parser(String text, String source) {
            // A UTF-8 byte order mark would otherwise become part of the first column's name.
            this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
            this.source = source;
        }

        /** The next non-empty record, or null at the end of the text. */
        List<String> nextRecord() {
            while (pos < text.length() && isLineEnd(text.charAt(pos))) {
                skipLineEnd();
            }
            if (pos >= text.length()) {
                return null;
            }
            recordLine = line;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            while (true) {
                if (pos < text.length() && text.charAt(pos) == '"' && field.isEmpty()) {
                    readQuoted(field);
                }
                if (pos >= text.length() || isLineEnd(text.charAt(pos))) {
                    fields.add(field.toString());
                    if (pos < text.length()) {
                        skipLineEnd();
                    }
                    return fields;
                }
                char ch = text.charAt(pos++);
                if (ch == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                } else if (ch == '"') {
                    throw new IllegalArgumentException(source + ", line " + line + ": a quote inside an unquoted "
                            + "field (quote the whole field and double the quote: \"a \"\"b\"\"\")");
                } else {
                    field.append(ch);
                }
            }
        }

        /** Reads {@code "..."} starting at the opening quote; leaves pos after the closing quote. */
        private void readQuoted(StringBuilder field) {
            int startLine = line;
            pos++;
            while (pos < text.length()) {
                char ch = text.charAt(pos++);
                if (ch == '"') {
                    if (pos < text.length() && text.charAt(pos) == '"') {
                        field.append('"');
                        pos++;
                        continue;
                    }
                    if (pos < text.length() && text.charAt(pos) != ',' && !isLineEnd(text.charAt(pos))) {
                        throw new IllegalArgumentException(source + ", line " + line + ": unexpected '"
                                + text.charAt(pos) + "' after a closing quote");
                    }
                    return;
                }
                if (ch == '\n') {
                    line++;
                }
                field.append(ch);
            }
            throw new IllegalArgumentException(source + ": the quoted field opened on line " + startLine
                    + " is never closed");
        }

        private static boolean isLineEnd(char c) {
            return c == '\n' || c == '\r';
        }

        /** Consumes LF, CRLF or a lone CR. */
        private void skipLineEnd() {
            if (text.charAt(pos) == '\r' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n') {
                pos++;
            }
            pos++;
            line++;
        }
    }
}
