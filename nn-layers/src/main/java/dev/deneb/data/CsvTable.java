package dev.deneb.data;

import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A table read by {@link Csv}: named columns of text cells, converted to numbers on request. Conversion errors name
 * the row (1 = first data row), the column and the offending text.
 */
public final class CsvTable {
    private final String source;
    private final List<String> columns;
    private final String[][] cells; // [column][row]
    private final Map<String, Integer> index = new HashMap<>();

    CsvTable(String source, List<String> columns, String[][] cells) {
        this.source = source;
        this.columns = columns;
        this.cells = cells;
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
            out[r] = parseDouble(s[r], r, column);
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
                throw new IllegalArgumentException(source + ": row " + (r + 1) + ", column '" + column + "': '"
                        + s[r] + "' is not an integer");
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
                out[r * f + j] = (float) parseDouble(s[r], r, names.get(j));
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
                throw new IllegalArgumentException(source + ": row " + (r + 1) + ", column '" + column + "': '"
                        + s[r] + "' is not one of the classes " + classes);
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
        for (int c = 0; c < cells.length; c++) {
            for (int k = 0; k < kept.size(); k++) {
                out[c][k] = cells[c][kept.get(k)];
            }
        }
        return new CsvTable(source + " (filtered on " + column + ")", columns, out);
    }

    private int col(String name) {
        Integer c = index.get(name);
        if (c == null) {
            throw new IllegalArgumentException(source + ": column '" + name + "' not found; columns are: "
                    + String.join(", ", columns));
        }
        return c;
    }

    private double parseDouble(String cell, int row, String column) {
        try {
            return Double.parseDouble(cell.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + ": row " + (row + 1) + ", column '" + column + "': '"
                    + cell + "' is not a number");
        }
    }

    @Override
    public String toString() {
        return "CsvTable(" + source + ", " + rows() + " rows, columns " + columns + ")";
    }
}
