package dev.deneb.examples.sdss;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rows of a table left out because a cell the model needs is unusable, counted per reason (an empty cell, text
 * that is not a number, NaN or infinity, a missing-value code such as SDSS's -9999) and per column, with the first
 * example of each reason so the user can look it up. A row counts once, under its first bad cell.
 */
public final class BadRows {
    /** Why a cell is unusable. */
    public enum Reason {
        EMPTY("empty cell"),
        NOT_A_NUMBER("not a number"),
        NON_FINITE("NaN or infinite"),
        MISSING_CODE("missing-value code");

        final String text;

        Reason(String text) {
            this.text = text;
        }
    }

    private record Tally(long[] count, Map<String, Long> byColumn, String first) {}

    private final String source;
    private final Map<Reason, Tally> tallies = new TreeMap<>();
    private long rows;

    public BadRows(String source) {
        this.source = source;
    }

    /** Records data row {@code row} (1 = first after the header) as bad because of {@code column}'s {@code cell}. */
    public void add(int row, String column, String cell, Reason reason) {
        rows++;
        Tally t = tallies.computeIfAbsent(reason, r -> new Tally(new long[1], new LinkedHashMap<>(),
                describe(row, column, cell, r)));
        t.count()[0]++;
        t.byColumn().merge(column, 1L, Long::sum);
    }

    /** An error message for one bad cell, naming the file, row, column, the text found and what was expected. */
    public String describe(int row, String column, String cell, Reason reason) {
        String expected = switch (reason) {
            case EMPTY, NOT_A_NUMBER, NON_FINITE -> "expected a finite number";
            case MISSING_CODE -> "the value marks a missing measurement (see --missing)";
        };
        return String.format(Locale.ROOT, "%s: data row %d, column '%s': %s '%s'; %s", source, row, column,
                reason.text, cell, expected);
    }

    /** How many rows were left out. */
    public long count() {
        return rows;
    }

    public long count(Reason reason) {
        Tally t = tallies.get(reason);
        return t == null ? 0 : t.count()[0];
    }

    /** One line per reason: count, the columns involved and the first example; empty when no row was bad. */
    public List<String> summary() {
        return tallies.entrySet().stream().map(e -> {
            Tally t = e.getValue();
            StringBuilder cols = new StringBuilder();
            t.byColumn().forEach((c, n) -> cols.append(cols.isEmpty() ? "" : ", ").append(c).append(' ').append(n));
            return String.format(Locale.ROOT, "%d row%s with %s (%s); first: %s", t.count()[0],
                    t.count()[0] == 1 ? "" : "s", e.getKey().text, cols, t.first());
        }).toList();
    }
}
