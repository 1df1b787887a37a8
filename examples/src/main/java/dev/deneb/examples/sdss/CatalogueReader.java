package dev.deneb.examples.sdss;

import dev.deneb.data.CsvTable;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a catalogue table into model inputs: the requested feature columns (after {@code --rename}), colours
 * {@code a-b} derived from two columns when the table has no such column, rows with an unusable cell skipped (or a
 * clear error, with {@link Policy#FAIL}), and, for training, the class labels of a task matched case-insensitively,
 * with the rows of other classes counted and left out.
 */
public final class CatalogueReader {
    /** What to do with a row whose needed cell is empty, not a number, NaN/infinite or a missing-value code. */
    public enum Policy {
        SKIP, FAIL;

        public static Policy parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "skip" -> SKIP;
                case "fail" -> FAIL;
                default -> throw new IllegalArgumentException("--bad-rows: expected skip or fail, got '" + s + "'");
            };
        }
    }

    /** How to read: features in model order, renames (table name to the name used here), missing codes, policy. */
    public record Options(List<String> features, Map<String, String> renames, Set<Double> missing, Policy badRows) {
        public static Options defaults() {
            return new Options(SdssData.FEATURES, Map.of(), Set.of(-9999.0, 9999.0), Policy.SKIP);
        }

        public Options features(List<String> f) { return new Options(f, renames, missing, badRows); }
        public Options renames(Map<String, String> r) { return new Options(features, r, missing, badRows); }
        public Options missing(Set<Double> m) { return new Options(features, renames, m, badRows); }
        public Options badRows(Policy p) { return new Options(features, renames, missing, p); }
    }

    /**
     * The usable rows: inputs f32 {@code [N, F]}, each row's data-row index in the table (0 = first after the
     * header), the labels (null without a task), the bad rows left out, and the rows of other classes by class name.
     */
    public record Rows(Tensor inputs, int[] tableRows, long[] labels, BadRows bad, Map<String, Long> otherClasses) {
        public int size() {
            return tableRows.length;
        }
    }

    /** A data row that must stop the run ({@link Policy#FAIL}); the message names file, row, column and value. */
    public static final class BadDataException extends IllegalArgumentException {
        public BadDataException(String message) {
            super(message);
        }
    }

    private CatalogueReader() {}

    /**
     * Reads {@code table}. With a {@code task}, only rows of its classes are kept (class column {@code class}, after
     * renames; values compared ignoring case and surrounding blanks) and at most {@code limit} of them (0 = all).
     */
    public static Rows read(CsvTable table, String source, Options o, SdssData.Task task, int limit) {
        Columns cols = new Columns(table, o.renames(), source);
        int n = table.rows();
        // One source per feature: one column, or two whose difference is the colour.
        List<String[]> sources = new ArrayList<>();
        for (String f : o.features()) {
            sources.add(cols.feature(f));
        }
        Map<String, String[]> cells = new LinkedHashMap<>();
        for (String[] s : sources) {
            for (String c : s) {
                cells.computeIfAbsent(c, table::strings);
            }
        }
        String[] classCells = task == null ? null : table.strings(cols.require(SdssData.CLASS, "the class labels"));
        BadRows bad = new BadRows(source);
        Map<String, Long> other = new TreeMap<>();
        int f = o.features().size();
        List<Integer> keep = new ArrayList<>();
        List<Long> labels = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        Map<String, Double> parsed = new LinkedHashMap<>();
        for (int r = 0; r < n && (limit <= 0 || keep.size() < limit); r++) {
            long label = -1;
            if (task != null) {
                String c = classCells[r].strip();
                label = task.indexOf(c);
                if (label < 0) {
                    other.merge(c.isEmpty() ? "(empty)" : c.toUpperCase(Locale.ROOT), 1L, Long::sum);
                    continue;
                }
            }
            parsed.clear();
            boolean ok = true;
            for (Map.Entry<String, String[]> e : cells.entrySet()) {
                String cell = e.getValue()[r];
                BadRows.Reason why = check(cell, o.missing());
                if (why != null) {
                    if (o.badRows() == Policy.FAIL) {
                        throw new BadDataException(bad.describe(r + 1, e.getKey(), cell, why)
                                + " (--bad-rows skip leaves such rows out)");
                    }
                    bad.add(r + 1, e.getKey(), cell, why);
                    ok = false;
                    break;
                }
                parsed.put(e.getKey(), Double.parseDouble(cell.strip()));
            }
            if (!ok) {
                continue;
            }
            float[] row = new float[f];
            for (int j = 0; j < f; j++) {
                String[] s = sources.get(j);
                double v = s.length == 1 ? parsed.get(s[0]) : parsed.get(s[0]) - parsed.get(s[1]);
                row[j] = (float) v;
            }
            keep.add(r);
            labels.add(label);
            values.add(row);
        }
        float[] flat = new float[keep.size() * f];
        for (int i = 0; i < keep.size(); i++) {
            System.arraycopy(values.get(i), 0, flat, i * f, f);
        }
        return new Rows(Tensor.of(flat, keep.size(), f), keep.stream().mapToInt(Integer::intValue).toArray(),
                task == null ? null : labels.stream().mapToLong(Long::longValue).toArray(), bad, other);
    }

    /** Why a cell cannot be used, or null when it is a finite number that is not a missing-value code. */
    static BadRows.Reason check(String cell, Set<Double> missing) {
        String s = cell.strip();
        if (s.isEmpty()) {
            return BadRows.Reason.EMPTY;
        }
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return s.equalsIgnoreCase("nan") || s.equalsIgnoreCase("inf") || s.equalsIgnoreCase("-inf")
                    ? BadRows.Reason.NON_FINITE : BadRows.Reason.NOT_A_NUMBER;
        }
        if (!Double.isFinite(v)) {
            return BadRows.Reason.NON_FINITE;
        }
        return missing.contains(v) ? BadRows.Reason.MISSING_CODE : null;
    }

    /** Column names as the user sees them (after renames), resolved exactly or, failing that, ignoring case. */
    private static final class Columns {
        private final Map<String, String> visible = new LinkedHashMap<>(); // name used here -> table column
        private final String source;

        Columns(CsvTable table, Map<String, String> renames, String source) {
            this.source = source;
            for (String old : renames.keySet()) {
                if (!table.hasColumn(old)) {
                    throw new IllegalArgumentException("--rename " + old + "=" + renames.get(old) + ": " + source
                            + " has no column '" + old + "'; columns are: " + String.join(", ", table.columns()));
                }
            }
            for (String c : table.columns()) {
                visible.put(renames.getOrDefault(c, c), c);
            }
        }

        /** The table column for {@code name}, or null. */
        String find(String name) {
            String exact = visible.get(name);
            if (exact != null) {
                return exact;
            }
            List<String> folded = visible.keySet().stream().filter(v -> v.equalsIgnoreCase(name)).toList();
            return folded.size() == 1 ? visible.get(folded.get(0)) : null;
        }

        String require(String name, String what) {
            String c = find(name);
            if (c == null) {
                throw new IllegalArgumentException(source + " has no column '" + name + "' (" + what + "); columns "
                        + "are: " + String.join(", ", visible.keySet()) + " (rename one with --rename old=" + name
                        + ")");
            }
            return c;
        }

        /** One column, or the two columns {a, b} of a colour "a-b" (the first '-' that splits into two columns). */
        String[] feature(String name) {
            String c = find(name);
            if (c != null) {
                return new String[] {c};
            }
            for (int at = name.indexOf('-'); at > 0; at = name.indexOf('-', at + 1)) {
                String a = find(name.substring(0, at));
                String b = find(name.substring(at + 1));
                if (a != null && b != null) {
                    return new String[] {a, b};
                }
            }
            throw new IllegalArgumentException("--features: '" + name + "' is neither a column of " + source
                    + " nor a colour a-b of two of its columns; columns are: " + String.join(", ", visible.keySet())
                    + " (rename one with --rename old=new)");
        }
    }
}
