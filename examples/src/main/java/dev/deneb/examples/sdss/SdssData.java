package dev.deneb.examples.sdss;

import dev.deneb.data.Csv;
import dev.deneb.data.CsvTable;
import dev.deneb.data.DataPaths;
import dev.deneb.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The SDSS DR14 table as model inputs: by default the five magnitudes u, g, r, i, z and the four colours u-g, g-r,
 * r-i, i-z (photometry only: redshift nearly gives the class away and is never a default input; any numeric columns
 * can be chosen with {@code --features}), and the class labels of a task. Reading is done by {@link CatalogueReader}.
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

        /** The class code of a label (case and surrounding blanks ignored), or -1 if not a class of this task. */
        public int indexOf(String label) {
            String l = label.strip();
            for (int c = 0; c < classes.size(); c++) {
                if (classes.get(c).equalsIgnoreCase(l)) {
                    return c;
                }
            }
            return -1;
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
     * The rows of a task: inputs {@code [N, F]} (f32) in the order of {@code features}, labels (class codes of
     * {@code task.classes}), and for each row its data-row number in the file (0 = first row after the header),
     * which is how splits are exported; plus what was left out (bad rows, rows of other classes).
     */
    public record Labelled(Tensor inputs, long[] labels, int[] fileRows, List<String> features, BadRows bad,
            Map<String, Long> otherClasses) {
        public Labelled(Tensor inputs, long[] labels, int[] fileRows) {
            this(inputs, labels, fileRows, FEATURES, new BadRows("data"), Map.of());
        }

        public int size() {
            return labels.length;
        }
    }

    /** The default data folder ({@code shared/data/sdss} found by {@link DataPaths}), or null. */
    public static Path defaultDirectory() {
        return DataPaths.find("sdss").orElse(null);
    }

    /** Reads {@code csv} with the default options and keeps the rows of {@code task}, at most {@code limit}. */
    public static Labelled load(Path csv, Task task, int limit) {
        return load(csv, task, limit, CatalogueReader.Options.defaults());
    }

    /** Reads {@code csv} and keeps the usable rows whose class belongs to {@code task} (at most {@code limit}). */
    public static Labelled load(Path csv, Task task, int limit, CatalogueReader.Options options) {
        return labelled(Csv.read(csv), csv.toString(), task, limit, options);
    }

    /** The usable rows of {@code table} whose class belongs to {@code task} (at most {@code limit}; 0 = all). */
    public static Labelled labelled(CsvTable table, String source, Task task, int limit,
            CatalogueReader.Options options) {
        CatalogueReader.Rows r = CatalogueReader.read(table, source, options, task, limit);
        if (r.size() == 0) {
            throw new IllegalArgumentException(source + ": no usable rows of the classes " + task.classes
                    + describeLeftOut(r.bad(), r.otherClasses()));
        }
        return new Labelled(r.inputs(), r.labels(), r.tableRows(), options.features(), r.bad(), r.otherClasses());
    }

    /** "; left out: ..." for an error message, or empty. */
    static String describeLeftOut(BadRows bad, Map<String, Long> other) {
        List<String> parts = new ArrayList<>();
        other.forEach((c, k) -> parts.add(k + " " + c));
        parts.addAll(bad.summary());
        return parts.isEmpty() ? "" : " (left out: " + String.join("; ", parts) + ")";
    }

    /**
     * The default 9 inputs of every row of a table with (at least) the columns u, g, r, i, z: the magnitudes and
     * the colours, as f32 {@code [N, 9]}. Any unusable cell is an {@link IllegalArgumentException} naming the row and
     * column (use {@link CatalogueReader} to skip such rows instead).
     */
    public static Tensor features(CsvTable table) {
        return CatalogueReader.read(table, table.toString(), CatalogueReader.Options.defaults()
                .badRows(CatalogueReader.Policy.FAIL), null, 0).inputs();
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
