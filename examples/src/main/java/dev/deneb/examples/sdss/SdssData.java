package dev.deneb.examples.sdss;

import dev.deneb.data.Csv;
import dev.deneb.data.CsvTable;
import dev.deneb.data.DataPaths;
import dev.deneb.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SDSS DR14 table as model inputs: the five magnitudes u, g, r, i, z and the four colours u-g, g-r, r-i, i-z
 * (photometry only: redshift nearly gives the class away and is never an input), and the class labels of a task.
 */
public final class SdssData {
    /** The file inside the data folder. */
    public static final String FILE = "sdss_dr14_skyserver_10k.csv";
    /** The columns a CSV must have for prediction. */
    public static final List<String> MAGNITUDES = List.of("u", "g", "r", "i", "z");
    /** The model inputs, in order. */
    public static final List<String> FEATURES = List.of("u", "g", "r", "i", "z", "u-g", "g-r", "r-i", "i-z");
    /** The label column. */
    public static final String CLASS = "class";

    private SdssData() {}

    /** Which classes to tell apart. */
    public enum Task {
        STAR_QSO("star-qso", List.of("STAR", "QSO")),
        THREE_CLASS("three-class", List.of("STAR", "GALAXY", "QSO"));

        public final String id;
        public final List<String> classes;

        Task(String id, List<String> classes) {
            this.id = id;
            this.classes = classes;
        }

        /** {@code star-qso} or {@code three-class} (case and {@code _}/{@code -} do not matter). */
        public static Task parse(String s) {
            String k = s.toLowerCase(Locale.ROOT).replace('_', '-');
            for (Task t : values()) {
                if (t.id.equals(k)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown task '" + s + "': use star-qso or three-class");
        }

        @Override
        public String toString() {
            return id;
        }
    }

    /**
     * The rows of a task: inputs {@code [N, 9]} (f32), labels (class codes of {@code task.classes}), and for each
     * row its data-row number in the file (0 = first row after the header), which is how splits are exported.
     */
    public record Labelled(Tensor inputs, long[] labels, int[] fileRows) {
        public int size() {
            return labels.length;
        }
    }

    /** The default data folder ({@code shared/data/sdss} found by {@link DataPaths}), or null. */
    public static Path defaultDirectory() {
        return DataPaths.find("sdss").orElse(null);
    }

    /** Reads {@code csv} and keeps the rows whose class belongs to {@code task}, limited to the first {@code limit}. */
    public static Labelled load(Path csv, Task task, int limit) {
        return labelled(Csv.read(csv), task, limit);
    }

    /** The rows of {@code table} whose class belongs to {@code task} (at most {@code limit}; 0 = all). */
    public static Labelled labelled(CsvTable table, Task task, int limit) {
        String[] cls = table.strings(CLASS);
        Tensor all = features(table);
        List<Integer> keep = new ArrayList<>();
        for (int r = 0; r < cls.length && (limit <= 0 || keep.size() < limit); r++) {
            if (task.classes.contains(cls[r].strip())) {
                keep.add(r);
            }
        }
        int[] rows = keep.stream().mapToInt(Integer::intValue).toArray();
        long[] labels = new long[rows.length];
        long[] idx = new long[rows.length];
        for (int k = 0; k < rows.length; k++) {
            labels[k] = task.classes.indexOf(cls[rows[k]].strip());
            idx[k] = rows[k];
        }
        if (rows.length == 0) {
            throw new IllegalArgumentException(table + ": no rows of the classes " + task.classes);
        }
        return new Labelled(all.indexSelect(0, Tensor.of(idx, idx.length)), labels, rows);
    }

    /**
     * The 9 inputs of every row of a table with (at least) the columns u, g, r, i, z: the magnitudes and the
     * colours, computed in f64 and stored as f32 {@code [N, 9]}. Missing columns and non-numeric cells are
     * {@link IllegalArgumentException}s naming the column (and row).
     */
    public static Tensor features(CsvTable table) {
        List<String> missing = MAGNITUDES.stream().filter(c -> !table.hasColumn(c)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(table + " lacks the column(s) " + missing + "; the SDSS model needs "
                    + MAGNITUDES);
        }
        int n = table.rows();
        double[][] m = new double[5][];
        for (int b = 0; b < 5; b++) {
            m[b] = table.doubles(MAGNITUDES.get(b));
        }
        float[] out = new float[n * 9];
        for (int r = 0; r < n; r++) {
            for (int b = 0; b < 5; b++) {
                double v = m[b][r];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(table + ": row " + (r + 1) + ", column '" + MAGNITUDES.get(b)
                            + "' is " + v);
                }
                out[r * 9 + b] = (float) v;
            }
            for (int b = 0; b < 4; b++) {
                out[r * 9 + 5 + b] = (float) (m[b][r] - m[b + 1][r]);
            }
        }
        return Tensor.of(out, n, 9);
    }

    /** Class weights {@code n / (C · n_c)} of the labels (scikit-learn's {@code class_weight="balanced"}). */
    public static double[] balancedWeights(long[] labels, int numClasses) {
        long[] count = new long[numClasses];
        for (long y : labels) {
            count[(int) y]++;
        }
        double[] w = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            w[c] = count[c] == 0 ? 0 : (double) labels.length / (numClasses * count[c]);
        }
        return w;
    }
}
