package dev.deneb.data;

import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A table read by {@link Csv}: named columns of text cells, converted to numbers on request. Conversion errors name
 * the source, the row (1 = first data row), its line in the file, the column and the offending text.
 *
 * <p>Numbers use {@link Double#parseDouble}'s syntax (surrounding blanks ignored), plus {@code inf},
 * {@code infinity} and {@code nan} in any case and with an optional sign, as NumPy and pandas write them. A finite
 * number too large for the target type ({@code 1e39} for f32, {@code 1e309} for f64) is an error, not a silent
 * infinity; only the words above give an infinity.
 */
public final class CsvTable {
    private final String source;
    private final List<String> columns;
    private final String[][] cells; // [column][row]
    private final int[] lines; // the file line each row starts on
    private final Map<String, Integer> index = new HashMap<>();

    CsvTable(String source, List<String> columns, String[][] cells, int[] lines) {
        this.source = source;
        this.columns = columns;
        this.cells = cells;
        this.lines = lines;
        for (int c = 0; c < columns.size(); c++) {
            index.put(columns.get(c), c);
        }
    }

    /** The column names in file order. */
    public List<String> columns() {
        return columns;
    }

    /** Number of data rows (the header is not counted). */
    public int rows() {
        return cells.length == 0 ? 0 : cells[0].length;
    }

    public boolean hasColumn(String name) {
        return index.containsKey(name);
    }

    /** The cells of a column as text. */
    public String[] strings(String column) {
        return cells[col(column)].clone();
    }

    /** A column parsed as doubles ({@link Double#parseDouble} syntax, surrounding blanks ignored). */
    public double[] doubles(String column) {
        String[] s = cells[col(column)];
        double[] out = new double[s.length];
        for (int r = 0; r < s.length; r++) {
            out[r] = parseDouble(s[r], r, column, false);
        }
        return out;
    }

    /** A column parsed as whole numbers ({@link Long#parseLong} syntax, surrounding blanks ignored). */
    public long[] longs(String column) {
        String[] s = cells[col(column)];
        long[] out = new long[s.length];
        for (int r = 0; r < s.length; r++) {
            try {
                out[r] = Long.parseLong(s[r].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where(r, column) + ": '" + s[r] + "' is not an integer");
            }
        }
        return out;
    }

    /** The given columns as an f32 tensor {@code [rows, columns.size()]}, e.g. the features of a model. */
    public Tensor tensor(List<String> names) {
        int n = rows();
        int f = names.size();
        float[] out = new float[n * f];
        for (int j = 0; j < f; j++) {
            String[] s = cells[col(names.get(j))];
            for (int r = 0; r < n; r++) {
                out[r * f + j] = (float) parseDouble(s[r], r, names.get(j), true);
            }
        }
        return Tensor.of(out, n, f);
    }

    /**
     * Class codes for a categorical column: {@code classes.indexOf(cell)} for each row, e.g. STAR → 0, QSO → 1.
     * A cell that is not in {@code classes} is an error.
     */
    public long[] codes(String column, List<String> classes) {
        Map<String, Integer> code = new LinkedHashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            code.put(classes.get(i), i);
        }
        String[] s = cells[col(column)];
        long[] out = new long[s.length];
        for (int r = 0; r < s.length; r++) {
            Integer c = code.get(s[r]);
            if (c == null) {
                throw new IllegalArgumentException(where(r, column) + ": '" + s[r] + "' is not one of the classes "
                        + classes);
            }
            out[r] = c;
        }
        return out;
    }

    /** The rows whose cell in {@code column} passes {@code keep}, e.g. {@code filter("class", c -> !c.equals("GALAXY"))}. */
    public CsvTable filter(String column, Predicate<String> keep) {
        String[] s = cells[col(column)];
        List<Integer> kept = new ArrayList<>();
        for (int r = 0; r < s.length; r++) {
            if (keep.test(s[r])) {
                kept.add(r);
            }
        }
        String[][] out = new String[cells.length][kept.size()];
        int[] keptLines = new int[kept.size()];
        for (int k = 0; k < kept.size(); k++) {
            keptLines[k] = lines[kept.get(k)];
            for (int c = 0; c < cells.length; c++) {
                out[c][k] = cells[c][kept.get(k)];
            }
        }
        return new CsvTable(source + " (filtered on " + column + ")", columns, out, keptLines);
    }

    private int col(String name) {
        Integer c = index.get(name);
        if (c == null) {
            throw new IllegalArgumentException(source + ": column '" + name + "' not found; columns are: "
                    + String.join(", ", columns));
        }
        return c;
    }

    /** "data.csv: row 3 (line 4), column 2 'g'". */
    private String where(int row, String column) {
        return source + ": row " + (row + 1) + " (line " + lines[row] + "), column " + (col(column) + 1) + " '"
                + column + "'";
    }

    private double parseDouble(String cell, int row, String column, boolean f32) {
        String text = cell.strip();
        String word = text.toLowerCase(Locale.ROOT);
        boolean negative = word.startsWith("-");
        String unsigned = negative || word.startsWith("+") ? word.substring(1) : word;
        if (unsigned.equals("inf") || unsigned.equals("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (unsigned.equals("nan")) {
            return Double.NaN;
        }
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where(row, column) + ": '" + cell + "' is not a number");
        }
        if (Double.isInfinite(v) || (f32 && Float.isInfinite((float) v))) {
            throw new IllegalArgumentException(where(row, column) + ": '" + cell + "' overflows "
                    + (f32 ? "f32 (largest " + Float.MAX_VALUE : "f64 (largest " + Double.MAX_VALUE)
                    + "); write inf or -inf for an infinity");
        }
        return v;
    }

    @Override
    public String toString() {
        return "CsvTable(" + source + ", " + rows() + " rows, columns " + columns + ")";
    }
}
